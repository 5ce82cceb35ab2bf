import { CreatePowChallenge } from "@commune/protocol";
import { Hono } from "hono";
import { AppError } from "../../errors.ts";
import { issueChallenge } from "../../services/proof-of-work.ts";
import type { AppEnv } from "../env.ts";
import { clientAddress, readJson } from "../request.ts";

/** `POST /pow/challenges`: a fresh proof-of-work challenge for one purpose, e.g. `petition:<id>`. */
export const proofOfWorkRoutes = new Hono<AppEnv>().post("/pow/challenges", async (c) => {
  const ctx = c.var.ctx;
  // (counted before the body is read: a flood of malformed requests is a flood too)
  const wait = ctx.limits.powChallengesPerAddress.hit(clientAddress(c));
  if (wait !== null) throw new AppError("rate_limited", `Too many anti-spam challenges from here. Try again in ${wait} seconds.`, { retryAfter: wait });
  const { purpose } = await readJson(c, CreatePowChallenge);
  return c.json(await issueChallenge(ctx, purpose), 201);
});
