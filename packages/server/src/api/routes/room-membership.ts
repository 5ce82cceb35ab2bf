import { MembershipQuery } from "@commune/protocol";
import { Hono } from "hono";
import { roomMembership } from "../../services/room-membership.ts";
import { requireAuth } from "../auth.ts";
import type { AppEnv } from "../env.ts";
import { param, parseQuery } from "../request.ts";

/** GET /rooms/:id/membership?after=SEQ: the loop's member list along its log (see RoomMembership). */
export const roomMembershipRoutes = new Hono<AppEnv>().get("/rooms/:id/membership", async (c) => {
  const auth = requireAuth(c);
  const id = param(c, "id");
  const q = parseQuery(c, MembershipQuery);
  return c.json(await roomMembership(c.var.ctx, auth, id, q.after ? Number(q.after) : 0));
});
