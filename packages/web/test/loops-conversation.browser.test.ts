/**
 * The conversation features of loops in real browsers against a real server: two people, each in
 * their own browser context, exchange an image and a PDF (encrypted in the page, uploaded with a
 * progress bar on a throttled connection, the image shown inline once decrypted, the PDF
 * downloaded with its own progress and byte-for-byte the file sent); a file over the instance's
 * limit is refused before upload with a sentence saying the limit; a mention chosen from keyboard
 * suggestions shows as a mention badge and an unread count in the room list, and a "new messages"
 * divider in the conversation; typing shows only once both people turned it on; and two tabs of one
 * browser profile share one device: one leads, the other acts through it, and takes over when the
 * first closes.
 *
 * Run: node --test packages/web/test/loops-conversation.browser.test.ts   (after `npm run build`).
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { rmSync } from "node:fs";
import { deflateSync, crc32 } from "node:zlib";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { CommuneClient } from "@commune/client";
import type { Page } from "playwright-core";
import { ar } from "../src/i18n/ar.ts";
import { en } from "../src/i18n/en.ts";
import { formatFileSize } from "../src/loops/attachment-rules.ts";
import { browserForTests, h1, loopLog as log, loopMessage as message, newPerson, shot, signIn as signInWith, skipReason, startServer, watch } from "./support.ts";

const chromium = browserForTests();

const PASSWORD = "solidarity forever 1912";
const m = en;
const signIn = (page: Page, url: string, username: string) => signInWith(page, url, username, PASSWORD);

/** A real PNG of random pixels (so it does not compress): `side`×`side`, RGB. */
function randomPng(side: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, truecolour, deflate, no filter method, no interlace
  const rows: Buffer[] = [];
  for (let y = 0; y < side; y++) rows.push(Buffer.concat([Buffer.from([0]), randomBytes(side * 3)]));
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", deflateSync(Buffer.concat(rows), { level: 0 })), chunk("IEND", Buffer.alloc(0))]);
}

/** Slows this page's network, as a phone on a poor connection would be (Chromium's own throttling). */
async function throttle(page: Page, bytesPerSecond: { up?: number; down?: number }): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, uploadThroughput: bytesPerSecond.up ?? -1, downloadThroughput: bytesPerSecond.down ?? -1 });
}
/** Waits until a progress bar is part-way: neither empty nor full. */
async function partWay(page: Page, name: string): Promise<void> {
  const bar = page.getByRole("progressbar", { name, exact: true });
  await bar.waitFor();
  await page.waitForFunction((label) => {
    const el = document.querySelector<HTMLProgressElement>(`progress[aria-label="${label}"]`);
    return el !== null && el.value > 0 && el.value < el.max;
  }, name);
}
/** Records in the page whether anyone was ever shown typing, from now on. */
async function watchTyping(page: Page): Promise<() => Promise<boolean>> {
  await page.evaluate(() => {
    const w = window as unknown as { sawTyping: boolean };
    w.sawTyping = false;
    const check = () => {
      if (Number(document.querySelector(".typing-indicator")?.getAttribute("data-typing") ?? 0) > 0) w.sawTyping = true;
    };
    new MutationObserver(check).observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { sawTyping: boolean }).sawTyping);
}

