/**
 * Petitions end to end through the real client: an organizer publishes; members of the public
 * sign with a real proof of work and a signature sealed to the organization's key; the mail
 * arrives at a real SMTP server; its link confirms; duplicates, replays, withdrawals, stale keys
 * and closed petitions are refused with their codes; the organizer opens and exports what only
 * the organization can read; retention deletes; and the store, the blobs and the logs hold none of
 * the signers' words.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { signaturesCsv, solveProofOfWork, type CommuneClient } from "@commune/client";
import { PublicApi, confirmSignature, publicPetition, sealSignature, signPetition, withdrawSignature, type SignerAnswers } from "@commune/client/public";
import type { Language } from "@commune/protocol";
import { createLogger } from "../src/logger.ts";
import { codeOf, DIALECTS, join, startServer, type TestServer } from "./helpers.ts";
import { dumpEverything } from "./instance-dump.ts";
import { PETITION } from "./petition-fixture.ts";
import { startSmtpServer, type ReceivedMail } from "./smtp.ts";


const solve = (challenge: Parameters<typeof solveProofOfWork>[0]) => solveProofOfWork(challenge);

/** The token after `#` in the link of a mail that starts with `prefix`. */
function linkToken(mail: ReceivedMail, kind: "confirm" | "withdraw"): string {
  const match = mail.text.match(new RegExp(`/p/[a-z0-9-]+/${kind}#([A-Za-z0-9_-]+)`));
  assert.ok(match, `the mail holds a ${kind} link`);
  return match[1] as string;
}

