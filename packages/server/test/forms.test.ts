/**
 * Forms end to end through the real clients: an organizer builds and publishes; members of the
 * public answer with a real proof of work and answers sealed to the organization's key; the
 * confirmation mail arrives at a real SMTP server and its link confirms; the response limit and the
 * closing date hold (also under a burst), replays, stale keys and duplicates are refused with their
 * codes; an answer sent around the page is flagged on opening; the organizer sums up and exports
 * what only the organization can read; members cannot; and the store, the data folder and the logs
 * hold none of the answers.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { fromBase64Url, seal, toBase64Url } from "@commune/crypto";
import { formSummary, responsesCsv, solveProofOfWork, type CommuneClient } from "@commune/client";
import { AnswerInputError, PublicApi, answerForm, confirmResponse, publicForm, sealAnswers } from "@commune/client/public";
import { formPowPurpose, formSealInfo, type CreateForm, type FormAnswers, type PublicForm, type ResponsePayload } from "@commune/protocol";
import { createLogger } from "../src/logger.ts";
import { deleteExpiredResponses } from "../src/services/form-responses.ts";
import { FORM } from "./form-fixture.ts";
import { codeOf, DIALECTS, join, startServer, type TestServer } from "./helpers.ts";
import { dumpEverything } from "./instance-dump.ts";
import { startSmtpServer, type ReceivedMail } from "./smtp.ts";

const solve = (challenge: Parameters<typeof solveProofOfWork>[0]) => solveProofOfWork(challenge);

/** Whether a mail went to this address (compared without case, as mail servers do). */
const sentTo = (mail: ReceivedMail, address: string) => mail.to.some((to) => to.toLowerCase() === address);

