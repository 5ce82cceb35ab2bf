import { CreatePetition, SignatureToken, SignaturesQuery, SignPetition, UpdatePetition } from "@commune/protocol";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { AppError } from "../../errors.ts";
import * as petitions from "../../services/petitions.ts";
import * as signatures from "../../services/signatures.ts";
import { requireAuth } from "../auth.ts";
import type { AppEnv } from "../env.ts";
import { clientAddress, param, parseQuery, readJson } from "../request.ts";

/** Organizers' side: under their organization, signed in, organizer role or above. */
export const petitionRoutes = new Hono<AppEnv>()
  .get("/orgs/:slug/petitions", async (c) => c.json(await petitions.listPetitions(c.var.ctx, requireAuth(c), param(c, "slug", "slug"))))
  .post("/orgs/:slug/petitions", async (c) => {
    const auth = requireAuth(c);
    const slug = param(c, "slug", "slug");
    return c.json(await petitions.createPetition(c.var.ctx, auth, slug, await readJson(c, CreatePetition)), 201);
  })
  .get("/orgs/:slug/petitions/:id", async (c) => c.json(await petitions.getPetition(c.var.ctx, requireAuth(c), param(c, "slug", "slug"), param(c, "id"))))
  .patch("/orgs/:slug/petitions/:id", async (c) => {
    const auth = requireAuth(c);
    const [slug, id] = [param(c, "slug", "slug"), param(c, "id")];
    return c.json(await petitions.updatePetition(c.var.ctx, auth, slug, id, await readJson(c, UpdatePetition)));
  })
  .post("/orgs/:slug/petitions/:id/publish", async (c) => c.json(await petitions.publishPetition(c.var.ctx, requireAuth(c), param(c, "slug", "slug"), param(c, "id"))))
  .post("/orgs/:slug/petitions/:id/close", async (c) => c.json(await petitions.closePetition(c.var.ctx, requireAuth(c), param(c, "slug", "slug"), param(c, "id"))))
  .delete("/orgs/:slug/petitions/:id", async (c) => {
    await petitions.deletePetition(c.var.ctx, requireAuth(c), param(c, "slug", "slug"), param(c, "id"));
    return c.body(null, 204);
  })
  .get("/orgs/:slug/petitions/:id/signatures", async (c) => {
    const auth = requireAuth(c);
    const [slug, id] = [param(c, "slug", "slug"), param(c, "id")];
    return c.json(await petitions.listSignatures(c.var.ctx, auth, slug, id, parseQuery(c, SignaturesQuery)));
  })
  .delete("/orgs/:slug/petitions/:id/signatures/:signatureId", async (c) => {
    await petitions.deleteSignature(c.var.ctx, requireAuth(c), param(c, "slug", "slug"), param(c, "id"), param(c, "signatureId"));
    return c.body(null, 204);
  });

/** The public's side: no account, no cookie needed. */
export const publicPetitionRoutes = new Hono<AppEnv>()
  .get("/public/petitions/:slug", async (c) => {
    const view = await c.var.ctx.petitionProgress.get(c.var.ctx, param(c, "slug", "slug"));
    c.header("cache-control", "no-cache");
    return c.json(view);
  })
  .get("/public/petitions/:slug/live", async (c) => {
    const ctx = c.var.ctx;
    const slug = param(c, "slug", "slug");
    const first = await ctx.petitionProgress.get(ctx, slug);
    return streamSSE(c, async (stream) => {
      let wake: (() => void) | null = null;
      let pending: string | null = JSON.stringify({ count: first.count, publicNames: first.publicNames });
      const stop = ctx.petitionProgress.watch(ctx, slug, (progress) => {
        pending = JSON.stringify(progress);
        wake?.();
      });
      stream.onAbort(() => {
        stop();
        wake?.();
      });
      try {
        while (!stream.aborted) {
          if (pending !== null) {
            const data = pending;
            pending = null;
            await stream.writeSSE({ event: "progress", data });
          }
          // wake on a change, and every 25 s anyway so proxies keep the stream open
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 25_000);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = null;
          if (pending === null && !stream.aborted) await stream.write(": keep-alive\n\n");
        }
      } finally {
        stop();
      }
    });
  })
  .post("/public/petitions/:slug/signatures", async (c) => {
    const ctx = c.var.ctx;
    const slug = param(c, "slug", "slug");
    const wait = ctx.limits.signaturesPerAddress.hit(clientAddress(c)) ?? ctx.limits.signaturesPerPetition.hit(slug);
    if (wait !== null) throw new AppError("rate_limited", `Too many signatures from here. Try again in ${wait} seconds.`, { retryAfter: wait });
    const outcome = await signatures.signPetition(ctx, slug, await readJson(c, SignPetition));
    return c.json(outcome, 202);
  })
  .post("/public/signatures/confirm", async (c) => {
    const { token } = await readJson(c, SignatureToken);
    return c.json(await signatures.confirmSignature(c.var.ctx, token));
  })
  .post("/public/signatures/withdraw", async (c) => {
    const { token } = await readJson(c, SignatureToken);
    return c.json(await signatures.withdrawSignature(c.var.ctx, token));
  });
