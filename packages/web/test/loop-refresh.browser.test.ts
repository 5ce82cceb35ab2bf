/**
 * Browsers refresh their keys in each loop by themselves: on an instance that asks for it every
 * 10 seconds (COMMUNE_LOOP_KEY_REFRESH_SECONDS; a week by default), each person's browser commits
 * an update of its own keys, both stay in step, and they still read each other.
 *
 * Run: node --test packages/web/test/loop-refresh.browser.test.ts   (after `npm run build`).
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { test } from "node:test";
import { CommuneClient } from "@commune/client";
import type { Page } from "playwright-core";
import { en } from "../src/i18n/en.ts";
import { browserForTests, h1, loopMessage as message, newPerson, signIn, skipReason, startServer } from "./support.ts";

const chromium = browserForTests();
const PASSWORD = "solidarity forever 1912";
const m = en;

async function openLoops(page: Page, url: string, username: string): Promise<void> {
  await signIn(page, url, username, PASSWORD);
  await page.getByRole("navigation", { name: m.app.mainNav }).getByRole("link", { name: m.app.loops }).click();
  await h1(page, m.loops.title).waitFor();
  await page.locator('[data-loops="online"]').waitFor();
}

test("each browser commits fresh keys in its loop when the instance asks, and the loop carries on", { skip: skipReason ?? false, timeout: 120_000 }, async () => {
  const { server, url, setupToken, dataDir } = await startServer({ loopKeyRefreshSeconds: 10 });
  const problems: string[] = [];
  try {
    const setup = new CommuneClient({ baseUrl: url });
    await setup.signUp({ username: "amina", password: PASSWORD, invite: setupToken });
    await setup.createOrganization({ name: "Riverside Tenants", slug: "riverside", visibility: "private", languages: ["en"] });
    const invite = await setup.createInvite("riverside", { role: "member", expiresInHours: 24, maxUses: 1 });
    const joining = new CommuneClient({ baseUrl: url });
    await joining.signUp({ username: "bilal", password: PASSWORD, invite: invite.token });
    assert.equal((await setup.instance()).loopKeyRefreshSeconds, 10);

    const admin = await newPerson(chromium.browser, url, "en-US", problems);
    const member = await newPerson(chromium.browser, url, "en-US", problems);
    const [a, b] = [admin.page, member.page];
    await openLoops(a, url, "amina");
    await openLoops(b, url, "bilal");

    await a.getByRole("link", { name: m.loops.newGroup }).click();
    await a.getByLabel(m.loops.name, { exact: true }).fill("Building committee");
    await a.getByRole("checkbox", { name: "bilal" }).check();
    await a.getByRole("button", { name: m.loops.start }).click();
    await h1(a, "Building committee").waitFor();
    await b.getByRole("link", { name: "Building committee" }).click();
    await b.locator('[data-joined="true"]').waitFor();

    // both browsers' devices commit an update of their own keys, on their own
    const [room] = await setup.rooms();
    const browserDevices = new Set((await setup.room(room!.id)).members.flatMap((p) => p.devices.map((d) => d.id)));
    // (the headless clients that made the accounts are devices too, but never join the loop)
    browserDevices.delete(setup.device!.deviceId);
    browserDevices.delete(joining.device!.deviceId);
    assert.equal(browserDevices.size, 2);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const commits = (await setup.events(room!.id)).filter((e) => e.kind === "commit");
      // the first commit made the group; each browser's refreshes come after
      const refreshed = new Set(commits.slice(1).map((e) => e.senderDeviceId));
      if ([...browserDevices].every((d) => refreshed.has(d))) break;
      if (Date.now() > deadline) assert.fail(`not every browser refreshed its keys: ${[...refreshed].join(", ")}`);
      await new Promise((r) => setTimeout(r, 500));
    }

    // still in step: what one writes, the other reads
    const composerA = a.getByLabel(m.loops.message, { exact: true });
    const composerB = b.getByLabel(m.loops.message, { exact: true });
    await composerA.fill("Boiler inspection on Thursday");
    await composerA.press("Enter");
    await message(b, "Boiler inspection on Thursday").waitFor();
    await composerB.fill("I will let them in");
    await composerB.press("Enter");
    await message(a, "I will let them in").waitFor();

    await admin.context.close();
    await member.context.close();
    assert.deepEqual(problems, []);
  } finally {
    await server.destroy().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
});
