import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { AppError } from "../errors.ts";
import { authenticate, type Authenticated } from "../services/sessions.ts";
import type { AppEnv } from "./env.ts";

export const SESSION_COOKIE = "commune_session";
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Resolves the session from `Authorization: Bearer` (headless clients) or the session cookie
 * (browsers). A cookie-authenticated write must come from this origin: SameSite=Strict already
 * keeps other sites' requests from carrying the cookie; the Origin check is the second lock.
 */
export function sessionMiddleware(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    const bearer = header?.match(/^Bearer ([A-Za-z0-9_-]{16,128})$/)?.[1];
    const cookie = bearer ? undefined : getCookie(c, SESSION_COOKIE);
    const token = bearer ?? cookie;
    let auth: Authenticated | null = null;
    if (token && /^[A-Za-z0-9_-]{16,128}$/.test(token)) auth = await authenticate(c.var.ctx, token);
    if (auth && cookie && !SAFE.has(c.req.method)) {
      const origin = c.req.header("origin");
      const sameOrigin = !origin || origin === new URL(c.req.url).origin || origin === new URL(c.var.ctx.config.publicUrl).origin;
      if (!sameOrigin) throw new AppError("forbidden", "Cross-site requests are not accepted.");
    }
    c.set("auth", auth);
    await next();
  };
}

export function requireAuth(c: Context<AppEnv>): Authenticated {
  const auth = c.var.auth;
  if (!auth) throw new AppError("unauthenticated", "Sign in first.");
  return auth;
}

export function setSessionCookie(c: Context<AppEnv>, token: string): void {
  const config = c.var.ctx.config;
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Strict",
    secure: config.publicUrl.startsWith("https:"),
    path: "/",
    maxAge: config.sessionDays * 86_400,
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
}
