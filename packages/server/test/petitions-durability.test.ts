/**
 * kill -9 during a burst of signatures: after a restart every signature acknowledged to a signer is
 * there — its mailed link confirms it (or, when the kill took its queued mail, signing again says
 * it is known and mails fresh links), the counter counts it once, and the organizer opens it.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CommuneClient, solveProofOfWork } from "@commune/client";
import { PublicApi, confirmSignature, publicPetition, signPetition } from "@commune/client/public";
import { PASSWORD } from "./helpers.ts";
import { PETITION } from "./petition-fixture.ts";
import { freePort, serve } from "./process.ts";
import { startSmtpServer } from "./smtp.ts";

describe("petition durability", () => {
  it("every acknowledged signature survives kill -9", async () => {
    const data = await mkdtemp(join(tmpdir(), "commune-kill-sign-"));
    const smtp = await startSmtpServer();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    // behind a trusted proxy: each signer lane comes from its own address, so the per-address limits
    // (not under test here) do not stop the burst
    const env = { COMMUNE_SMTP_URL: smtp.url, COMMUNE_POW_MAX_NUMBER: "1000", COMMUNE_TRUST_PROXY: "true" };
    let server = await serve(data, port, env);
    try {
      const admin = new CommuneClient({ baseUrl: base });
      await admin.signUp({ username: "ada", password: PASSWORD, invite: server.link! });
      await admin.createOrganization({ name: "Durable", slug: "durable", visibility: "public", languages: ["en"] });
      await admin.setUpOrganizationKey("durable");
      const draft = await admin.petitions.create("durable", PETITION);
      await admin.petitions.publish("durable", draft.id);

      // eight signers at a time, each from its own address (the per-address limit is not under test)
      const acked: string[] = [];
      let killed = false;
      let next = 0;
      const signer = async (lane: number) => {
        const api = new PublicApi({ baseUrl: base, headers: { "x-forwarded-for": `198.51.100.${lane + 1}` } });
        const petition = await publicPetition(api, PETITION.slug);
        while (!killed) {
          const email = `signer-${lane}-${next++}@example.org`;
          try {
            await signPetition(api, petition, { email, name: `Signer ${lane}` }, { language: "en", solve: (c) => solveProofOfWork(c) });
            acked.push(email);
          } catch {
            return; // the server is gone
          }
        }
      };
      const lanes = Array.from({ length: 8 }, (_, lane) => signer(lane));
      const exited = new Promise((r) => server.child.once("exit", r));
      const deadline = Date.now() + 60_000;
      while (acked.length < 60 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      server.child.kill("SIGKILL");
      killed = true;
      await Promise.all(lanes);
      await exited;
      assert.ok(acked.length >= 60, `only ${acked.length} signatures before the deadline`);

      server = await serve(data, port, env);
      const api = new PublicApi({ baseUrl: base, headers: { "x-forwarded-for": "198.51.100.100" } });
      const petitionAfter = await publicPetition(api, PETITION.slug);
      let resent = 0;
      for (const email of acked) {
        let mail = smtp.messages.filter((m) => m.to.includes(email)).at(-1);
        if (!mail) {
          // its mail was still queued in memory when the process died: the signature is stored
          const again = await signPetition(api, petitionAfter, { email, name: "Someone" }, { language: "en", solve: (c) => solveProofOfWork(c) });
          assert.equal(again.resent, true, `${email} was stored before it was acknowledged`);
          resent++;
          mail = await smtp.waitFor((m) => m.to.includes(email));
        }
        const token = mail.text.match(/\/confirm#([A-Za-z0-9_-]+)/)?.[1];
        assert.ok(token);
        await confirmSignature(api, token);
      }
      assert.ok(resent < acked.length, "most mails left before the kill");
      const view = await publicPetition(api, PETITION.slug);
      assert.ok(view.count >= acked.length, "every acknowledged signature counts");
      const petition = await admin.petitions.get("durable", draft.id);
      const opened = await admin.petitions.openSignatures("durable", petition);
      const emails = opened.flatMap((s) => (s.ok ? [s.payload.email] : []));
      assert.equal(new Set(emails).size, emails.length, "each signature once");
      for (const email of acked) assert.ok(emails.includes(email), `${email} survived`);
    } finally {
      server.child.kill("SIGKILL");
      await smtp.close();
      await rm(data, { recursive: true, force: true });
    }
  });
});