test("two people exchange files with progress, mention each other, see typing only when both share it; two tabs share one device", { skip: skipReason ?? false, timeout: 300_000 }, async (t) => {
  // a small attachment limit, so a file over it is quick to make
  const { server, url, setupToken, dataDir } = await startServer({ maxAttachmentBytes: 3 * 1024 * 1024 });
  const problems: string[] = [];
  try {
    // ---- the organization and its two people, through the headless client ----
    const setup = new CommuneClient({ baseUrl: url });
    await setup.signUp({ username: "amina", password: PASSWORD, invite: setupToken });
    await setup.createOrganization({ name: "Riverside Tenants", slug: "riverside", visibility: "private", languages: ["en"] });
    const invite = await setup.createInvite("riverside", { role: "member", expiresInHours: 24, maxUses: 1 });
    await new CommuneClient({ baseUrl: url }).signUp({ username: "bilal", password: PASSWORD, invite: invite.token });
    const limit = (await setup.instance()).maxAttachmentBytes;

    const admin = await newPerson(chromium.browser, url, "en-US", problems);
    const member = await newPerson(chromium.browser, url, "en-US", problems);
    const a = admin.page;
    const b = member.page;
    await signIn(a, url, "amina");
    await signIn(b, url, "bilal");
    for (const page of [a, b]) {
      await page.getByRole("navigation", { name: m.app.mainNav }).getByRole("link", { name: m.app.loops }).click();
      await h1(page, m.loops.title).waitFor();
      await page.locator('[data-loops="online"]').waitFor();
    }
    await a.getByRole("link", { name: m.loops.newGroup }).click();
    await a.getByLabel(m.loops.name, { exact: true }).fill("Print shop");
    await a.getByRole("checkbox", { name: "bilal" }).check();
    await a.getByRole("button", { name: m.loops.start }).click();
    await h1(a, "Print shop").waitFor();
    await a.locator('[data-joined="true"]').waitFor();
    await b.getByRole("link", { name: "Print shop" }).click();
    await b.locator('[data-joined="true"]').waitFor();
    const composerA = a.getByLabel(m.loops.message, { exact: true });
    const composerB = b.getByLabel(m.loops.message, { exact: true });

    // ---- the limit is said before anything is chosen; a file over it is refused before upload ----
    await a.getByText(m.loops.attachHint(formatFileSize("en", limit - 16))).waitFor();
    const fileInput = a.locator('input[type="file"]');
    const tooBig = limit + 1024;
    await fileInput.setInputFiles({ name: "strike-video.mp3", mimeType: "audio/mpeg", buffer: Buffer.alloc(tooBig) });
    await a.getByRole("alert").getByText(m.loops.fileTooBig("strike-video.mp3", formatFileSize("en", tooBig), formatFileSize("en", limit - 16))).waitFor();
    assert.equal(await a.getByRole("progressbar").count(), 0);
    await fileInput.setInputFiles({ name: "notes.exe", mimeType: "application/x-msdownload", buffer: Buffer.from("MZ") });
    await a.getByRole("alert").getByText(m.loops.fileWrongType("notes.exe")).waitFor();

    // ---- an image, uploaded on a slow connection: the progress bar moves, then it shows inline ----
    const png = randomPng(700); // ~1.4 MB of incompressible pixels
    await throttle(a, { up: 200 * 1024 });
    await fileInput.setInputFiles({ name: "flyer.png", mimeType: "image/png", buffer: png });
    await a.getByText(m.loops.attached("flyer.png", formatFileSize("en", png.length))).waitFor();
    await composerA.fill("The flyer for Saturday");
    await composerA.press("Enter");
    await partWay(a, m.loops.uploading("flyer.png"));
    await shot(a, "loops-conversation-upload-progress", t);
    await throttle(a, {});
    const image = b.getByRole("img", { name: m.loops.imageAlt("flyer.png") }).or(b.getByRole("img", { name: "The flyer for Saturday" }));
    await image.waitFor();
    assert.equal(await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), 700, "the decrypted image is the picture sent");
    await message(b, "The flyer for Saturday").waitFor();

    // ---- a PDF: offered by name and size, downloaded with progress, byte for byte ----
    const pdf = Buffer.concat([Buffer.from("%PDF-1.4\n"), randomBytes(900_000)]);
    await fileInput.setInputFiles({ name: "minutes.pdf", mimeType: "application/pdf", buffer: pdf });
    await a.getByRole("button", { name: m.loops.send }).click();
    const pdfButton = b.getByRole("button", { name: `${m.loops.download("minutes.pdf")} (${formatFileSize("en", pdf.length)})` });
    await pdfButton.waitFor();
    await throttle(b, { down: 150 * 1024 });
    const downloading = b.waitForEvent("download");
    await pdfButton.click();
    await partWay(b, m.loops.downloading("minutes.pdf"));
    await shot(b, "loops-conversation-download-progress", t);
    const download = await downloading;
    await throttle(b, {});
    assert.equal(download.suggestedFilename(), "minutes.pdf");
    assert.deepEqual(await readFile((await download.path())!), pdf);

    // ---- typing: off by default for both; on for one only is still nothing; on for both shows it ----
    const typingSeenByB = await watchTyping(b);
    await composerA.pressSequentially("thinking about it");
    await composerA.fill("Typing is off for both of us");
    await composerA.press("Enter");
    await message(b, "Typing is off for both of us").waitFor();
    assert.equal(await typingSeenByB(), false);
    await a.getByRole("checkbox", { name: m.loops.shareTyping }).check();
    await composerA.pressSequentially("still thinking");
    await composerA.fill("Now only I share typing");
    await composerA.press("Enter");
    await message(b, "Now only I share typing").waitFor();
    assert.equal(await typingSeenByB(), false, "someone who does not share typing does not see it either");
    await b.getByRole("checkbox", { name: m.loops.shareTyping }).check();
    await composerA.pressSequentially("almost done");
    await b.getByText(m.loops.typingOne("amina")).waitFor();
    await shot(b, "loops-conversation-typing", t);
    await composerA.fill("Done");
    await composerA.press("Enter");
    await message(b, "Done").waitFor();
    await b.getByText(m.loops.typingOne("amina")).waitFor({ state: "detached" });

    // ---- a mention chosen from suggestions with the keyboard; bilal is on the room list ----
    await b.getByRole("link", { name: m.loops.all }).click();
    await h1(b, m.loops.title).waitFor();
    await composerA.fill("");
    await composerA.pressSequentially("@bi");
    const option = a.getByRole("listbox", { name: m.loops.mentionList }).getByRole("option", { name: "@bilal" });
    await option.waitFor();
    assert.equal(await option.getAttribute("aria-selected"), "true");
    assert.equal(await composerA.getAttribute("aria-activedescendant"), await option.getAttribute("id"));
    await composerA.press("Enter");
    assert.equal(await composerA.inputValue(), "@bilal ");
    await composerA.pressSequentially("can you print 200 copies?");
    await composerA.press("Enter");
    await message(a, "can you print 200 copies?").waitFor();
    await composerA.fill("And the banner");
    await composerA.press("Enter");
    await message(a, "And the banner").waitFor();
    const row = b.locator(".loop-row").filter({ hasText: "Print shop" });
    await row.getByText(m.loops.unread(2)).waitFor();
    await row.getByText(m.loops.mentions(1)).waitFor();
    await shot(b, "loops-conversation-list-badges", t);

    // ---- in the conversation: a divider above what is new, the mention set apart ----
    await b.getByRole("link", { name: "Print shop" }).click();
    const divider = log(b).getByRole("separator").filter({ hasText: m.loops.newMessages });
    await divider.waitFor();
    const mentionMe = message(b, "can you print 200 copies?").locator(".mention-me");
    assert.equal(await mentionMe.getAttribute("data-mention"), "bilal");
    assert.equal(await divider.evaluate((el) => el.nextElementSibling?.textContent?.includes("can you print 200 copies?")), true);
    await shot(b, "loops-conversation-divider", t);
    // read now: the badge is gone from the list
    await b.getByRole("link", { name: m.loops.all }).click();
    await row.waitFor();
    await b.locator(".loop-row .badge").first().waitFor({ state: "detached" });

    // ---- two tabs of one profile: one leads, the other acts through it, then takes over ----
    const loopUrl = a.url();
    await b.goto(loopUrl);
    await b.locator('[data-joined="true"]').waitFor();
    const b2 = await member.context.newPage();
    watch(b2, url, problems);
    await b2.goto(loopUrl);
    await b2.locator('[data-joined="true"]').waitFor();
    await b.locator('[data-loops-tab="leader"]').waitFor();
    await b2.locator('[data-loops-tab="follower"]').waitFor();
    await b2.locator('[data-loops="online"]').waitFor();
    // the follower sends through the leader
    const composerB2 = b2.getByLabel(m.loops.message, { exact: true });
    await composerB2.fill("Sent from my second tab");
    await composerB2.press("Enter");
    await message(a, "Sent from my second tab").waitFor();
    await message(b2, "Sent from my second tab").waitFor();
    await message(b, "Sent from my second tab").waitFor();
    // both tabs receive
    await composerA.fill("Both your tabs see this");
    await composerA.press("Enter");
    await message(b, "Both your tabs see this").waitFor();
    await message(b2, "Both your tabs see this").waitFor();
    // two messages typed and sent at once: the second waits for the first instead of being dropped
    await composerA.fill("First of two");
    await composerA.press("Enter");
    await composerA.fill("Second of two");
    await composerA.press("Enter");
    await message(b, "First of two").waitFor();
    await message(b, "Second of two").waitFor();
    assert.equal(await composerA.inputValue(), "");
    // the leading tab closes: the other takes over the device and goes on
    await b.close();
    await b2.locator('[data-loops-tab="leader"]').waitFor();
    await b2.locator('[data-loops="online"]').waitFor();
    await composerA.fill("After the first tab closed");
    await composerA.press("Enter");
    await message(b2, "After the first tab closed").waitFor();
    await composerB2.fill("Still here");
    await composerB2.press("Enter");
    await message(a, "Still here").waitFor();
    await shot(b2, "loops-conversation-second-tab", t);

    // ---- disappearing messages leave the screen, and the device, when their timer runs out ----
    await a.getByLabel(m.loops.disappearAfter).selectOption(String(3600));
    await a.getByRole("button", { name: m.common.save }).click();
    await b2.getByText(m.loops.disappearsAfter(m.loops.timers.hour)).first().waitFor();
    // the server's clock runs an hour less a few seconds behind: the one-hour timer ends in seconds
    const realNow = server.ctx.now;
    server.ctx.now = () => realNow() - 3600_000 + 10_000;
    try {
      await composerA.fill("This one disappears");
      await composerA.press("Enter");
      await message(b2, "This one disappears").waitFor();
      await message(b2, "This one disappears").waitFor({ state: "detached" });
      await message(a, "This one disappears").waitFor({ state: "detached" });
      // gone from the device too: a reload reads the history from IndexedDB
      await b2.reload();
      await message(b2, "Still here").waitFor();
      assert.equal(await message(b2, "This one disappears").count(), 0);
    } finally {
      server.ctx.now = realNow;
    }

    // ---- the same page in Arabic, right to left ----
    await b2.getByLabel(en.app.language).selectOption("ar");
    await b2.getByRole("button", { name: ar.loops.attach }).waitFor();
    assert.equal(await b2.locator("html").getAttribute("dir"), "rtl");
    await b2.getByText(ar.loops.attachHint(formatFileSize("ar", limit - 16))).waitFor();
    await b2.getByRole("checkbox", { name: ar.loops.shareTyping }).waitFor();
    await shot(b2, "loops-conversation-ar", t);

    await admin.context.close();
    await member.context.close();
    assert.deepEqual(problems, []);
  } finally {
    await server.destroy().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
});
