import { ClaimKeyPackages, CreateRoom, EventsQuery, MLS_SUITES, PublishKeyPackages, SendMessage, SubmitCommit, UpdateRoom, type MlsSuite } from "@commune/protocol";
import { Hono } from "hono";
import { AppError } from "../../errors.ts";
import * as attachments from "../../services/attachments.ts";
import * as keyPackages from "../../services/key-packages.ts";
import * as rooms from "../../services/rooms.ts";
import { announceAddition } from "../../services/organizations.ts";
import { requireAuth } from "../auth.ts";
import type { AppEnv } from "../env.ts";
import { param, parseQuery, readJson } from "../request.ts";

export const loopRoutes = new Hono<AppEnv>()
  .get("/devices/current/key-packages", async (c) => {
    const auth = requireAuth(c);
    const suite = c.req.query("suite") ?? MLS_SUITES[0];
    if (!(MLS_SUITES as readonly string[]).includes(suite)) throw new AppError("validation_failed", "Unknown cipher suite.");
    return c.json(await keyPackages.stock(c.var.ctx, keyPackages.requireDevice(auth), suite as MlsSuite));
  })
  .post("/devices/current/key-packages", async (c) => {
    const auth = requireAuth(c);
    const ctx = c.var.ctx;
    const input = await readJson(c, PublishKeyPackages);
    const before = await keyPackages.stock(ctx, keyPackages.requireDevice(auth), input.suite);
    const after = await keyPackages.publishKeyPackages(ctx, auth, input);
    if (before.count === 0 && !before.lastResort) {
      // the device can be added only now: its account's loops bring it in
      const loops = await ctx.db.selectFrom("room_members").select("room_id").where("account_id", "=", auth.account.id).execute();
      await announceAddition(ctx, loops.map((l) => l.room_id), auth.account.id);
    }
    return c.json(after, 201);
  })
  .post("/key-packages/claim", async (c) => {
    const auth = requireAuth(c);
    const ctx = c.var.ctx;
    const input = await readJson(c, ClaimKeyPackages);
    const { result, drained } = await keyPackages.claimKeyPackages(ctx, auth, input);
    // ask devices running low to top up
    for (const deviceId of drained) {
      const s = await keyPackages.stock(ctx, deviceId, input.suite);
      if (s.count < keyPackages.LOW_STOCK) ctx.realtime?.notifyDevice(deviceId, { type: "key-packages-low", suite: input.suite, count: s.count });
    }
    return c.json(result);
  })
  .get("/rooms", async (c) => c.json(await rooms.listRooms(c.var.ctx, requireAuth(c))))
  .post("/orgs/:slug/rooms", async (c) => {
    const auth = requireAuth(c);
    const ctx = c.var.ctx;
    const slug = param(c, "slug", "slug");
    const { room, accountIds } = await rooms.createRoom(ctx, auth, slug, await readJson(c, CreateRoom));
    await ctx.bus.publish({ type: "room", roomId: room.id, change: "added", accountIds });
    return c.json(room, 201);
  })
  .get("/rooms/:id", async (c) => c.json(await rooms.getRoom(c.var.ctx, requireAuth(c), param(c, "id"))))
  .patch("/rooms/:id", async (c) => {
    const auth = requireAuth(c);
    const ctx = c.var.ctx;
    const id = param(c, "id");
    const room = await rooms.updateRoom(ctx, auth, id, await readJson(c, UpdateRoom));
    await ctx.bus.publish({ type: "room", roomId: room.id, change: "updated", accountIds: [] });
    return c.json(room);
  })
  .put("/rooms/:id/members/:accountId", async (c) => {
    const auth = requireAuth(c);
    const ctx = c.var.ctx;
    const id = param(c, "id");
    const accountId = param(c, "accountId");
    await rooms.addRoomMember(ctx, auth, id, accountId);
    await announceAddition(ctx, [id], accountId);
    return c.body(null, 204);
  })
  .delete("/rooms/:id/members/:accountId", async (c) => {
    const auth = requireAuth(c);
    const ctx = c.var.ctx;
    const id = param(c, "id");
    const accountId = param(c, "accountId");
    await rooms.removeRoomMember(ctx, auth, id, accountId);
    await ctx.bus.publish({ type: "room", roomId: id, change: "removed", accountIds: [accountId] });
    await ctx.bus.publish({ type: "room", roomId: id, change: "updated", accountIds: [] });
    return c.body(null, 204);
  })
  .post("/rooms/:id/commits", async (c) => {
    const auth = requireAuth(c);
    const ctx = c.var.ctx;
    const id = param(c, "id");
    const { event, welcomes } = await rooms.submitCommit(ctx, auth, id, await readJson(c, SubmitCommit));
    await ctx.bus.publish({ type: "event", roomId: event.roomId, seq: event.seq, event });
    for (const w of welcomes) await ctx.bus.publish({ type: "welcome", deviceId: w.deviceId, welcome: w.welcome });
    return c.json(event, 201);
  })
  .post("/rooms/:id/messages", async (c) => {
    const auth = requireAuth(c);
    const ctx = c.var.ctx;
    const id = param(c, "id");
    const { event, fresh } = await rooms.sendMessage(ctx, auth, id, await readJson(c, SendMessage));
    if (fresh) await ctx.bus.publish({ type: "event", roomId: event.roomId, seq: event.seq, event });
    return c.json({ seq: event.seq, createdAt: event.createdAt }, fresh ? 201 : 200);
  })
  .get("/rooms/:id/events", async (c) => {
    const auth = requireAuth(c);
    // the path first, as on every route: a malformed id is not_found whatever the query says
    const id = param(c, "id");
    const q = parseQuery(c, EventsQuery);
    return c.json(await rooms.listEvents(c.var.ctx, auth, id, q.after ? Number(q.after) : 0, q.limit ?? 200));
  })
  .post("/rooms/:id/attachments", async (c) => {
    const auth = requireAuth(c);
    const id = param(c, "id");
    if (!/^application\/octet-stream\s*(;|$)/i.test(c.req.header("content-type") ?? "")) {
      throw new AppError("unsupported_media_type", "Send the encrypted attachment as application/octet-stream.");
    }
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    return c.json(await attachments.uploadAttachment(c.var.ctx, auth, id, bytes), 201);
  })
  .get("/rooms/:id/attachments/:attachmentId", async (c) => {
    const auth = requireAuth(c);
    const bytes = await attachments.downloadAttachment(c.var.ctx, auth, param(c, "id"), param(c, "attachmentId"));
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { "content-type": "application/octet-stream", "content-disposition": "attachment" });
  })
  .get("/welcomes", async (c) => c.json(await rooms.pendingWelcomes(c.var.ctx, requireAuth(c))))
  .delete("/welcomes/:id", async (c) => {
    await rooms.takeWelcome(c.var.ctx, requireAuth(c), param(c, "id"));
    return c.body(null, 204);
  });
