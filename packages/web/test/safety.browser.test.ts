/**
 * Safety numbers in real browsers against a real server. Two people share a loop; each opens the
 * safety number with the other from the loop's page; both screens show the same 60 digits (read
 * from each page); one checks the other's number by typing it (a wrong number first, then the
 * right one), the other by the QR code drawn on the first one's page (a picture of it, decoded in
 * the page by the scanner's decoder); both mark each other verified and see the mark in the loop.
 * Then one of them signs in on a new device: the new device says that the loop's earlier messages
 * cannot be read on it, and the other person's loop warns that the safety number changed and shows
 * "changed" where "verified" was, until acknowledged. Once in English in a group loop, once in
 * Arabic (right to left) in a direct conversation.
 *
 * Run: node --test packages/web/test/safety.browser.test.ts   (after `npm run build`).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test, type TestContext } from "node:test";
import { CommuneClient } from "@commune/client";
import { chromium, type Browser, type Page } from "playwright-core";
import { ar } from "../src/i18n/ar.ts";
import { en, type Messages } from "../src/i18n/en.ts";
import { h1, launchBrowser, newPerson, shot, skipReason, startServer } from "./support.ts";

let browser: Browser | null = null;
/** A second Chromium whose camera films a file: the picture of a QR code, written when needed. */
let cameraBrowser: Browser | null = null;
const cameraFolder = mkdtempSync(join(tmpdir(), "commune-camera-"));
const cameraFile = join(cameraFolder, "camera.y4m");
before(async () => {
  browser = await launchBrowser();
  if (browser) {
    cameraBrowser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${cameraFile}`],
    });
  }
});
after(async () => {
  await browser?.close();
  await cameraBrowser?.close();
  rmSync(cameraFolder, { recursive: true, force: true });
});

const CAMERA_W = 640;
const CAMERA_H = 480;

/**
 * Makes the fake camera film a picture: a Y4M video (one frame, 4:2:0) with the picture's grey
 * levels centred on white. Chromium opens the file when a page starts the camera.
 */
async function filmPicture(png: Buffer): Promise<void> {
  assert.ok(cameraBrowser);
  // the browser decodes the PNG: a blank page of the camera browser, away from the app
  const blank = await cameraBrowser.newPage();
  const { width, height, grey } = await blank.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
    const canvas = document.createElement("canvas");
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    const context = canvas.getContext("2d")!;
    context.drawImage(bitmap, 0, 0);
    const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
    const grey: number[] = [];
    for (let i = 0; i < data.length; i += 4) grey.push(Math.round((data[i]! + data[i + 1]! + data[i + 2]!) / 3));
    return { width: bitmap.width, height: bitmap.height, grey };
  }, png.toString("base64"));
  await blank.close();
  assert.ok(width <= CAMERA_W && height <= CAMERA_H);
  const luma = Buffer.alloc(CAMERA_W * CAMERA_H, 235);
  const left = Math.floor((CAMERA_W - width) / 2);
  const top = Math.floor((CAMERA_H - height) / 2);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) luma[(top + y) * CAMERA_W + left + x] = 16 + Math.round((grey[y * width + x]! * 219) / 255);
  const chroma = Buffer.alloc((CAMERA_W / 2) * (CAMERA_H / 2) * 2, 128);
  writeFileSync(cameraFile, Buffer.concat([Buffer.from(`YUV4MPEG2 W${CAMERA_W} H${CAMERA_H} F10:1 Ip A1:1 C420jpeg\nFRAME\n`), luma, chroma]));
}

const PASSWORD = "solidarity forever 1912";

interface Scenario {
  readonly name: string;
  readonly locale: string;
  readonly m: Messages;
  readonly kind: "group" | "direct";
}

async function signIn(page: Page, url: string, m: Messages, username: string): Promise<void> {
  await page.goto(`${url}/sign-in`);
  await h1(page, m.signIn.title).waitFor();
  await page.getByLabel(m.fields.username, { exact: true }).fill(username);
  await page.getByLabel(m.fields.password, { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: m.signIn.submit }).click();
  await h1(page, m.home.title).waitFor();
}

async function openLoops(page: Page, m: Messages): Promise<void> {
  await page.getByRole("navigation", { name: m.app.mainNav }).getByRole("link", { name: m.app.loops }).click();
  await h1(page, m.loops.title).waitFor();
  await page.locator('[data-loops="online"]').waitFor();
}

/** The 60 digits as the page shows them. */
async function readNumber(page: Page): Promise<string> {
  const text = (await page.locator(".safety-number").textContent()) ?? "";
  const digits = text.replace(/\D/g, "");
  assert.equal(digits.length, 60, `a safety number on screen: "${text}"`);
  return digits;
}

/** The Arabic-Indic digits an Arabic speaker may type. */
const arabicIndic = (digits: string) => digits.replace(/\d/g, (d) => String.fromCodePoint(0x660 + Number(d)));

async function walkThrough(t: TestContext, s: Scenario): Promise<void> {
  const { m } = s;
  const { server, url, setupToken, dataDir } = await startServer();
  const problems: string[] = [];
  try {
    // ---- an organization with two people, set up through the headless client ----
    const setup = new CommuneClient({ baseUrl: url });
    await setup.signUp({ username: "amina", password: PASSWORD, invite: setupToken });
    await setup.createOrganization({ name: "Riverside Tenants", slug: "riverside", visibility: "private", languages: ["en", "ar"] });
    const invite = await setup.createInvite("riverside", { role: "member", expiresInHours: 24, maxUses: 1 });
    await new CommuneClient({ baseUrl: url }).signUp({ username: "bilal", password: PASSWORD, invite: invite.token });

    const amina = await newPerson(browser, url, s.locale, problems);
    const bilal = await newPerson(browser, url, s.locale, problems);
    const a = amina.page;
    const b = bilal.page;
    await signIn(a, url, m, "amina");
    await signIn(b, url, m, "bilal");
    await openLoops(a, m);
    await openLoops(b, m);
    assert.equal(await a.locator("html").getAttribute("dir"), s.locale.startsWith("ar") ? "rtl" : "ltr");

    // ---- a loop they share: a group loop started by amina, or a direct one started by bilal ----
    const loopTitle = s.kind === "group" ? "Organizing committee" : "amina";
    if (s.kind === "group") {
      await a.getByRole("link", { name: m.loops.newGroup }).click();
      await h1(a, m.loops.newGroup).waitFor();
      await a.getByLabel(m.loops.name, { exact: true }).fill(loopTitle);
      await a.getByRole("checkbox", { name: "bilal" }).check();
      await a.getByRole("button", { name: m.loops.start }).click();
      await h1(a, loopTitle).waitFor();
      await a.locator('[data-joined="true"]').waitFor();
      await b.getByRole("link", { name: loopTitle }).click();
    } else {
      await b.getByRole("link", { name: m.loops.newDirect }).click();
      await h1(b, m.loops.newDirect).waitFor();
      await b.getByLabel(m.loops.person, { exact: true }).selectOption({ label: "amina" });
      await b.getByRole("button", { name: m.loops.start }).click();
      await h1(b, "amina").waitFor();
      await b.locator('[data-joined="true"]').waitFor();
      await a.getByRole("link", { name: "bilal" }).click();
      await h1(a, "bilal").waitFor();
    }
    await b.locator('[data-joined="true"]').waitFor();
    await a.locator('[data-joined="true"]').waitFor();
    const loopUrlA = a.url();
    const loopUrlB = b.url();
    const composerA = a.getByLabel(m.loops.message, { exact: true });
    await composerA.fill("The landlord meets us on Thursday");
    await composerA.press("Enter");
    await b.getByRole("log", { name: m.loops.messages }).getByText("The landlord meets us on Thursday").waitFor();

    // ---- each opens the safety number with the other, from the loop's page ----
    const safetyLink = (page: Page, other: string) =>
      s.kind === "group"
        ? page.locator(`section[aria-labelledby="loop-members"] li[data-username="${other}"]`).getByRole("link", { name: m.safety.safetyLinkLabel(other) })
        : page.locator(".loop-title").getByRole("link", { name: m.safety.safetyLinkLabel(other) });
    await safetyLink(a, "bilal").click();
    await h1(a, m.safety.title("bilal")).waitFor();
    await safetyLink(b, "amina").click();
    await h1(b, m.safety.title("amina")).waitFor();
    const numberA = await readNumber(a);
    const numberB = await readNumber(b);
    assert.equal(numberA, numberB, "both people see the same number");
    assert.equal(await a.locator(".safety-number").getAttribute("dir"), "ltr", "digits read left to right in every language");
    await a.getByText(m.safety.covers(1, 1, "bilal")).waitFor();
    await a.getByText(m.safety.notVerified("bilal")).waitFor();

    // ---- bilal types what amina reads out: a slip first, then the right number ----
    const typed = b.getByLabel(m.safety.typeLabel("amina"), { exact: true });
    const slip = (numberA[0] === "1" ? "2" : "1") + numberA.slice(1);
    await typed.fill(slip.replace(/(\d{5})(?=\d)/g, "$1 "));
    await b.getByRole("button", { name: m.safety.compare, exact: true }).click();
    await b.getByRole("status").getByText(m.safety.mismatch("amina")).waitFor();
    await typed.fill(numberA.slice(0, 40));
    await b.getByRole("button", { name: m.safety.compare, exact: true }).click();
    await b.getByText(m.safety.invalidNumber).waitFor();
    // as people read them: in groups, and in Arabic with Arabic-Indic digits
    const spoken = numberA.replace(/(\d{5})(?=\d)/g, "$1 ");
    await typed.fill(s.locale.startsWith("ar") ? arabicIndic(spoken) : spoken);
    await b.getByRole("button", { name: m.safety.compare, exact: true }).click();
    await b.getByText(m.safety.match("amina")).waitFor();
    await shot(b, `safety-${s.name}-match`, t);
    await b.getByRole("button", { name: m.safety.markVerified("amina") }).click();
    await b.getByRole("status").getByText(m.safety.verifiedNow("amina")).first().waitFor();
    await b.locator('.safety-title [data-safety="verified"]').waitFor();

    // ---- amina checks bilal's code: a picture of the QR code on bilal's screen ----
    const code = await b.getByRole("img", { name: m.safety.qrLabel("amina") }).screenshot();
    await a.getByLabel(m.safety.fromPicture).setInputFiles({ name: "code.png", mimeType: "image/png", buffer: code });
    await a.getByText(m.safety.match("bilal")).waitFor();
    // her own code is not bilal's: checking it says so
    const own = await a.getByRole("img", { name: m.safety.qrLabel("bilal") }).screenshot();
    await a.getByLabel(m.safety.fromPicture).setInputFiles({ name: "mine.png", mimeType: "image/png", buffer: own });
    await a.getByText(m.safety.mismatch("bilal")).waitFor();
    await a.getByLabel(m.safety.fromPicture).setInputFiles({ name: "code.png", mimeType: "image/png", buffer: code });
    await a.getByRole("button", { name: m.safety.markVerified("bilal") }).click();
    await a.locator('.safety-title [data-safety="verified"]').waitFor();
    await a.getByText(m.safety.verifiedOn("bilal", new Intl.DateTimeFormat(s.locale.slice(0, 2), { dateStyle: "medium" }).format(Date.now()))).waitFor();
    await shot(a, `safety-${s.name}-verified`, t);

    // ---- the marks in the loop ----
    await b.goto(loopUrlB);
    await a.goto(loopUrlA);
    const mark = (page: Page, other: string) =>
      s.kind === "group" ? page.locator(`section[aria-labelledby="loop-members"] li[data-username="${other}"] [data-safety]`) : page.locator(".loop-title [data-safety]");
    await mark(b, "amina").and(b.locator('[data-safety="verified"]')).waitFor();
    await mark(a, "bilal").and(a.locator('[data-safety="verified"]')).waitFor();
    await b.locator('[data-joined="true"]').waitFor();

    // ---- amina signs in on a new device ----
    const phone = await newPerson(cameraBrowser, url, s.locale, problems);
    await phone.context.grantPermissions(["camera"], { origin: url });
    const p = phone.page;
    await signIn(p, url, m, "amina");
    await p.goto(loopUrlA);
    await p.locator('[data-joined="true"]').waitFor();
    // it cannot read what came before it, and says so
    await p.getByText(m.safety.earlier(1, false)).waitFor();
    await p.getByText(m.safety.earlierWhy).waitFor();
    assert.equal(await p.getByText("The landlord meets us on Thursday").count(), 0);
    await shot(p, `safety-${s.name}-new-device`, t);

    // bilal's loop warns, and the verified mark became "changed"
    const warning = b.locator(".safety-warning").filter({ hasText: m.safety.changeWarning("amina") });
    await warning.waitFor();
    await warning.getByText(m.safety.changeVerified("amina")).waitFor();
    await mark(b, "amina").and(b.locator('[data-safety="changed"]')).waitFor();
    await shot(b, `safety-${s.name}-warning`, t);
    // the new number is the same on bilal's screen and on amina's new device, and differs from before
    await warning.getByRole("link", { name: m.safety.compareAgainLabel("amina") }).click();
    await h1(b, m.safety.title("amina")).waitFor();
    await b.getByText(m.safety.covers(1, 2, "amina")).waitFor();
    const after = await readNumber(b);
    assert.notEqual(after, numberA);
    await safetyLink(p, "bilal").click();
    await h1(p, m.safety.title("bilal")).waitFor();
    assert.equal(await readNumber(p), after);
    await p.getByText(m.safety.notVerified("bilal")).waitFor();
    // the phone verifies bilal with its camera, pointed at the code on bilal's screen
    await filmPicture(await b.getByRole("img", { name: m.safety.qrLabel("amina") }).screenshot());
    await p.getByRole("button", { name: m.safety.scan("bilal") }).click();
    await p.getByText(m.safety.match("bilal")).waitFor();
    await p.getByRole("button", { name: m.safety.markVerified("bilal") }).click();
    await p.locator('.safety-title [data-safety="verified"]').waitFor();
    assert.equal(await p.locator("video").count(), 0, "the camera is off once the code is read");
    // bilal's browser has no camera: the page says what to do instead
    await b.getByRole("button", { name: m.safety.scan("amina") }).click();
    await b.getByText(m.safety.cameraDenied).or(b.getByText(m.safety.cameraMissing)).waitFor();
    // acknowledged: the warning goes, "changed" stays until bilal verifies again
    await b.goto(loopUrlB);
    await warning.getByRole("button", { name: m.safety.acknowledgeLabel("amina") }).click();
    await warning.waitFor({ state: "detached" });
    await mark(b, "amina").and(b.locator('[data-safety="changed"]')).waitFor();
    await b.reload();
    await b.locator('[data-joined="true"]').waitFor();
    await mark(b, "amina").and(b.locator('[data-safety="changed"]')).waitFor();
    assert.equal(await b.locator(".safety-warning").count(), 0, "an acknowledged warning stays away after a reload");

    for (const c of [amina, bilal, phone]) await c.context.close();
    assert.deepEqual(problems, []);
  } finally {
    await server.destroy().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test("safety numbers in English, in a group loop", { skip: skipReason ?? false, timeout: 240_000 }, (t) => walkThrough(t, { name: "en", locale: "en-US", m: en, kind: "group" }));

test("safety numbers in Arabic (right to left), in a direct conversation", { skip: skipReason ?? false, timeout: 240_000 }, (t) => walkThrough(t, { name: "ar", locale: "ar", m: ar, kind: "direct" }));
