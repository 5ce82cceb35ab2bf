import { ChangePassword, DeleteAccount, SignIn, SignUp, UpdateAccount } from "@commune/protocol";
import { Hono } from "hono";
import { AppError } from "../../errors.ts";
import * as accounts from "../../services/accounts.ts";
import { revokeSession } from "../../services/sessions.ts";
import { clearSessionCookie, requireAuth, setSessionCookie } from "../auth.ts";
import type { AppEnv } from "../env.ts";
import { clientAddress, clientDescription, param, readJson } from "../request.ts";
import { listSessions } from "../../services/sessions.ts";

export const accountRoutes = new Hono<AppEnv>()
  .post("/accounts", async (c) => {
    const ctx = c.var.ctx;
    const input = await readJson(c, SignUp);
    const wait = ctx.limits.signUpPerAddress.hit(clientAddress(c));
    if (wait !== null) throw new AppError("rate_limited", `Too many new accounts from here. Try again in ${wait} seconds.`, { retryAfter: wait });
    const signedIn = await accounts.signUp(ctx, input, clientDescription(c));
    setSessionCookie(c, signedIn.token);
    return c.json(signedIn, 201);
  })
  .post("/sessions", async (c) => {
    const input = await readJson(c, SignIn);
    const signedIn = await accounts.signIn(c.var.ctx, input.username, input.password, clientDescription(c), clientAddress(c));
    setSessionCookie(c, signedIn.token);
    return c.json(signedIn, 201);
  })
  .get("/sessions", async (c) => c.json(await listSessions(c.var.ctx, requireAuth(c))))
  .delete("/sessions/current", async (c) => {
    const auth = requireAuth(c);
    await revokeSession(c.var.ctx, auth, auth.sessionId);
    await c.var.ctx.bus.publish({ type: "revoke", sessionId: auth.sessionId });
    clearSessionCookie(c);
    return c.body(null, 204);
  })
  .delete("/sessions/:id", async (c) => {
    const auth = requireAuth(c);
    const id = param(c, "id");
    await revokeSession(c.var.ctx, auth, id);
    await c.var.ctx.bus.publish({ type: "revoke", sessionId: id });
    if (id === auth.sessionId) clearSessionCookie(c);
    return c.body(null, 204);
  })
  .get("/account", (c) => c.json(accounts.toAccount(requireAuth(c).account)))
  .patch("/account", async (c) => {
    const auth = requireAuth(c);
    return c.json(await accounts.updateAccount(c.var.ctx, auth, await readJson(c, UpdateAccount)));
  })
  .post("/account/password", async (c) => {
    const auth = requireAuth(c);
    await accounts.changePassword(c.var.ctx, auth, await readJson(c, ChangePassword));
    await c.var.ctx.bus.publish({ type: "revoke", accountId: auth.account.id, exceptSessionId: auth.sessionId });
    return c.body(null, 204);
  })
  .get("/account/deletion", async (c) => c.json(await accounts.deletionPreview(c.var.ctx, requireAuth(c).account.id)))
  .delete("/account", async (c) => {
    const auth = requireAuth(c);
    const { password } = await readJson(c, DeleteAccount);
    await accounts.deleteAccount(c.var.ctx, auth, password);
    await c.var.ctx.bus.publish({ type: "revoke", accountId: auth.account.id });
    clearSessionCookie(c);
    return c.body(null, 204);
  });
