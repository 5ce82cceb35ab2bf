/**
 * In real browsers against a real server: an administrator chooses the post-quantum suite for the
 * organization's new loops with the keyboard, reads what it costs and that existing loops keep
 * theirs; a member sees which suite is in use; a loop started in the browser then uses it, in
 * English and in Arabic (right to left). Then a member's headless device goes around the server's
 * member list and adds an outsider to a loop: the administrator's page refuses the change and
 * says, in words, that the server sent a change that breaks the loop's rules.
 *
 * Run: node --test packages/web/test/loop-suite-and-rules.browser.test.ts   (after `npm run build`).
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, test } from "node:test";
import { fromBase64Url, toBase64Url } from "@commune/crypto";
import { commit, decodeState } from "@commune/crypto/mls";
import { CommuneClient, LoopEngine, MemoryLoopStore } from "@commune/client";
import type { Browser, Page } from "playwright-core";
import { ar } from "../src/i18n/ar.ts";
import { en } from "../src/i18n/en.ts";
import { h1, launchBrowser, newPerson, shot, skipReason, startServer } from "./support.ts";

let browser: Browser | null = null;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const PASSWORD = "solidarity forever 1912";
const XWING = "MLS_256_XWING_AES256GCM_SHA512_Ed25519";

async function signIn(page: Page, url: string, username: string, m: typeof en = en): Promise<void> {
  await page.goto(`${url}/sign-in`);
  await h1(page, m.signIn.title).waitFor();
  await page.getByLabel(m.fields.username, { exact: true }).fill(username);
  await page.getByLabel(m.fields.password, { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: m.signIn.submit }).click();
  await h1(page, m.home.title).waitFor();
}

test("an administrator chooses the post-quantum suite; a loop that breaks its rules is stopped and says why", { skip: skipReason ?? false, timeout: 240_000 }, async (t) => {
  const { server, url, setupToken, dataDir } = await startServer();
  const problems: string[] = [];
  try {
    const setup = new CommuneClient({ baseUrl: url });
    await setup.signUp({ username: "amina", password: PASSWORD, invite: setupToken });
    await setup.createOrganization({ name: "Riverside Tenants", slug: "riverside", visibility: "private", languages: ["en", "ar"] });
    const people: Record<string, CommuneClient> = {};
    for (const name of ["bilal", "oscar"]) {
      const invite = await setup.createInvite("riverside", { role: "member", expiresInHours: 24, maxUses: 1 });
      people[name] = new CommuneClient({ baseUrl: url });
      await people[name].signUp({ username: name, password: PASSWORD, invite: invite.token });
    }
    const engines = Object.fromEntries(Object.entries(people).map(([name, c]) => [name, new LoopEngine(c, new MemoryLoopStore(), { keyPackageStock: 3 })]));

    const admin = await newPerson(browser, url, "en-US", problems);
    const member = await newPerson(browser, url, "en-US", problems);
    const a = admin.page;
    const b = member.page;
    await signIn(a, url, "amina");
    await signIn(b, url, "bilal");

    // ---- the administrator's choice, made with the keyboard ----
    await a.goto(`${url}/orgs/riverside`);
    await h1(a, "Riverside Tenants").waitFor();
    const section = a.getByRole("region", { name: en.orgSettings.loopSuiteTitle });
    await section.getByText(en.orgSettings.existing).waitFor();
    for (const line of en.orgSettings.costs) await section.getByText(line).waitFor();
    const standard = section.getByRole("radio", { name: en.orgSettings.standard });
    const postQuantum = section.getByRole("radio", { name: en.orgSettings.postQuantum });
    assert.equal(await standard.isChecked(), true);
    await standard.focus();
    await a.keyboard.press("ArrowDown");
    assert.equal(await postQuantum.isChecked(), true);
    await a.keyboard.press("Tab");
    await a.keyboard.press("Enter");
    await a.getByRole("status").getByText(en.orgSettings.saved(en.orgSettings.postQuantum)).waitFor();
    assert.equal((await setup.organization("riverside")).loopSuite, XWING);
    await a.locator(`[data-loop-suite="${XWING}"]`).waitFor();
    await shot(a, "org-settings-en-loop-suite", t);

    // ---- a member sees which suite new loops use ----
    await b.goto(`${url}/orgs/riverside`);
    await b.getByText(en.orgSettings.current(en.orgSettings.postQuantum)).waitFor();
    assert.equal(await b.getByRole("radio", { name: en.orgSettings.postQuantum }).count(), 0);

    // ---- a loop started in the browser uses it ----
    for (const e of Object.values(engines)) await e.start();
    await a.goto(`${url}/loops`);
    await a.locator('[data-loops="online"]').waitFor();
    await a.getByRole("link", { name: en.loops.newGroup }).click();
    await h1(a, en.loops.newGroup).waitFor();
    await a.getByLabel(en.loops.name, { exact: true }).fill("Negotiating team");
    await a.getByRole("checkbox", { name: "bilal" }).check();
    await a.getByRole("button", { name: en.loops.start }).click();
    await h1(a, "Negotiating team").waitFor();
    await a.locator('[data-joined="true"]').waitFor();
    const room = (await setup.rooms()).find((r) => r.name === "Negotiating team")!;
    assert.equal(room.suite, XWING);
    const bilal = engines.bilal!;
    assert.deepEqual(await bilal.acceptWelcomes(), [room.id]);
    await bilal.send(room.id, { type: "text", body: "Post-quantum hello" });
    await a.getByRole("log", { name: en.loops.messages }).getByText("Post-quantum hello").waitFor();

    // ---- the same settings in Arabic, right to left ----
    await member.context.close();
    const arabic = await newPerson(browser, url, "ar", problems);
    await signIn(arabic.page, url, "bilal", ar);
    await arabic.page.goto(`${url}/orgs/riverside`);
    await arabic.page.getByRole("region", { name: ar.orgSettings.loopSuiteTitle }).getByText(ar.orgSettings.current(ar.orgSettings.postQuantum)).waitFor();
    assert.equal(await arabic.page.locator("html").getAttribute("dir"), "rtl");
    await shot(arabic.page, "org-settings-ar-loop-suite", t);
    await arabic.context.close();

    // ---- bilal's device adds oscar around the server's member list ----
    const oscar = people.oscar!;
    const claim = await people.bilal!.claimKeyPackages(room.suite, [(await oscar.me()).id]);
    const saved = await bilal.store.get(`room:${room.id}`);
    const decoded = await decodeState(fromBase64Url((JSON.parse(new TextDecoder().decode(saved!)) as { state: string }).state));
    assert.ok(decoded.ok);
    const outcome = await commit(decoded.group, { add: claim.packages.map((p) => fromBase64Url(p.data)) });
    assert.ok(outcome.ok);
    await people.bilal!.submitCommit(room.id, { epoch: Number(decoded.group.epoch), id: toBase64Url(crypto.getRandomValues(new Uint8Array(12))), data: toBase64Url(outcome.commit) });

    // the administrator's page refuses it and says why; the composer is gone
    const alert = a.locator('[data-loop-violation="outsider_added"]');
    await alert.waitFor();
    await alert.getByText(en.loopRules.title).waitFor();
    await alert.getByText(en.loopRules.why(en.loopRules.reasons.outsider_added)).waitFor();
    assert.equal(await a.getByLabel(en.loops.message, { exact: true }).count(), 0);
    await shot(a, "loop-rules-en-stopped", t);
    // and after a reload, the loop is still stopped on this device
    await a.reload();
    await a.locator('[data-loop-violation="outsider_added"]').waitFor();

    await admin.context.close();
    assert.deepEqual(problems, []);
  } finally {
    await server.destroy().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
});
