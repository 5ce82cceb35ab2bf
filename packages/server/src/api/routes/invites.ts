import { Hono } from "hono";
import * as invites from "../../services/invites.ts";
import { requireAuth } from "../auth.ts";
import type { AppEnv } from "../env.ts";
import { param } from "../request.ts";

export const inviteRoutes = new Hono<AppEnv>()
  .get("/invites/:token", async (c) => c.json(await invites.previewInvite(c.var.ctx, param(c, "token", "token"))))
  .post("/invites/:token/accept", async (c) => {
    const auth = requireAuth(c);
    const ctx = c.var.ctx;
    const token = param(c, "token", "token");
    const redeemed = await ctx.db.transaction().execute((trx) => invites.redeemInvite(trx, ctx, token, auth.account.id));
    return c.json(redeemed.kind === "organization" ? redeemed.organization : null);
  });
