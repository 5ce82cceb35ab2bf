import { DeviceRegistration } from "@commune/protocol";
import { Hono } from "hono";
import * as devices from "../../services/devices.ts";
import { announceAddition } from "../../services/organizations.ts";
import { requireAuth } from "../auth.ts";
import type { AppEnv } from "../env.ts";
import { param, readJson } from "../request.ts";
import type { AppContext } from "../../context.ts";

async function loopsOf(ctx: AppContext, accountId: string): Promise<string[]> {
  const rows = await ctx.db.selectFrom("room_members").select("room_id").where("account_id", "=", accountId).execute();
  return rows.map((r) => r.room_id);
}

export const deviceRoutes = new Hono<AppEnv>()
  .get("/devices", async (c) => c.json(await devices.listDevices(c.var.ctx, requireAuth(c))))
  .post("/devices", async (c) => {
    const auth = requireAuth(c);
    const ctx = c.var.ctx;
    const { device, created } = await devices.registerDevice(ctx, auth, await readJson(c, DeviceRegistration));
    if (created) {
      // a new device: the account's loops must bring it in (its history from before stays unreadable)
      await announceAddition(ctx, await loopsOf(ctx, auth.account.id), auth.account.id);
    }
    return c.json(device, 201);
  })
  .delete("/devices/:id", async (c) => {
    const auth = requireAuth(c);
    const id = param(c, "id");
    const ctx = c.var.ctx;
    await devices.removeDevice(ctx, auth, id);
    await ctx.bus.publish({ type: "revoke", deviceId: id });
    // a lost or retired device leaves every MLS group at once: the members' devices hear that the
    // loops changed and commit its removal, so nothing sent afterwards is readable with its keys
    for (const roomId of await loopsOf(ctx, auth.account.id)) await ctx.bus.publish({ type: "room", roomId, change: "updated", accountIds: [] });
    return c.body(null, 204);
  });
