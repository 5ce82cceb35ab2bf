import { ChangeRole, CreateCircle, CreateInvite, CreateOrganization, ListQuery, UpdateCircle, UpdateOrganization } from "@commune/protocol";
import { Hono } from "hono";
import { listAudit } from "../../services/audit.ts";
import * as circles from "../../services/circles.ts";
import * as invites from "../../services/invites.ts";
import * as orgs from "../../services/organizations.ts";
import { requireAuth } from "../auth.ts";
import type { AppEnv } from "../env.ts";
import { param, parseQuery, readJson } from "../request.ts";

export const organizationRoutes = new Hono<AppEnv>()
  .get("/orgs", async (c) => c.json(await orgs.listMyOrganizations(c.var.ctx, requireAuth(c))))
  .post("/orgs", async (c) => {
    const auth = requireAuth(c);
    return c.json(await orgs.createOrganization(c.var.ctx, auth, await readJson(c, CreateOrganization)), 201);
  })
  // a public organization's summary is readable without signing in
  .get("/orgs/:slug", async (c) => c.json(await orgs.getOrganization(c.var.ctx, c.var.auth, param(c, "slug", "slug"))))
  .patch("/orgs/:slug", async (c) => {
    const auth = requireAuth(c);
    const slug = param(c, "slug", "slug");
    return c.json(await orgs.updateOrganization(c.var.ctx, auth, slug, await readJson(c, UpdateOrganization)));
  })
  .get("/orgs/:slug/members", async (c) => c.json(await orgs.listMembers(c.var.ctx, requireAuth(c), param(c, "slug", "slug"))))
  .patch("/orgs/:slug/members/:accountId", async (c) => {
    const auth = requireAuth(c);
    const slug = param(c, "slug", "slug");
    const accountId = param(c, "accountId");
    const { role } = await readJson(c, ChangeRole);
    return c.json(await orgs.changeRole(c.var.ctx, auth, slug, accountId, role));
  })
  .delete("/orgs/:slug/members/:accountId", async (c) => {
    await orgs.removeMember(c.var.ctx, requireAuth(c), param(c, "slug", "slug"), param(c, "accountId"));
    return c.body(null, 204);
  })
  .get("/orgs/:slug/invites", async (c) => c.json(await invites.listInvites(c.var.ctx, requireAuth(c), param(c, "slug", "slug"))))
  .post("/orgs/:slug/invites", async (c) => {
    const auth = requireAuth(c);
    const slug = param(c, "slug", "slug");
    return c.json(await invites.createInvite(c.var.ctx, auth, slug, await readJson(c, CreateInvite)), 201);
  })
  .delete("/orgs/:slug/invites/:id", async (c) => {
    await invites.revokeInvite(c.var.ctx, requireAuth(c), param(c, "slug", "slug"), param(c, "id"));
    return c.body(null, 204);
  })
  .get("/orgs/:slug/circles", async (c) => c.json(await circles.listCircles(c.var.ctx, requireAuth(c), param(c, "slug", "slug"))))
  .post("/orgs/:slug/circles", async (c) => {
    const auth = requireAuth(c);
    const slug = param(c, "slug", "slug");
    return c.json(await circles.createCircle(c.var.ctx, auth, slug, await readJson(c, CreateCircle)), 201);
  })
  .get("/orgs/:slug/circles/:id", async (c) => c.json(await circles.getCircle(c.var.ctx, requireAuth(c), param(c, "slug", "slug"), param(c, "id"))))
  .patch("/orgs/:slug/circles/:id", async (c) => {
    const auth = requireAuth(c);
    const slug = param(c, "slug", "slug");
    const id = param(c, "id");
    return c.json(await circles.updateCircle(c.var.ctx, auth, slug, id, await readJson(c, UpdateCircle)));
  })
  .delete("/orgs/:slug/circles/:id", async (c) => {
    await circles.deleteCircle(c.var.ctx, requireAuth(c), param(c, "slug", "slug"), param(c, "id"));
    return c.body(null, 204);
  })
  .put("/orgs/:slug/circles/:id/members/:accountId", async (c) => {
    await circles.addToCircle(c.var.ctx, requireAuth(c), param(c, "slug", "slug"), param(c, "id"), param(c, "accountId"));
    return c.body(null, 204);
  })
  .delete("/orgs/:slug/circles/:id/members/:accountId", async (c) => {
    await circles.removeFromCircle(c.var.ctx, requireAuth(c), param(c, "slug", "slug"), param(c, "id"), param(c, "accountId"));
    return c.body(null, 204);
  })
  .get("/orgs/:slug/audit", async (c) => {
    const auth = requireAuth(c);
    const { org } = await orgs.access(c.var.ctx, param(c, "slug", "slug"), auth.account.id, "admin");
    const q = parseQuery(c, ListQuery);
    return c.json(await listAudit(c.var.ctx, org.id, q.before ? Number(q.before) : null, q.limit ?? 50));
  });
