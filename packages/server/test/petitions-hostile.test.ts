/**
 * Hostile input against the petition endpoints, on both store dialects. Random and near-valid
 * bodies, tokens, slugs and content types go to the public signing, confirmation and withdrawal
 * routes and to the organizers' routes. Whatever arrives: an answer below 500, a well-formed
 * problem+json whose code matches its status, and no change to what is counted or stored.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { solveProofOfWork, type CommuneClient } from "@commune/client";
import { PublicApi, publicPetition, sealSignature } from "@commune/client/public";
import { DIALECTS, startServer, type TestServer } from "./helpers.ts";
import { assertWellFormed, jsonish, nasty, nearValid, runs, send } from "./hostile-http.ts";
import { PETITION } from "./petition-fixture.ts";
import { startSmtpServer } from "./smtp.ts";

for (const dialect of DIALECTS) {
  describe(`petition endpoints under hostile input (${dialect})`, () => {
    let t: TestServer;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    let admin: CommuneClient;
    let api: PublicApi;
    let valid: Record<string, unknown>;
    let petitionId: string;

    before(async () => {
      smtp = await startSmtpServer();
      // behind a trusted proxy, so the last test can sign from an address the storm did not use up
      t = await startServer(dialect, { smtpUrl: smtp.url, powMaxNumber: 1000, trustProxy: true });
      admin = await t.admin("organizer");
      await admin.createOrganization({ name: "Tenants United", slug: "tenants", visibility: "public", languages: ["en"] });
      await admin.setUpOrganizationKey("tenants");
      const draft = await admin.petitions.create("tenants", { ...PETITION, slug: "rent-freeze" });
      petitionId = draft.id;
      await admin.petitions.publish("tenants", draft.id);
      api = new PublicApi({ baseUrl: t.url });
      const view = await publicPetition(api, "rent-freeze");
      const sealed = await sealSignature(view, { email: "x@example.org", name: "X" }, "en", Date.now());
      valid = { pow: "placeholder", keyId: sealed.keyId, sealed: sealed.sealed, email: "x@example.org", publicName: null, language: "en" };
    });
    after(async () => {
      await t?.close();
      await smtp?.close();
    });

    async function stored(): Promise<{ signatures: number; count: number }> {
      const signatures = await t.server.ctx.db.selectFrom("petition_signatures").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      const petition = await t.server.ctx.db.selectFrom("petitions").select("signature_count").where("id", "=", petitionId).executeTakeFirstOrThrow();
      return { signatures: Number(signatures.n), count: Number(petition.signature_count) };
    }

    it("random and near-valid signature bodies never count, never store, never fail", async () => {
      const before = await stored();
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            jsonish,
            // near-valid: one field replaced, removed or added
            nearValid(valid, ["pow", "keyId", "sealed", "email", "publicName", "language"]),
          ),
          fc.constantFrom("rent-freeze", "no-such-petition"),
          async (body, slug) => {
            const reply = await send(t.url, "POST", `/api/v1/public/petitions/${slug}/signatures`, JSON.stringify(body));
            assertWellFormed(reply, `sign ${JSON.stringify(body).slice(0, 200)}`);
            assert.ok(reply.status >= 400, "nothing without a real proof of work is accepted");
          },
        ),
        { numRuns: runs(dialect, 150) },
      );
      assert.deepEqual(await stored(), before);
    });

    it("malformed JSON, wrong content types and odd tokens on confirm and withdraw", async () => {
      const before = await stored();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom("/api/v1/public/signatures/confirm", "/api/v1/public/signatures/withdraw", "/api/v1/public/petitions/rent-freeze/signatures"),
          fc.oneof(
            fc.string().map((s) => ({ body: s, type: "application/json" })),
            fc.record({ token: nasty }).map((b) => ({ body: JSON.stringify(b), type: "application/json" })),
            fc.base64String({ minLength: 16, maxLength: 200 }).map((s) => ({ body: JSON.stringify({ token: s.replace(/[+/=]/g, "A") }), type: "application/json" })),
            fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "").map((type) => ({ body: '{"token":"AAAAAAAAAAAAAAAAAAAAAAAA"}', type })),
          ),
          async (path, { body, type }) => {
            const reply = await send(t.url, "POST", path, body, type);
            assertWellFormed(reply, `${path} ${body.slice(0, 120)}`);
            assert.ok(reply.status >= 400);
          },
        ),
        { numRuns: runs(dialect, 150) },
      );
      assert.deepEqual(await stored(), before);
    });

    it("hostile slugs on the public pages and the live stream", async () => {
      await fc.assert(
        // (beyond 16 KiB Node's HTTP parser refuses the request line itself, before Commune sees it)
        fc.asyncProperty(nasty.filter((s) => s.isWellFormed() && encodeURIComponent(s).length < 8000), fc.constantFrom("", "/live"), async (slug, tail) => {
          const path = `/api/v1/public/petitions/${encodeURIComponent(slug)}${tail}`;
          const reply = await send(t.url, "GET", path, null);
          assertWellFormed(reply, path.slice(0, 200));
          assert.equal(reply.status, 404);
        }),
        { numRuns: runs(dialect, 100) },
      );
    });

    it("random petition definitions from an organizer are validated, never half-stored", async () => {
      const token = admin.token as string;
      const before = await t.server.ctx.db.selectFrom("petitions").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      let created = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            jsonish,
            fc.record({ key: fc.constantFrom("slug", "defaultLanguage", "translations", "goal", "startsAt", "endsAt", "fields", "retentionDays"), value: fc.oneof(fc.jsonValue(), nasty) }).map(({ key, value }) => ({ ...PETITION, slug: "x", [key]: value })),
          ),
          async (body) => {
            const reply = await send(t.url, "POST", "/api/v1/orgs/tenants/petitions", JSON.stringify(body), "application/json", token);
            assertWellFormed(reply, `create ${JSON.stringify(body).slice(0, 200)}`);
            if (reply.status === 201) {
              created++;
              await admin.petitions.delete("tenants", (reply.body as { id: string }).id);
            }
          },
        ),
        { numRuns: runs(dialect, 120) },
      );
      const afterCount = await t.server.ctx.db.selectFrom("petitions").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      assert.equal(Number(afterCount.n), Number(before.n), `${created} valid ones were created and deleted again; nothing else stayed`);
    });

    it("a real signature still goes through after the storm", async () => {
      // one address has 60 attempts per 10 minutes, refused ones included
      let status = 0;
      for (let i = 0; i < 61 && status !== 429; i++) {
        const response = await fetch(`${t.url}/api/v1/public/petitions/rent-freeze/signatures`, { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": "192.0.2.1" }, body: JSON.stringify(valid) });
        await response.body?.cancel();
        status = response.status;
      }
      assert.equal(status, 429, "the per-address limit holds");
      const api = new PublicApi({ baseUrl: t.url, headers: { "x-forwarded-for": "192.0.2.7" } });
      const view = await publicPetition(api, "rent-freeze");
      const pow = await solveProofOfWork(await api.powChallenge(`petition:${view.id}`));
      const sealed = await sealSignature(view, { email: "real@example.org", name: "Real Person" }, "en", Date.now());
      const receipt = await api.request("POST", "/api/v1/public/petitions/rent-freeze/signatures", { ...valid, ...sealed, pow, email: "real@example.org" });
      assert.deepEqual(receipt, { status: "pending", mailed: true, resent: false });
    });
  });
}
