import { DeviceRegistration } from "@commune/protocol";
import { Hono } from "hono";
import * as devices from "../../services/devices.ts";
import { requireAuth } from "../auth.ts";
import type { AppEnv } from "../env.ts";
import { param, readJson } from "../request.ts";

export const deviceRoutes = new Hono<AppEnv>()
  .get("/devices", async (c) => c.json(await devices.listDevices(c.var.ctx, requireAuth(c))))
  .post("/devices", async (c) => {
    const auth = requireAuth(c);
    return c.json(await devices.registerDevice(c.var.ctx, auth, await readJson(c, DeviceRegistration)), 201);
  })
  .delete("/devices/:id", async (c) => {
    const auth = requireAuth(c);
    const id = param(c, "id");
    await devices.removeDevice(c.var.ctx, auth, id);
    await c.var.ctx.bus.publish({ type: "revoke", deviceId: id });
    return c.body(null, 204);
  });
