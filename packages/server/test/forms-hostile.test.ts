/**
 * Hostile input against the form endpoints, on both store dialects, and against `answerProblems`,
 * the one validator of answers. Random and near-valid bodies, tokens, slugs and content types go
 * to the public form, answer and confirmation routes and to the organizers' routes. Whatever
 * arrives: an answer below 500, a well-formed problem+json whose code matches its status, and no
 * change to what is stored or counted, proofs of work left unspent.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { solveProofOfWork, type CommuneClient } from "@commune/client";
import { PublicApi, publicForm, sealAnswers } from "@commune/client/public";
import { answerProblems, formPowPurpose, isUnanswered, type FormAnswers, type FormQuestion } from "@commune/protocol";
import { FORM } from "./form-fixture.ts";
import { DIALECTS, startServer, type TestServer } from "./helpers.ts";
import { assertWellFormed, jsonish, nasty, nearValid, nextAddress, runs, send } from "./hostile-http.ts";
import { startSmtpServer } from "./smtp.ts";

// ---- answerProblems: no input makes it throw; valid answers pass; a missing required one is named ----

const itemId = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,31}$/);
const required = fc.boolean();
const questionArb: fc.Arbitrary<FormQuestion> = fc.oneof(
  fc.record({ id: itemId, kind: fc.constantFrom("shortText", "longText", "date", "email", "consent"), required }),
  fc.record({ id: itemId, kind: fc.constantFrom("singleChoice", "multipleChoice"), required, choices: fc.uniqueArray(itemId, { minLength: 1, maxLength: 6 }) }),
  fc.record({ id: itemId, kind: fc.constant("number"), required, min: fc.option(fc.integer({ min: -1000, max: 0 }), { nil: null }), max: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }) }),
) as fc.Arbitrary<FormQuestion>;
const questionsArb = fc.uniqueArray(questionArb, { selector: (q) => q.id, minLength: 1, maxLength: 8 });

/** An answer that keeps the question's rules. */
function validAnswer(q: FormQuestion): fc.Arbitrary<FormAnswers[string]> {
  const text = (max: number) => fc.string({ unit: fc.oneof(fc.constantFrom("a", " ", "é", "日", "ب", "\n"), fc.string({ unit: "grapheme", maxLength: 1 })), minLength: 1, maxLength: max / 2 }).filter((s) => s.trim() !== "" && s.length <= max);
  switch (q.kind) {
    case "shortText":
      return text(80);
    case "longText":
      return text(120);
    case "date":
      return fc.date({ min: new Date("1900-01-01"), max: new Date("2100-12-31"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case "email":
      return fc.tuple(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.stringMatching(/^[a-z]{2,10}$/)).map(([user, host]) => `${user}@${host}.org`);
    case "consent":
      return fc.constant(true);
    case "number":
      return fc.integer({ min: q.min ?? -1e9, max: q.max ?? 1e9 });
    case "singleChoice":
      return fc.constantFrom(...q.choices);
    case "multipleChoice":
      return fc.subarray(q.choices, { minLength: 1 });
  }
}

const formWithAnswers = questionsArb.chain((questions) =>
  fc
    .tuple(...questions.map((q) => (q.required ? validAnswer(q).map((a) => [q.id, a] as const) : fc.option(validAnswer(q).map((a) => [q.id, a] as const), { nil: null }))))
    .map((pairs) => ({ questions, answers: Object.fromEntries(pairs.filter((p) => p !== null)) as FormAnswers })),
);

describe("answerProblems", () => {
  it("never throws, whatever the answers, and names only questions or unknown keys", () => {
    fc.assert(
      fc.property(questionsArb, fc.oneof(fc.dictionary(fc.oneof(itemId, nasty), fc.oneof(fc.jsonValue(), nasty)), fc.object()), (questions, answers) => {
        const problems = answerProblems({ questions }, answers as Record<string, unknown>);
        const ids = new Set(questions.map((q) => q.id));
        for (const p of problems) assert.ok(ids.has(p.question) ? p.problem !== "unknown" : p.problem === "unknown", JSON.stringify(p));
      }),
      { numRuns: 400 },
    );
  });

  it("accepts answers that keep the rules, and names a missing required answer", () => {
    fc.assert(
      fc.property(formWithAnswers, ({ questions, answers }) => {
        assert.deepEqual(answerProblems({ questions }, answers), []);
        const needed = questions.find((q) => q.required);
        if (needed) {
          const { [needed.id]: _dropped, ...rest } = answers;
          assert.deepEqual(answerProblems({ questions }, rest), [{ question: needed.id, problem: "required" }]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("accepts only answers of the right shape for each kind", () => {
    const shape: Record<FormQuestion["kind"], (v: unknown) => boolean> = {
      shortText: (v) => typeof v === "string",
      longText: (v) => typeof v === "string",
      date: (v) => typeof v === "string",
      email: (v) => typeof v === "string",
      singleChoice: (v) => typeof v === "string",
      multipleChoice: (v) => Array.isArray(v) && v.every((c) => typeof c === "string"),
      number: (v) => typeof v === "number" && Number.isFinite(v),
      consent: (v) => v === true,
    };
    fc.assert(
      fc.property(questionsArb, fc.jsonValue(), (questions, value) => {
        for (const q of questions) {
          const accepted = answerProblems({ questions: [q] }, { [q.id]: value }).length === 0;
          // anything accepted is a valid shape, or the empty answer of an optional question
          if (accepted) assert.ok(shape[q.kind](value) || (!q.required && isUnanswered(value)), `${q.kind} accepted ${JSON.stringify(value)}`);
        }
      }),
      { numRuns: 300 },
    );
  });
});

// ---- the endpoints ----

for (const dialect of DIALECTS) {
  describe(`form endpoints under hostile input (${dialect})`, () => {
    let t: TestServer;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    let admin: CommuneClient;
    let api: PublicApi;
    let valid: Record<string, unknown>;
    let formId: string;
    let emailFormId: string;

    before(async () => {
      smtp = await startSmtpServer();
      // behind a "proxy": each request names its own address, so rate limits do not answer for the server
      t = await startServer(dialect, { smtpUrl: smtp.url, powMaxNumber: 1000, trustProxy: true });
      admin = await t.admin("organizer");
      await admin.createOrganization({ name: "Tenants United", slug: "tenants", visibility: "public", languages: ["en"] });
      await admin.setUpOrganizationKey("tenants");
      const draft = await admin.forms.create("tenants", { ...FORM, slug: "survey", responseLimit: 1000 });
      formId = draft.id;
      await admin.forms.publish("tenants", draft.id);
      const withEmail = await admin.forms.create("tenants", { ...FORM, slug: "rsvp", confirmEmail: true, onePerAddress: true });
      emailFormId = withEmail.id;
      await admin.forms.publish("tenants", withEmail.id);
      api = new PublicApi({ baseUrl: t.url, headers: { "x-forwarded-for": "203.0.113.7" } });
      const view = await publicForm(api, "survey");
      const sealed = sealAnswers(view, { name: "X", building: "north", consent: true }, { language: "en", now: Date.now() });
      valid = { pow: "placeholder", keyId: sealed.keyId, sealed: sealed.sealed, email: null, language: "en" };
    });
    after(async () => {
      await t?.close();
      await smtp?.close();
    });

    async function stored(): Promise<{ responses: number; counts: number; spent: number; mails: number }> {
      const db = t.server.ctx.db;
      const responses = await db.selectFrom("form_responses").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      const counts = await db.selectFrom("forms").select((eb) => eb.fn.sum<number>("response_count").as("n")).executeTakeFirstOrThrow();
      const spent = await db.selectFrom("pow_spent").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      return { responses: Number(responses.n), counts: Number(counts.n), spent: Number(spent.n), mails: smtp.messages.length };
    }

    it("random and near-valid answer bodies never store, never count, never fail", async () => {
      const before = await stored();
      await fc.assert(
        fc.asyncProperty(fc.oneof(jsonish, nearValid(valid, ["pow", "keyId", "sealed", "email", "language"])), fc.constantFrom("survey", "rsvp", "no-such-form"), async (body, slug) => {
          const reply = await send(t.url, "POST", `/api/v1/public/forms/${slug}/responses`, JSON.stringify(body));
          assertWellFormed(reply, `answer ${JSON.stringify(body).slice(0, 200)}`);
          assert.ok(reply.status >= 400, "nothing without a real proof of work is accepted");
        }),
        { numRuns: runs(dialect, 150) },
      );
      assert.deepEqual(await stored(), before);
    });

    it("with a real proof of work, a body broken in one field is refused and leaves the proof unspent", async () => {
      const before = await stored();
      const view = await publicForm(api, "survey");
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.record({ keyId: fc.oneof(nasty, fc.constant("another-key")) }),
            // (a real address would be accepted on the form that asks for one: the server cannot tell the sealed answers belong elsewhere)
            fc.record({ email: nasty }),
            fc.record({ language: fc.oneof(nasty, fc.constant("de")) }),
            fc.record({ sealed: fc.oneof(fc.constant(""), fc.constant("A".repeat(70_000)), nasty.filter((s) => !/^[A-Za-z0-9_-]{64,}$/.test(s))) }),
            fc.record({ extra: fc.jsonValue() }),
          ),
          fc.constantFrom("survey", "rsvp"),
          async (change, slug) => {
            const fresh = new PublicApi({ baseUrl: t.url, headers: { "x-forwarded-for": nextAddress() } });
            const pow = await solveProofOfWork(await fresh.powChallenge(formPowPurpose(slug === "survey" ? view.id : emailFormId)));
            const body = { ...valid, pow, ...change };
            const reply = await send(t.url, "POST", `/api/v1/public/forms/${slug}/responses`, JSON.stringify(body));
            assertWellFormed(reply, `answer ${JSON.stringify(change).slice(0, 200)}`);
            assert.ok(reply.status >= 400, `accepted ${JSON.stringify(change).slice(0, 200)}`);
          },
        ),
        { numRuns: runs(dialect, 40) },
      );
      assert.deepEqual(await stored(), before);
    });

    it("malformed JSON, wrong content types and odd tokens on the answer and confirmation routes", async () => {
      const before = await stored();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom("/api/v1/public/form-responses/confirm", "/api/v1/public/forms/survey/responses", "/api/v1/public/forms/rsvp/responses"),
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

    it("hostile slugs on the public form page and its answer route", async () => {
      await fc.assert(
        fc.asyncProperty(nasty, fc.constantFrom("GET", "POST"), async (slug, method) => {
          // (a lone surrogate cannot be percent-encoded; a path over Node's 16 KB header limit never reaches the app)
          const path = `/api/v1/public/forms/${encodeURIComponent(slug.toWellFormed().slice(0, 4000))}${method === "POST" ? "/responses" : ""}`;
          const reply = await send(t.url, method, path, method === "POST" ? JSON.stringify(valid) : null);
          assertWellFormed(reply, path.slice(0, 200));
          assert.ok(reply.status === 404 || reply.status === 400, `${path.slice(0, 100)}: ${reply.status}`);
        }),
        { numRuns: runs(dialect, 100) },
      );
    });

    it("random form definitions from an organizer are validated, never half-stored", async () => {
      const token = admin.token as string;
      const count = async () => Number((await t.server.ctx.db.selectFrom("forms").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
      const before = await count();
      const keys = ["slug", "defaultLanguage", "translations", "questions", "responseLimit", "closesAt", "confirmEmail", "onePerAddress", "retentionDays"];
      await fc.assert(
        fc.asyncProperty(fc.oneof(jsonish, nearValid({ ...FORM, slug: "x" }, keys), questionsArb.map((questions) => ({ ...FORM, slug: "y", questions }))), async (body) => {
          const reply = await send(t.url, "POST", "/api/v1/orgs/tenants/forms", JSON.stringify(body), "application/json", token);
          assertWellFormed(reply, `create ${JSON.stringify(body).slice(0, 200)}`);
          if (reply.status === 201) await admin.forms.delete("tenants", (reply.body as { id: string }).id);
        }),
        { numRuns: runs(dialect, 120) },
      );
      assert.equal(await count(), before, "valid ones were created and deleted again; nothing else stayed");
    });

    it("random changes to a published form never change its questions", async () => {
      const token = admin.token as string;
      const original = await admin.forms.get("tenants", formId);
      const keys = ["slug", "defaultLanguage", "translations", "questions", "responseLimit", "closesAt", "confirmEmail", "onePerAddress", "retentionDays"];
      await fc.assert(
        fc.asyncProperty(fc.oneof(jsonish, nearValid({}, keys), questionsArb.map((questions) => ({ questions }))), async (body) => {
          const reply = await send(t.url, "PATCH", `/api/v1/orgs/tenants/forms/${formId}`, JSON.stringify(body), "application/json", token);
          assertWellFormed(reply, `update ${JSON.stringify(body).slice(0, 200)}`);
          const now = await admin.forms.get("tenants", formId);
          assert.deepEqual([now.slug, now.questions, now.confirmEmail, now.onePerAddress], [original.slug, original.questions, original.confirmEmail, original.onePerAddress]);
        }),
        { numRuns: runs(dialect, 80) },
      );
      // what may change is put back for the next test
      await admin.forms.update("tenants", formId, { translations: original.translations, defaultLanguage: original.defaultLanguage, responseLimit: 1000, closesAt: null, retentionDays: null });
    });

    it("a real answer still goes through after the storm", async () => {
      const view = await publicForm(api, "survey");
      const pow = await solveProofOfWork(await api.powChallenge(formPowPurpose(view.id)));
      const sealed = sealAnswers(view, { name: "Real Person", building: "south", consent: true }, { language: "en", now: Date.now() });
      const receipt = await api.request("POST", "/api/v1/public/forms/survey/responses", { ...valid, ...sealed, pow });
      assert.deepEqual(receipt, { status: "complete", mailed: false, resent: false });
    });
  });
}
