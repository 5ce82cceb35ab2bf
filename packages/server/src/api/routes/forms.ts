import { AnswerForm, CreateForm, ResponsesQuery, ResponseToken, UpdateForm } from "@commune/protocol";
import { Hono } from "hono";
import { AppError } from "../../errors.ts";
import * as responses from "../../services/form-responses.ts";
import * as forms from "../../services/forms.ts";
import { requireAuth } from "../auth.ts";
import type { AppEnv } from "../env.ts";
import { clientAddress, param, parseQuery, readJson } from "../request.ts";

/** Organizers' side: under their organization, signed in, organizer role or above. */
export const formRoutes = new Hono<AppEnv>()
  .get("/orgs/:slug/forms", async (c) => c.json(await forms.listForms(c.var.ctx, requireAuth(c), param(c, "slug", "slug"))))
  .post("/orgs/:slug/forms", async (c) => {
    const auth = requireAuth(c);
    const slug = param(c, "slug", "slug");
    return c.json(await forms.createForm(c.var.ctx, auth, slug, await readJson(c, CreateForm)), 201);
  })
  .get("/orgs/:slug/forms/:id", async (c) => c.json(await forms.getForm(c.var.ctx, requireAuth(c), param(c, "slug", "slug"), param(c, "id"))))
  .patch("/orgs/:slug/forms/:id", async (c) => {
    const auth = requireAuth(c);
    const [slug, id] = [param(c, "slug", "slug"), param(c, "id")];
    return c.json(await forms.updateForm(c.var.ctx, auth, slug, id, await readJson(c, UpdateForm)));
  })
  .post("/orgs/:slug/forms/:id/publish", async (c) => c.json(await forms.publishForm(c.var.ctx, requireAuth(c), param(c, "slug", "slug"), param(c, "id"))))
  .post("/orgs/:slug/forms/:id/close", async (c) => c.json(await forms.closeForm(c.var.ctx, requireAuth(c), param(c, "slug", "slug"), param(c, "id"))))
  .delete("/orgs/:slug/forms/:id", async (c) => {
    await forms.deleteForm(c.var.ctx, requireAuth(c), param(c, "slug", "slug"), param(c, "id"));
    return c.body(null, 204);
  })
  .get("/orgs/:slug/forms/:id/responses", async (c) => {
    const auth = requireAuth(c);
    const [slug, id] = [param(c, "slug", "slug"), param(c, "id")];
    return c.json(await forms.listResponses(c.var.ctx, auth, slug, id, parseQuery(c, ResponsesQuery)));
  })
  .delete("/orgs/:slug/forms/:id/responses/:responseId", async (c) => {
    await forms.deleteResponse(c.var.ctx, requireAuth(c), param(c, "slug", "slug"), param(c, "id"), param(c, "responseId"));
    return c.body(null, 204);
  });

/** The public's side: no account, no cookie needed. */
export const publicFormRoutes = new Hono<AppEnv>()
  .get("/public/forms/:slug", async (c) => {
    const view = await responses.publicForm(c.var.ctx, param(c, "slug", "slug"));
    c.header("cache-control", "no-cache");
    return c.json(view);
  })
  .post("/public/forms/:slug/responses", async (c) => {
    const ctx = c.var.ctx;
    const slug = param(c, "slug", "slug");
    const wait = ctx.limits.formResponsesPerAddress.hit(clientAddress(c));
    if (wait !== null) throw new AppError("rate_limited", `Too many responses from here. Try again in ${wait} seconds.`, { retryAfter: wait });
    const receipt = await responses.answerForm(ctx, slug, await readJson(c, AnswerForm));
    return c.json(receipt, 202);
  })
  .post("/public/form-responses/confirm", async (c) => {
    const { token } = await readJson(c, ResponseToken);
    return c.json(await responses.confirmResponse(c.var.ctx, token));
  });