/** The token after `#` in a form confirmation link. */
function confirmToken(mail: ReceivedMail): string {
  const match = mail.text.match(/\/f\/[a-z0-9-]+\/confirm#([A-Za-z0-9_-]+)/);
  assert.ok(match, "the mail holds a confirmation link");
  return match[1] as string;
}

const AMINA: FormAnswers = {
  name: "Amina Kaddour",
  story: "The heating failed in January and =SUM(A1) nobody came",
  building: "north",
  issues: ["heating", "mould"],
  rent: 740,
  "moved-in": "2019-03-01",
  contact: "amina.k@example.org",
  consent: true,
};

for (const dialect of DIALECTS) {
  describe(`forms (${dialect})`, () => {
    let t: TestServer;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    let admin: CommuneClient;
    let api: PublicApi;
    const logs: string[] = [];

    before(async () => {
      smtp = await startSmtpServer();
      t = await startServer(dialect, { smtpUrl: smtp.url, mailFrom: "forms@commune.test", powMaxNumber: 1000, logger: createLogger("debug", (line) => logs.push(line)) });
      admin = await t.admin("organizer");
      await admin.createOrganization({ name: "Riverside Tenants", slug: "riverside", visibility: "public", languages: ["en", "fr"] });
      api = new PublicApi({ baseUrl: t.url });
    });
    after(async () => {
      await t?.close();
      await smtp?.close();
    });

    async function answer(slug: string, answers: FormAnswers, options: { email?: string; language?: "en" | "fr" } = {}) {
      const form = await publicForm(api, slug);
      return answerForm(api, form, answers, { language: options.language ?? "en", solve, ...(options.email ? { email: options.email } : {}) });
    }
    async function publish(input: CreateForm) {
      const draft = await admin.forms.create("riverside", input);
      return admin.forms.publish("riverside", draft.id);
    }
    /** Sends a sealed payload straight to the endpoint, as a script around the page would. */
    async function sendAround(form: PublicForm, payload: object, body: Record<string, unknown> = {}) {
      assert.ok(form.key);
      const sealed = toBase64Url(seal(fromBase64Url(form.key.publicKey), new TextEncoder().encode(JSON.stringify(payload)), formSealInfo(form.id)));
      const pow = await solve(await api.powChallenge(formPowPurpose(form.id)));
      return api.request("POST", `/api/v1/public/forms/${form.slug}/responses`, { pow, keyId: form.key.id, sealed, email: null, language: "en", ...body });
    }

    test("a form is built as a draft, needs the organization's key to publish, and keeps its questions once out", async () => {
      const draft = await admin.forms.create("riverside", FORM);
      assert.equal(draft.status, "draft");
      assert.equal(draft.state, "draft");
      assert.equal(await codeOf(publicForm(api, FORM.slug)), "not_found");
      assert.equal(await codeOf(admin.forms.publish("riverside", draft.id)), "organization_key_missing");
      assert.equal(await codeOf(admin.forms.create("riverside", { ...FORM, questions: FORM.questions.slice(1) })), "validation_failed", "a translation names a question the form does not have");
      assert.equal(await codeOf(admin.forms.create("riverside", FORM)), "slug_taken");
      // a draft changes freely, and is checked whole
      const edited = await admin.forms.update("riverside", draft.id, { responseLimit: 500 });
      assert.equal(edited.responseLimit, 500);
      assert.equal(await codeOf(admin.forms.update("riverside", draft.id, { defaultLanguage: "ja" })), "validation_failed");

      await admin.setUpOrganizationKey("riverside");
      const published = await admin.forms.publish("riverside", draft.id);
      assert.equal(published.state, "open");
      const stricter = FORM.questions.map((q) => (q.id === "story" ? { ...q, required: true } : q));
      assert.equal(await codeOf(admin.forms.update("riverside", draft.id, { questions: stricter })), "conflict");
      assert.equal(await codeOf(admin.forms.update("riverside", draft.id, { confirmEmail: true })), "conflict");
      // the words may still be corrected
      const fixed = await admin.forms.update("riverside", draft.id, { translations: { ...FORM.translations, en: { ...FORM.translations.en!, title: "Tenants’ survey" } } });
      assert.equal(fixed.translations.en?.title, "Tenants’ survey");

      const view = await publicForm(api, FORM.slug);
      assert.equal(view.state, "open");
      assert.equal(view.translations.fr?.questions.building?.choices?.north, "Tour nord");
      assert.deepEqual(view.questions, FORM.questions);
      assert.ok(view.key);
      assert.equal("responses" in view, false, "the public page does not see how many answered");
    });

    test("answers through the public client are accepted with a real proof of work and counted", async () => {
      const receipt = await answer(FORM.slug, AMINA);
      assert.deepEqual(receipt, { status: "complete", mailed: false, resent: false });
      await answer(FORM.slug, { name: "Bo Lindqvist", building: "south", issues: ["rent"], rent: 1200, consent: true }, { language: "fr" });
      const form = (await admin.forms.list("riverside")).find((f) => f.slug === FORM.slug);
      assert.equal(form?.responses, 2);
      assert.equal(form?.pending, 0);
    });

    test("the page refuses answers that break the rules before anything is sent", async () => {
      const view = await publicForm(api, FORM.slug);
      const bad: FormAnswers = { name: "", building: "west", rent: 20_000, "moved-in": "2023-02-30", contact: "not an address", consent: false, extra: "x" };
      const error = (() => {
        try {
          sealAnswers(view, bad, { language: "en", now: Date.now() });
        } catch (e) {
          return e;
        }
        return null;
      })();
      assert.ok(error instanceof AnswerInputError);
      assert.deepEqual(
        error.problems.map((p) => `${p.question}:${p.problem}`),
        ["name:required", "building:choice", "rent:max", "moved-in:date", "contact:email", "consent:required", "extra:unknown"],
      );
    });

    test("a confirmation mail goes out when the form asks for it; its link confirms; one response per address", async () => {
      const form = await publish({ ...FORM, slug: "assembly-rsvp", confirmEmail: true, onePerAddress: true });
      const view = await publicForm(api, form.slug);
      assert.equal(view.confirmEmail, true);
      assert.equal(view.mail, true);
      await assert.rejects(answer(form.slug, { name: "Cy", building: "east", consent: true }), AnswerInputError, "the address is needed");

      const before = smtp.messages.length;
      const receipt = await answer(form.slug, { name: "Cy Okafor", building: "east", consent: true }, { email: "Cy.Okafor@example.org" });
      assert.deepEqual(receipt, { status: "pending", mailed: true, resent: false });
      const first = await smtp.waitFor((m) => sentTo(m, "cy.okafor@example.org") && smtp.messages.indexOf(m) >= before);
      assert.match(first.subject, /Confirm your answers: Tenants’ survey 2025/);
      assert.equal((await admin.forms.get("riverside", form.id)).pending, 1);

      // the same address again, before confirming: what was sent first stays, a fresh link goes out
      const again = await answer(form.slug, { name: "Someone Else", building: "north", consent: true }, { email: " cy.okafor@EXAMPLE.org" });
      assert.deepEqual(again, { status: "pending", mailed: true, resent: true });
      const second = await smtp.waitFor((m) => sentTo(m, "cy.okafor@example.org") && smtp.messages.indexOf(m) > smtp.messages.indexOf(first));
      assert.equal(await codeOf(confirmResponse(api, confirmToken(first))), "confirmation_invalid");
      assert.deepEqual(await confirmResponse(api, confirmToken(second)), { form: { slug: form.slug } });
      await confirmResponse(api, confirmToken(second)); // a second click is harmless
      const confirmed = await admin.forms.get("riverside", form.id);
      assert.equal(confirmed.pending, 0);
      assert.equal(confirmed.responses, 1);
      const opened = await admin.forms.openResponses("riverside", confirmed);
      assert.equal(opened.length, 1);
      assert.ok(opened[0]?.ok);
      assert.equal(opened[0].payload.answers.name, "Cy Okafor");
      assert.equal(opened[0].payload.email, "Cy.Okafor@example.org");
      assert.equal(opened[0].status, "complete");

      // confirmed: counted once, told kindly
      assert.equal(await codeOf(answer(form.slug, { name: "Cy", building: "east", consent: true }, { email: "cy.okafor@example.org" })), "already_answered");
      assert.equal((await admin.forms.get("riverside", form.id)).responses, 1);
      assert.equal(await codeOf(confirmResponse(api, "A".repeat(43))), "confirmation_invalid");
    });

    test("the response limit holds under a burst, and the closing date holds; both with their codes", async () => {
      const limited = await publish({ ...FORM, slug: "three-places", responseLimit: 3 });
      const view = await publicForm(api, limited.slug);
      const burst = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => answerForm(api, view, { name: `Person ${i}`, building: "north", consent: true }, { language: "en", solve })),
      );
      const accepted = burst.filter((r) => r.status === "fulfilled").length;
      const codes = burst.flatMap((r) => (r.status === "rejected" ? [(r.reason as { code?: string }).code] : []));
      assert.equal(accepted, 3);
      assert.deepEqual(codes, ["response_limit_reached", "response_limit_reached", "response_limit_reached"]);
      assert.equal((await publicForm(api, limited.slug)).state, "full");
      assert.equal((await admin.forms.get("riverside", limited.id)).responses, 3);
      // deleting one frees its place
      const opened = await admin.forms.openResponses("riverside", limited);
      await admin.forms.deleteResponse("riverside", limited.id, opened[0]!.id);
      assert.equal((await publicForm(api, limited.slug)).state, "open");
      await answer(limited.slug, { name: "Late but in", building: "south", consent: true });
      assert.equal(await codeOf(answer(limited.slug, { name: "Too late", building: "south", consent: true })), "response_limit_reached");

      const dated = await publish({ ...FORM, slug: "closing-soon", closesAt: Date.now() + 3_600_000 });
      await answer(dated.slug, { name: "In time", building: "east", consent: true });
      await admin.forms.update("riverside", dated.id, { closesAt: Date.now() - 1000 });
      assert.equal((await publicForm(api, dated.slug)).state, "closed");
      assert.equal(await codeOf(answer(dated.slug, { name: "After the date", building: "east", consent: true })), "form_closed");
      const byHand = await publish({ ...FORM, slug: "closed-by-hand" });
      await admin.forms.close("riverside", byHand.id);
      assert.equal(await codeOf(answer(byHand.slug, { name: "After closing", building: "east", consent: true })), "form_closed");
      assert.equal((await admin.forms.get("riverside", byHand.id)).responses, 0);
    });

    test("a replayed proof of work, a solution for another form and a stale key are refused, and nothing is stored", async () => {
      const form = await publish({ ...FORM, slug: "replays" });
      const view = await publicForm(api, form.slug);
      const pow = await solve(await api.powChallenge(formPowPurpose(view.id)));
      const sealed = sealAnswers(view, { name: "Dee", building: "north", consent: true }, { language: "en", now: Date.now() });
      const path = `/api/v1/public/forms/${form.slug}/responses`;
      const body = { pow, ...sealed, email: null, language: "en" };
      await api.request("POST", path, body);
      assert.equal(await codeOf(api.request("POST", path, body)), "pow_replayed");
      const elsewhere = await solve(await api.powChallenge(formPowPurpose("another-form")));
      assert.equal(await codeOf(api.request("POST", path, { ...body, pow: elsewhere })), "pow_invalid");
      const pow2 = await solve(await api.powChallenge(formPowPurpose(view.id)));
      assert.equal(await codeOf(api.request("POST", path, { ...body, pow: pow2, keyId: "not-the-current-key" })), "key_outdated");
      // an address on a form that asks for none is refused, not kept
      assert.equal(await codeOf(api.request("POST", path, { ...body, pow: pow2, email: "stray@example.org" })), "validation_failed");
      assert.equal((await admin.forms.get("riverside", form.id)).responses, 1);

      // after a rotation, answers sealed to the old key are refused; the page reloads and succeeds
      await admin.rotateOrganizationKey("riverside");
      const stale = sealAnswers(view, { name: "Ed", building: "north", consent: true }, { language: "en", now: Date.now() });
      assert.equal(await codeOf(api.request("POST", path, { ...body, ...stale, pow: pow2 })), "key_outdated");
      assert.equal(await codeOf(answerForm(api, view, { name: "Ed", building: "north", consent: true }, { language: "en", solve })), "key_outdated");
      await answer(form.slug, { name: "Ed", building: "north", consent: true });
      const after = await admin.forms.get("riverside", form.id);
      assert.equal(after.responses, 2);
      const opened = await admin.forms.openResponses("riverside", after);
      assert.equal(opened.filter((r) => r.ok).length, 2, "old and new keys both open");
    });

    test("an answer that breaks the rules, sent around the page, is flagged invalid on opening", async () => {
      const form = await publish({ ...FORM, slug: "around-the-page" });
      const view = await publicForm(api, form.slug);
      const payload = (answers: Record<string, unknown>, extra: Partial<ResponsePayload> = {}) => ({ v: 1, formId: view.id, answers, language: "en", answeredAt: Date.now(), ...extra });
      await sendAround(view, payload({ building: "north", consent: true, rent: -5 }));
      await sendAround(view, payload({ name: "Fa", building: "north", consent: true }, { formId: "some-other-form" }));
      await sendAround(view, payload({ name: "Gu", building: "south", consent: true }));
      const opened = await admin.forms.openResponses("riverside", await admin.forms.get("riverside", form.id));
      assert.equal(opened.length, 3);
      const invalid = opened.filter((r) => !r.ok);
      assert.equal(invalid.length, 2);
      const problems = invalid.flatMap((r) => (r.ok ? [] : r.problems.map((p) => `${p.question}:${p.problem}`))).sort();
      assert.deepEqual(problems, ["name:required", "rent:min"]);
      const summary = formSummary(view, opened);
      assert.equal(summary.counted, 1);
      assert.equal(summary.invalid, 2);
    });

    test("the organizer sums up per question and exports CSV; members cannot read", async () => {
      const form = (await admin.forms.list("riverside")).find((f) => f.slug === FORM.slug)!;
      const progress: number[] = [];
      const opened = await admin.forms.openResponses("riverside", form, (p) => progress.push(p.done));
      assert.deepEqual(progress.at(-1), 2);
      const summary = formSummary(form, opened);
      assert.equal(summary.counted, 2);
      const byId = Object.fromEntries(summary.questions.map((q) => [q.id, q]));
      assert.deepEqual(byId.building, { id: "building", kind: "singleChoice", answered: 2, counts: [{ choice: "north", count: 1 }, { choice: "south", count: 1 }, { choice: "east", count: 0 }] });
      assert.deepEqual(byId.issues, { id: "issues", kind: "multipleChoice", answered: 2, counts: [{ choice: "heating", count: 1 }, { choice: "mould", count: 1 }, { choice: "rent", count: 1 }] });
      assert.deepEqual(byId.rent, { id: "rent", kind: "number", answered: 2, min: 740, max: 1200, mean: 970, bins: [{ from: 740, to: 740, count: 1 }, { from: 1200, to: 1200, count: 1 }] });
      assert.deepEqual(byId["moved-in"], { id: "moved-in", kind: "date", answered: 1, counts: [{ month: "2019-03", count: 1 }] });
      assert.deepEqual(byId.consent, { id: "consent", kind: "consent", answered: 2 });
      assert.equal(byId.story?.kind === "longText" && byId.story.values[0], AMINA.story);

      const csv = responsesCsv(form, opened, "en");
      const [header, ...rows] = csv.trimEnd().split("\r\n");
      assert.equal(header, "status,answeredAt,confirmedAt,language,Your name,What happened?,Building,Problems in your flat,Monthly rent (€),Moved in on,Email to reach you,The union may contact me");
      assert.equal(rows.length, 2);
      assert.ok(rows.some((r) => r.includes("Amina Kaddour,The heating failed in January and =SUM(A1) nobody came,North tower,Heating; Mould,740,2019-03-01,amina.k@example.org,true")));
      assert.ok(rows.some((r) => r.includes(",fr,Bo Lindqvist,,South tower,Rent increase,1200,,,true")));
      assert.match(responsesCsv(form, opened, "fr"), /Votre nom,.*Tour nord/s);
      const formula = await publish({ ...FORM, slug: "formula" });
      await answer(formula.slug, { name: "=HYPERLINK(\"http://x\")", building: "north", consent: true });
      assert.match(responsesCsv(formula, await admin.forms.openResponses("riverside", formula)), /'=HYPERLINK/, "formulas are defused");

      const member = await join(t, admin, "riverside", "member-one");
      assert.equal(await codeOf(member.forms.list("riverside")), "forbidden");
      assert.equal(await codeOf(member.forms.get("riverside", form.id)), "forbidden");
      assert.equal(await codeOf(member.forms.openResponses("riverside", form)), "forbidden");
      assert.equal(await codeOf(member.forms.deleteResponse("riverside", form.id, opened[0]!.id)), "forbidden");
      // an organizer without the key sees ciphertext only, and says so
      const organizer = await join(t, admin, "riverside", "organizer-two", "organizer");
      const unopened = await organizer.forms.openResponses("riverside", form);
      assert.ok(unopened.every((r) => !r.ok && r.problem === "no_key"));
    });

    test("unconfirmed responses go after a week and free their places; retention deletes a closed form's responses", async () => {
      const form = await publish({ ...FORM, slug: "kept-briefly", confirmEmail: true, responseLimit: 5, retentionDays: 1 });
      const before = smtp.messages.length;
      await answer(form.slug, { name: "Ha", building: "north", consent: true }, { email: "ha@example.org" });
      await answer(form.slug, { name: "Io", building: "north", consent: true }, { email: "io@example.org" });
      const mail = await smtp.waitFor((m) => sentTo(m, "io@example.org") && smtp.messages.indexOf(m) >= before);
      await confirmResponse(api, confirmToken(mail));
      assert.equal((await admin.forms.get("riverside", form.id)).responses, 2);

      const ctx = t.server.ctx as { now: () => number };
      const realNow = ctx.now;
      ctx.now = () => realNow() + 8 * 86_400_000;
      try {
        assert.ok((await deleteExpiredResponses(t.server.ctx)) >= 1);
      } finally {
        ctx.now = realNow;
      }
      const afterWeek = await admin.forms.get("riverside", form.id);
      assert.equal(afterWeek.pending, 0);
      assert.equal(afterWeek.responses, 1, "the unconfirmed one's place is free again");

      await admin.forms.close("riverside", form.id);
      ctx.now = () => realNow() + 2 * 86_400_000;
      try {
        await deleteExpiredResponses(t.server.ctx);
      } finally {
        ctx.now = realNow;
      }
      assert.equal((await admin.forms.openResponses("riverside", afterWeek)).length, 0);
    });

    test("deleting a form deletes its responses; the audit log names each step", async () => {
      const form = await publish({ ...FORM, slug: "to-delete" });
      await answer(form.slug, { name: "Ji", building: "north", consent: true });
      await admin.forms.delete("riverside", form.id);
      assert.equal(await codeOf(publicForm(api, form.slug)), "not_found");
      const rows = await t.server.ctx.db.selectFrom("form_responses").select("id").where("form_id", "=", form.id).execute();
      assert.equal(rows.length, 0);
      const actions = new Set((await admin.audit("riverside", { limit: 200 })).items.map((e) => e.action));
      for (const action of ["form.created", "form.published", "form.closed", "form.deleted", "form.response_deleted"] as const) assert.ok(actions.has(action), action);
    });

    test("the database, the data folder and the logs hold none of the answers", async () => {
      const dump = await dumpEverything(t, logs);
      for (const secret of ["Amina Kaddour", "heating failed", "amina.k@example.org", "Bo Lindqvist", "Cy Okafor", "cy.okafor@example.org", "Cy.Okafor", "2019-03-01", "io@example.org", "Late but in"]) {
        assert.equal(dump.includes(secret), false, `"${secret}" is stored or logged in plain text`);
      }
    });
  });
}
