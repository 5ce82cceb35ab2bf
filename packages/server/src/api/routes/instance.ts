import { LANGUAGES, type InstanceInfo } from "@commune/protocol";
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";

export const VERSION = "0.1.0";

export const instanceRoutes = new Hono<AppEnv>().get("/instance", async (c) => {
  const { config, db } = c.var.ctx;
  const admin = await db.selectFrom("accounts").select("id").where("instance_admin", "=", 1).limit(1).executeTakeFirst();
  // (instance_admin is indexed (migration 002): one index probe however many accounts there are)
  const info: InstanceInfo = {
    name: config.instanceName,
    version: VERSION,
    setupRequired: !admin,
    languages: LANGUAGES,
    organizationCreation: config.organizationCreation,
    mail: c.var.ctx.mailer.configured,
    maxAttachmentBytes: config.maxAttachmentBytes,
    loopKeyRefreshSeconds: config.loopKeyRefreshSeconds,
  };
  return c.json(info);
});
