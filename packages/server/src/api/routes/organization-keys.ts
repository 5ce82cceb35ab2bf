import { AddKeyGrants, CreateOrganizationKey, PublishSealKey, ReplaceRecoveryKey } from "@commune/protocol";
import { Hono } from "hono";
import { publishSealKey } from "../../services/device-seal-keys.ts";
import * as keys from "../../services/organization-keys.ts";
import { requireAuth } from "../auth.ts";
import type { AppEnv } from "../env.ts";
import { param, readJson } from "../request.ts";

/** The organization key: devices' sealing keys, public keys for members, sealed private keys for admins. */
export const organizationKeyRoutes = new Hono<AppEnv>()
  .put("/devices/current/seal-key", async (c) => {
    const auth = requireAuth(c);
    return c.json(await publishSealKey(c.var.ctx, auth, await readJson(c, PublishSealKey)));
  })
  .get("/orgs/:slug/keys/current", async (c) => c.json({ key: await keys.currentKey(c.var.ctx, requireAuth(c), param(c, "slug", "slug")) }))
  .get("/orgs/:slug/keys", async (c) => c.json(await keys.keyStatus(c.var.ctx, requireAuth(c), param(c, "slug", "slug"))))
  .post("/orgs/:slug/keys", async (c) => {
    const auth = requireAuth(c);
    const slug = param(c, "slug", "slug");
    return c.json(await keys.createKey(c.var.ctx, auth, slug, await readJson(c, CreateOrganizationKey)), 201);
  })
  .get("/orgs/:slug/keys/pending", async (c) => c.json(await keys.pendingDevices(c.var.ctx, requireAuth(c), param(c, "slug", "slug"))))
  .get("/orgs/:slug/keys/grants", async (c) => c.json(await keys.myGrants(c.var.ctx, requireAuth(c), param(c, "slug", "slug"))))
  .post("/orgs/:slug/keys/grants", async (c) => {
    const auth = requireAuth(c);
    const slug = param(c, "slug", "slug");
    return c.json(await keys.addGrants(c.var.ctx, auth, slug, await readJson(c, AddKeyGrants)));
  })
  .get("/orgs/:slug/keys/recovery", async (c) => c.json(await keys.recoveryCopies(c.var.ctx, requireAuth(c), param(c, "slug", "slug"))))
  .put("/orgs/:slug/keys/recovery", async (c) => {
    const auth = requireAuth(c);
    const slug = param(c, "slug", "slug");
    return c.json(await keys.replaceRecovery(c.var.ctx, auth, slug, await readJson(c, ReplaceRecoveryKey)));
  });