for (const dialect of DIALECTS) {
  describe(`petitions (${dialect})`, () => {
    let t: TestServer;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    let admin: CommuneClient;
    let api: PublicApi;
    const logs: string[] = [];

    before(async () => {
      smtp = await startSmtpServer();
      t = await startServer(dialect, { smtpUrl: smtp.url, mailFrom: "petitions@commune.test", powMaxNumber: 1000, logger: createLogger("debug", (line) => logs.push(line)) });
      admin = await t.admin("organizer");
      await admin.createOrganization({ name: "Parents for Clean Air", slug: "clean-air", visibility: "public", languages: ["en", "fr"] });
      api = new PublicApi({ baseUrl: t.url });
    });
    after(async () => {
      await t?.close();
      await smtp?.close();
    });

    async function sign(slug: string, answers: SignerAnswers, language: Language = "en") {
      const petition = await publicPetition(api, slug);
      return signPetition(api, petition, answers, { language, solve });
    }
    async function mailFor(address: string, after = 0): Promise<ReceivedMail> {
      return smtp.waitFor((m) => m.to.some((to) => to.toLowerCase() === address) && smtp.messages.indexOf(m) >= after);
    }

    test("publishing needs the organization's key; a draft is not public", async () => {
      const draft = await admin.petitions.create("clean-air", PETITION);
      assert.equal(draft.status, "draft");
      assert.equal(await codeOf(publicPetition(api, PETITION.slug)), "not_found");
      assert.equal(await codeOf(admin.petitions.publish("clean-air", draft.id)), "organization_key_missing");
      const { recoveryKey } = await admin.setUpOrganizationKey("clean-air");
      assert.ok(recoveryKey.length > 20);
      const published = await admin.petitions.publish("clean-air", draft.id);
      assert.equal(published.state, "open");
      assert.equal(await codeOf(admin.petitions.update("clean-air", draft.id, { fields: { ...PETITION.fields, country: "required" } })), "conflict");
      const view = await publicPetition(api, PETITION.slug);
      assert.equal(view.translations.fr?.title, "De l’air pur autour des écoles");
      assert.equal(view.count, 0);
      assert.equal(view.mail, true);
      assert.ok(view.key);
    });

    test("a signature is mailed, confirmed by its link, counted once, and withdrawn by the other link", async () => {
      const before = smtp.messages.length;
      const receipt = await sign(PETITION.slug, { email: "Amina.K@example.org", name: "Amina Kaddour", comment: "For my daughter Yasmine", showPublicly: true, keepInformed: true });
      assert.deepEqual(receipt, { status: "pending", mailed: true, resent: false });
      const mail = await mailFor("amina.k@example.org", before);
      assert.match(mail.subject, /Clean air around our schools/);
      assert.equal((await publicPetition(api, PETITION.slug)).count, 0, "unconfirmed signatures do not count");

      // the public page's live stream hears the confirmation
      const live = await fetch(`${t.url}/api/v1/public/petitions/${PETITION.slug}/live`);
      assert.match(live.headers.get("content-type") ?? "", /^text\/event-stream/);
      const reader = live.body!.pipeThrough(new TextDecoderStream()).getReader();
      const heard = (async () => {
        let text = "";
        while (!/"count":1/.test(text)) {
          const { value, done } = await reader.read();
          if (done) break;
          text += value;
        }
        await reader.cancel();
        return text;
      })();
      const confirmed = await confirmSignature(api, linkToken(mail, "confirm"));
      assert.equal(confirmed.count, 1);
      assert.match(await heard, /event: progress\ndata: \{"count":1,"publicNames":\["Amina Kaddour"\]\}/);
      // a second click is harmless
      assert.equal((await confirmSignature(api, linkToken(mail, "confirm"))).count, 1);
      const view = await publicPetition(api, PETITION.slug);
      assert.equal(view.count, 1);
      assert.deepEqual(view.publicNames, ["Amina Kaddour"]);

      // the same address, differently written: counted once, told kindly
      assert.equal(await codeOf(sign(PETITION.slug, { email: " amina.k@EXAMPLE.org", name: "Amina K" })), "already_signed");

      await withdrawSignature(api, linkToken(mail, "withdraw"));
      const after = await publicPetition(api, PETITION.slug);
      assert.equal(after.count, 0);
      assert.deepEqual(after.publicNames, []);
      assert.equal(await codeOf(confirmSignature(api, linkToken(mail, "confirm"))), "signature_withdrawn");
      // withdrawing twice is harmless; a made-up token is refused
      await withdrawSignature(api, linkToken(mail, "withdraw"));
      assert.equal(await codeOf(confirmSignature(api, "A".repeat(43))), "confirmation_invalid");
    });

    test("an unconfirmed signature signed again keeps its content and gets fresh links", async () => {
      const before = smtp.messages.length;
      await sign(PETITION.slug, { email: "bo@example.org", name: "Bo Lindqvist" });
      const first = await mailFor("bo@example.org", before);
      const again = await sign(PETITION.slug, { email: "bo@example.org", name: "Someone Else" });
      assert.equal(again.resent, true);
      const second = await mailFor("bo@example.org", smtp.messages.indexOf(first) + 1);
      assert.equal(await codeOf(confirmSignature(api, linkToken(first, "confirm"))), "confirmation_invalid");
      assert.equal((await confirmSignature(api, linkToken(second, "confirm"))).count, 1);
      const petition = (await admin.petitions.list("clean-air"))[0]!;
      const opened = await admin.petitions.openSignatures("clean-air", petition);
      const bo = opened.find((s) => s.ok && s.payload.email === "bo@example.org");
      assert.ok(bo?.ok);
      assert.equal(bo.payload.name, "Bo Lindqvist");
    });

    test("a replayed proof of work, a stale key, a payload for another petition and bad fields are refused", async () => {
      const petition = await publicPetition(api, PETITION.slug);
      const challenge = await api.powChallenge(`petition:${petition.id}`);
      const pow = await solve(challenge);
      const sealed = await sealSignature(petition, { email: "cy@example.org", name: "Cy" }, "en", Date.now());
      const body = { pow, keyId: sealed.keyId, sealed: sealed.sealed, email: "cy@example.org", publicName: null, language: "en" };
      const path = `/api/v1/public/petitions/${PETITION.slug}/signatures`;
      await api.request("POST", path, body);
      assert.equal(await codeOf(api.request("POST", path, { ...body, email: "cy2@example.org" })), "pow_replayed");

      const pow2 = await solve(await api.powChallenge(`petition:${petition.id}`));
      assert.equal(await codeOf(api.request("POST", path, { ...body, pow: pow2, keyId: "not-the-current-key" })), "key_outdated");
      // a solution for another purpose cannot be spent here
      const elsewhere = await solve(await api.powChallenge("petition:somewhere-else"));
      assert.equal(await codeOf(api.request("POST", path, { ...body, pow: elsewhere, email: "cy3@example.org" })), "pow_invalid");
      // the page refuses before anything is sent
      await assert.rejects(sign(PETITION.slug, { email: "dee@example.org" }), /name/);
    });

    test("the organizer opens, filters and exports; members cannot read; deletion uncounts", async () => {
      const before = smtp.messages.length;
      await sign(PETITION.slug, { email: "eve@example.org", name: "Ève Durand", postalCode: "75011", comment: "=HYPERLINK(\"x\")", keepInformed: true }, "fr");
      const mail = await mailFor("eve@example.org", before);
      assert.match(mail.subject, /Confirmez votre signature/);
      await confirmSignature(api, linkToken(mail, "confirm"));
      const petition = (await admin.petitions.list("clean-air"))[0]!;
      assert.equal(petition.count, 2);
      const progress: number[] = [];
      const opened = await admin.petitions.openSignatures("clean-air", petition, (p) => progress.push(p.done));
      assert.ok(progress.length >= 1);
      const eve = opened.find((s) => s.ok && s.payload.email === "eve@example.org");
      assert.ok(eve?.ok);
      assert.equal(eve.payload.postalCode, "75011");
      assert.equal(eve.payload.language, "fr");
      assert.equal(eve.status, "confirmed");
      const csv = signaturesCsv(opened.filter((s) => s.status === "confirmed"));
      assert.match(csv, /^status,signedAt,confirmedAt,name,email/);
      assert.match(csv, /Ève Durand,eve@example\.org,75011/);
      assert.match(csv, /'=HYPERLINK/, "formulas are defused");

      const member = await join(t, admin, "clean-air", "member-one");
      assert.equal(await codeOf(member.petitions.list("clean-air")), "forbidden");
      assert.equal(await codeOf(member.petitions.openSignatures("clean-air", petition)), "forbidden");

      await admin.petitions.deleteSignature("clean-air", petition.id, eve.id);
      assert.equal((await admin.petitions.get("clean-air", petition.id)).count, 1);
    });

    test("a closed petition takes no signatures; retention deletes them after its period", async () => {
      const second = await admin.petitions.create("clean-air", { ...PETITION, slug: "bike-lanes", retentionDays: 1 });
      await admin.petitions.publish("clean-air", second.id);
      const before = smtp.messages.length;
      await sign("bike-lanes", { email: "fa@example.org", name: "Fa" });
      const mail = await mailFor("fa@example.org", before);
      await admin.petitions.close("clean-air", second.id);
      assert.equal(await codeOf(sign("bike-lanes", { email: "gu@example.org", name: "Gu" })), "petition_closed");
      assert.equal(await codeOf(confirmSignature(api, linkToken(mail, "confirm"))), "petition_closed");

      const { deleteExpiredSignatures } = await import("../src/services/signatures.ts");
      const ctx = t.server.ctx as { now: () => number };
      const realNow = ctx.now;
      ctx.now = () => realNow() + 2 * 86_400_000;
      try {
        assert.ok((await deleteExpiredSignatures(t.server.ctx)) >= 1);
      } finally {
        ctx.now = realNow;
      }
      const closed = await admin.petitions.get("clean-air", second.id);
      assert.equal(closed.pending, 0);
      assert.equal((await admin.petitions.openSignatures("clean-air", closed)).length, 0);
    });

    test("the database, the blob folder and the logs hold none of what signers typed", async () => {
      const dump = await dumpEverything(t, logs);
      // the dump does reach the data: the public text is there
      assert.ok(dump.includes("Clean air around our schools"), "the dump holds the petition's public title");
      // (names shown publicly with consent travel in clear by design: not in this list)
      for (const secret of ["Yasmine", "amina.k@example.org", "bo@example.org", "Bo Lindqvist", "eve@example.org", "75011", "Durand", "cy@example.org"]) {
        assert.equal(dump.includes(secret), false, `"${secret}" is stored or logged in plain text`);
      }
    });
  });
}
