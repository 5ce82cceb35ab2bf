import { DeviceRegistration } from "@commune/protocol";
import { Hono } from "hono";
import * as devices from "../../services/devices.ts";
import { announceAddition } from "../../services/organizations.ts";
import { requireAuth } from "../auth.ts";
import type { AppEnv } from "../env.ts";
import { param, readJson } from "../request.ts";

export const deviceRoutes = new Hono<AppEnv>()
  .get("/devices", async (c) => c.json(await devices.listDevices(c.var.ctx, requireAuth(c))))
  .post("/devices", async (c) => {
    const auth = requireAuth(c);
    const ctx = c.var.ctx;
    const { device, created } = await devices.registerDevice(ctx, auth, await readJson(c, DeviceRegistration));
    if (created) {
      // a new device: the account's loops must bring it in (its history from before stays unreadable)
      const loops = await ctx.db.selectFrom("room_members").select("room_id").where("account_id", "=", auth.account.id).execute();
      await announceAddition(ctx, loops.map((l) => l.room_id), auth.account.id);
    }
    return c.json(device, 201);
  })
  .delete("/devices/:id", async (c) => {
    const auth = requireAuth(c);
    const id = param(c, "id");
    await devices.removeDevice(c.var.ctx, auth, id);
    await c.var.ctx.bus.publish({ type: "revoke", deviceId: id });
    return c.body(null, 204);
  });
