/**
 * The HTTP application: security headers on everything, a bounded body, the session, then the
 * JSON API under /api/v1, the health check, and the web app for every other GET.
 */
import { COMMIT_DATA_MAX } from "@commune/protocol";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppContext } from "../context.ts";
import { webApp } from "../web/static.ts";
import { sessionMiddleware } from "./auth.ts";
import type { AppEnv } from "./env.ts";
import { errorToResponse, problemResponse } from "./problem.ts";
import { accountRoutes } from "./routes/accounts.ts";
import { deviceRoutes } from "./routes/devices.ts";
import { instanceRoutes } from "./routes/instance.ts";
import { inviteRoutes } from "./routes/invites.ts";
import { loopRoutes } from "./routes/loops.ts";
import { organizationKeyRoutes } from "./routes/organization-keys.ts";
import { organizationRoutes } from "./routes/organizations.ts";
import { proofOfWorkRoutes } from "./routes/proof-of-work.ts";
import { roomMembershipRoutes } from "./routes/room-membership.ts";
import { petitionRoutes, publicPetitionRoutes } from "./routes/petitions.ts";
import { formRoutes, publicFormRoutes } from "./routes/forms.ts";

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join("; ");

const CSP_EMBEDDABLE = CSP.replace("frame-ancestors 'none'", "frame-ancestors *");
const EMBEDDABLE = /^\/p\/[a-z0-9-]{1,48}\/embed$/;

const ATTACHMENT_UPLOAD = /^\/api\/v1\/rooms\/[^/]+\/attachments$/;
const MLS_ROUTES = /^\/api\/v1\/(rooms\/[^/]+\/(commits|messages)|devices\/current\/key-packages)$/;
const MLS_BODY_BYTES = 2 * 1024 * 1024;
const COMMIT_ROUTE = /^\/api\/v1\/rooms\/[^/]+\/commits$/;
// a commit and its Welcome, each up to COMMIT_DATA_MAX characters, and the rest of the JSON
const COMMIT_BODY_BYTES = 2 * COMMIT_DATA_MAX + 64 * 1024;

export function createApp(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use("*", async (c, next) => {
    c.set("ctx", ctx);
    await next();
    const h = c.res.headers;
    // a petition's widget is made to be framed by the organization's own website
    h.set("content-security-policy", EMBEDDABLE.test(c.req.path) ? CSP_EMBEDDABLE : CSP);
    h.set("x-content-type-options", "nosniff");
    h.set("referrer-policy", "no-referrer");
    h.set("cross-origin-opener-policy", "same-origin");
    h.set("cross-origin-resource-policy", "same-origin");
    // the camera only for this origin's pages: the safety-number page scans QR codes on the device
    h.set("permissions-policy", "camera=(self), microphone=(), geolocation=(), interest-cohort=()");
    if (ctx.config.publicUrl.startsWith("https:")) h.set("strict-transport-security", "max-age=31536000");
  });

  app.get("/healthz", async (c) => {
    const ok = await ctx.store.ping();
    return c.json({ status: ok ? "ok" : "unavailable" }, ok ? 200 : 503);
  });

  const api = new Hono<AppEnv>();
  const limit = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        // the rest of the body is not read: close the connection rather than leave the client
        // writing into a socket that Node drops half a second later
        const response = problemResponse("payload_too_large", `The body is larger than ${maxSize} bytes.`);
        response.headers.set("connection", "close");
        return response;
      },
    });
  const limitBody = limit(ctx.config.maxBodyBytes);
  const limitAttachment = limit(ctx.config.maxAttachmentBytes);
  // MLS messages and KeyPackages take up to the realtime frame limit (messages may come over the
  // WebSocket too); commits and Welcomes grow with the group, and come over HTTP only
  const limitMls = limit(Math.max(ctx.config.maxBodyBytes, MLS_BODY_BYTES));
  const limitCommit = limit(Math.max(ctx.config.maxBodyBytes, COMMIT_BODY_BYTES));
  // Reads have no body to limit; touching c.req.raw.body would turn the adapter's light request
  // into a full one and doubled the CPU cost of a read (see docs/benchmarks.md).
  api.use("*", (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    if (ATTACHMENT_UPLOAD.test(c.req.path)) return limitAttachment(c, next);
    if (COMMIT_ROUTE.test(c.req.path)) return limitCommit(c, next);
    return MLS_ROUTES.test(c.req.path) ? limitMls(c, next) : limitBody(c, next);
  });
  api.use("*", async (c, next) => {
    await next();
    c.res.headers.set("cache-control", "no-store");
  });
  api.use("*", sessionMiddleware());
  api.route("/", instanceRoutes);
  api.route("/", accountRoutes);
  api.route("/", deviceRoutes);
  api.route("/", organizationRoutes);
  api.route("/", inviteRoutes);
  api.route("/", loopRoutes);
  api.route("/", proofOfWorkRoutes);
  api.route("/", organizationKeyRoutes);
  api.route("/", roomMembershipRoutes);
  api.route("/", petitionRoutes);
  api.route("/", publicPetitionRoutes);
  api.route("/", formRoutes);
  api.route("/", publicFormRoutes);
  api.all("*", () => problemResponse("not_found", "There is no such API endpoint."));
  app.route("/api/v1", api);
  app.all("/api/*", () => problemResponse("not_found", "There is no such API endpoint."));

  if (ctx.config.webDist) app.route("/", webApp(ctx.config.webDist));

  app.notFound(() => problemResponse("not_found", "Nothing here."));
  app.onError((error) => errorToResponse(error, ctx.logger));
  return app;
}
