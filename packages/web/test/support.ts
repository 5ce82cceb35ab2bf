/**
 * What the browser tests share: a real server started in-process on the exact origin the browser
 * uses, a headless Chromium, people as separate browser contexts at phone size, a watch for
 * anything the page must never do, and screenshots in a temporary folder.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync } from "node:fs";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, type TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { createServer, type CommuneServer, type CreateServerOptions } from "@commune/server";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { en } from "../src/i18n/en.ts";

export const webDist = fileURLToPath(new URL("../dist", import.meta.url));
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const shots = mkdtempSync(join(tmpdir(), "commune-web-shots-"));
export const PHONE = { width: 360, height: 780 };

/** Why the browser tests cannot run here, or null. */
export const skipReason = !existsSync(chromiumPath)
  ? `Chromium not found at ${chromiumPath} (set CHROMIUM_PATH)`
  : !existsSync(join(webDist, "index.html"))
    ? "the web app is not built: run `npm run build` first"
    : null;

export async function launchBrowser(): Promise<Browser | null> {
  // on a developer's machine without Chromium the test skips with its reason; in CI that would
  // hide the browser suite, so it fails instead
  if (skipReason && process.env.CI) throw new Error(`browser tests cannot run in CI: ${skipReason}`);
  if (skipReason) return null;
  return chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}

/** One Chromium for a test file: launched before its tests, closed after them; read `.browser` in a test. */
export function browserForTests(): { browser: Browser | null } {
  const held: { browser: Browser | null } = { browser: null };
  before(async () => {
    held.browser = await launchBrowser();
  });
  after(async () => {
    await held.browser?.close();
  });
  return held;
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** One server per test: the setup link works once, and each language gets a fresh instance. */
export async function startServer(options: Partial<CreateServerOptions> = {}): Promise<{ server: CommuneServer; url: string; setupLink: string; setupToken: string; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), "commune-web-test-"));
  // Invite links are built from the public URL, and cookies belong to one host name: give the
  // server the exact origin the browser will use (127.0.0.1, not localhost).
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const server = await createServer({ dataDir, port, publicUrl, webDist, logLevel: "silent", fastPasswordHashing: true, ...options });
  const { url } = await server.start();
  assert.equal(url, publicUrl);
  const { url: setupLink, token: setupToken } = await server.createAdminInvite();
  return { server, url, setupLink, setupToken, dataDir };
}

/** Fails the test on anything the page should never do: reach another host, break the CSP, throw. */
export function watch(page: Page, origin: string, problems: string[]): void {
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol !== "data:" && url.protocol !== "blob:" && url.origin !== origin) problems.push(`request to a third party: ${request.url()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (process.env.DEBUG_PAGES) console.log(`[page ${message.type()}] ${message.text()}`);
    if (message.type() === "error" && !/status of 40[19]|status of 410/.test(message.text())) problems.push(`console error: ${message.text()}`);
  });
}

export async function newPerson(browser: Browser | null, origin: string, locale: string, problems: string[]): Promise<{ context: BrowserContext; page: Page }> {
  assert.ok(browser);
  const context = await browser.newContext({ locale, viewport: PHONE, deviceScaleFactor: 1, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  watch(page, origin, problems);
  return { context, page };
}

export const h1 = (page: Page, name: string) => page.getByRole("heading", { level: 1, name, exact: true });

/** Signs in through the sign-in page (in English) and waits for the home page. */
export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/sign-in`);
  await h1(page, en.signIn.title).waitFor();
  await page.getByLabel(en.fields.username, { exact: true }).fill(username);
  await page.getByLabel(en.fields.password, { exact: true }).fill(password);
  await page.getByRole("button", { name: en.signIn.submit }).click();
  await h1(page, en.home.title).waitFor();
}

/** A loop page's message log (in English). */
export const loopLog = (page: Page) => page.getByRole("log", { name: en.loops.messages });
/** The message in a loop whose own text (not a quote of it in a reply) holds this. */
export const loopMessage = (page: Page, text: string) => loopLog(page).locator("li.message").filter({ has: page.locator(":scope > .message-body", { hasText: text }) });

export async function shot(page: Page, name: string, t: TestContext): Promise<string> {
  const path = join(shots, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  t.diagnostic(`screenshot: ${path}`);
  return path;
}
