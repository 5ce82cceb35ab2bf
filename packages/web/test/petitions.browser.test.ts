/**
 * Petitions in real browsers against a real server that sends real mail: an administrator sets up
 * the instance and an organization (its key made in the browser, the recovery key acknowledged),
 * writes and publishes a petition; a member of the public, in another browser context, signs it on
 * the light public page (proof of work solved and the signature sealed in the browser); the
 * confirmation mail arrives at an SMTP server in this process; its link confirms; the counter on
 * the open petition page moves by itself; the organizer opens the signatures on their device and
 * exports a CSV holding the signer. A second signer does it all in Arabic, right to left, then
 * withdraws. The embeddable widget renders and may be framed.
 *
 * Run: node --test packages/web/test/petitions.browser.test.ts   (after `npm run build`).
 */
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { startSmtpServer, type ReceivedMail } from "../../server/test/smtp.ts";
import { en } from "../src/i18n/en.ts";
import { petitionsAr } from "../src/i18n/petitions/ar.ts";
import { h1, launchBrowser, newPerson, shot, skipReason, startServer } from "./support.ts";

let browser: Browser | null = null;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const m = en;
const pm = en.petitions.org;
const pub = en.petitions.pub;
const arPub = petitionsAr.pub;
const PASSWORD = "solidarity forever 1912";
const SLUG = "clean-air-now";
const TITLE = { en: "Clean air around our schools", ar: "هواء نظيف حول مدارسنا" };

/** The link of a kind (`confirm` or `withdraw`) in a received mail. */
function mailedLink(mail: ReceivedMail, kind: "confirm" | "withdraw"): string {
  const match = mail.text.match(new RegExp(`https?://\\S+/p/${SLUG}/${kind}#[A-Za-z0-9_-]+`));
  assert.ok(match, `the mail holds a ${kind} link`);
  return match[0];
}

const counter = (page: Page, count: number) => page.locator(`.petition-meter[data-count="${count}"]`);

test("a petition: written and published by an organizer, signed by the public, confirmed by mail, counted live, read and exported by the organizer", { skip: skipReason ?? false, timeout: 300_000 }, async (t) => {
  const smtp = await startSmtpServer();
  // mail through the SMTP server above; a proof of work of a few thousand hashes, really solved
  const { server, url, setupLink, dataDir } = await startServer({ smtpUrl: smtp.url, mailFrom: "petitions@commune.test", powMaxNumber: 5000 });
  const problems: string[] = [];
  try {
    // ---- the administrator sets up the instance and the organization, with its key ----
    const admin = await newPerson(browser, url, "en-US", problems);
    const a = admin.page;
    await a.goto(setupLink);
    await h1(a, m.invite.setupTitle).waitFor();
    await a.getByLabel(m.fields.username, { exact: true }).fill("amina");
    await a.getByLabel(m.fields.password, { exact: true }).fill(PASSWORD);
    await a.getByRole("button", { name: m.invite.submitSetup }).click();
    await h1(a, m.createOrg.title).waitFor();
    await a.getByLabel(m.createOrg.name, { exact: true }).fill("Parents for Clean Air");
    await a.getByLabel(m.createOrg.slug).fill("clean-air");
    await a.getByRole("checkbox", { name: "العربية" }).check();
    await a.getByRole("button", { name: m.createOrg.submit }).click();
    await a.getByRole("heading", { name: m.orgKey.recoveryTitle }).waitFor();
    await a.getByRole("checkbox", { name: m.orgKey.stored }).check();
    await a.getByRole("button", { name: m.orgKey.continue }).click();
    await a.getByRole("heading", { level: 1, name: "Parents for Clean Air" }).waitFor();

    // ---- writes the petition in English and Arabic ----
    await a.getByRole("navigation", { name: m.org.sections }).getByRole("link", { name: pm.title }).click();
    await h1(a, pm.title).waitFor();
    await a.getByText(pm.none).waitFor();
    await a.getByRole("link", { name: pm.create }).click();
    await h1(a, pm.newTitle).waitFor();
    await a.getByLabel(pm.address, { exact: true }).fill(SLUG);
    const english = a.getByRole("group", { name: pm.textIn("English") });
    await english.getByLabel(pm.petitionTitle, { exact: true }).fill(TITLE.en);
    await english.getByLabel(pm.target, { exact: true }).fill("The city council");
    await english.getByLabel(pm.body, { exact: true }).fill("We ask the **council** to close the street at school times.\n\n<script>alert(1)</script>");
    await english.getByRole("button", { name: pm.previewOf("English") }).click();
    await english.locator(".petition-preview strong", { hasText: "council" }).waitFor();
    assert.equal(await english.locator(".petition-preview script").count(), 0, "raw HTML stays inert in the preview");
    const arabic = a.getByRole("group", { name: pm.textIn("العربية") });
    await arabic.getByLabel(pm.petitionTitle, { exact: true }).fill(TITLE.ar);
    await arabic.getByLabel(pm.target, { exact: true }).fill("المجلس البلدي");
    await arabic.getByLabel(pm.body, { exact: true }).fill("نطالب **المجلس** بإغلاق الشارع في أوقات المدرسة.");
    await a.getByLabel(pm.goal, { exact: true }).fill("1000");
    assert.equal(await a.getByLabel(pm.fieldLabels.name, { exact: true }).inputValue(), "required");
    await shot(a, "petitions-en-01-editor", t);
    await a.getByRole("button", { name: pm.createSubmit }).click();
    await h1(a, TITLE.en).waitFor();

    // ---- publishes it; the share link has no tracking parameters, the embed code frames /embed ----
    await a.getByRole("button", { name: pm.publish }).click();
    await a.locator('[data-state="open"]').waitFor();
    const shareLink = await a.getByLabel(pm.shareLink, { exact: true }).inputValue();
    assert.equal(shareLink, `${url}/p/${SLUG}`);
    const embedCode = await a.getByLabel(pm.embedCode, { exact: true }).inputValue();
    assert.match(embedCode, new RegExp(`^<iframe src="${url}/p/${SLUG}/embed" title="${TITLE.en}"`));
    await shot(a, "petitions-en-02-published", t);

    // ---- a member of the public opens the page and signs ----
    const signer = await newPerson(browser, url, "en-US", problems);
    const b = signer.page;
    await b.goto(shareLink);
    await h1(b, TITLE.en).waitFor();
    assert.equal(await b.locator("html").getAttribute("dir"), "ltr");
    await counter(b, 0).waitFor();
    await b.locator(".petition-body strong", { hasText: "council" }).waitFor();
    assert.equal(await b.locator(".petition-body script").count(), 0);
    // only the fields the petition asks for: no country
    assert.equal(await b.getByLabel(pub.fieldLabels.country).count(), 0);
    // a missing required name is caught on the page, before any work
    await b.getByRole("textbox", { name: pub.email }).fill("amina.k@example.org");
    await b.getByRole("button", { name: pub.submit }).click();
    await b.getByText(pub.fieldProblems.required).waitFor();
    assert.equal(await b.getByRole("textbox", { name: pub.fieldLabels.name }).getAttribute("aria-invalid"), "true");
    await b.getByRole("textbox", { name: pub.fieldLabels.name }).fill("Amina Kaddour");
    await b.getByRole("textbox", { name: pub.fieldLabels.comment }).fill("For my daughter");
    await b.getByRole("checkbox", { name: pub.showPublicly }).check();
    await b.getByRole("checkbox", { name: pub.keepInformed }).check();
    await shot(b, "petitions-en-03-public-form", t);
    await b.getByRole("button", { name: pub.submit }).click();
    await b.getByRole("heading", { level: 2, name: pub.mailboxTitle }).waitFor();
    await b.getByText(pub.mailboxBody("amina.k@example.org")).waitFor();
    await shot(b, "petitions-en-04-check-mailbox", t);

    // ---- the mail arrives; its link confirms; the open page counts it without a reload ----
    const mail = await smtp.waitFor((x) => x.to.includes("amina.k@example.org"));
    const confirmLink = mailedLink(mail, "confirm");
    const confirmPage = await signer.context.newPage();
    await confirmPage.goto(confirmLink);
    await h1(confirmPage, pub.confirmedTitle).waitFor();
    await counter(confirmPage, 1).waitFor();
    assert.equal(await confirmPage.getByLabel(pub.shareLink, { exact: true }).inputValue(), shareLink);
    assert.equal(new URL(confirmPage.url()).hash, "", "the token leaves the address bar");
    await shot(confirmPage, "petitions-en-05-confirmed", t);
    await counter(b, 1).waitFor();
    await b.locator(".signer-names li", { hasText: "Amina Kaddour" }).waitFor();

    // ---- the embeddable widget ----
    const embed = await signer.context.newPage();
    const embedResponse = await embed.goto(`${url}/p/${SLUG}/embed`);
    assert.match(embedResponse?.headers()["content-security-policy"] ?? "", /frame-ancestors \*/);
    await h1(embed, TITLE.en).waitFor();
    await counter(embed, 1).waitFor();
    const signLink = embed.getByRole("link", { name: new RegExp(pub.signHere) });
    assert.equal(await signLink.getAttribute("target"), "_blank");
    assert.equal(await signLink.getAttribute("href"), `/p/${SLUG}`);
    await shot(embed, "petitions-en-06-embed", t);
    const page = await signer.context.newPage();
    assert.doesNotMatch((await page.goto(shareLink))?.headers()["content-security-policy"] ?? "", /frame-ancestors \*/, "only the widget may be framed");
    await page.close();

    // ---- the organizer reads the signature on this device and exports it ----
    await a.getByRole("link", { name: pm.viewSignatures }).click();
    await h1(a, pm.signaturesTitle).waitFor();
    const row = a.locator("tr", { hasText: "amina.k@example.org" });
    await row.waitFor();
    assert.match((await row.textContent()) ?? "", /Amina Kaddour/);
    await a.getByLabel(pm.search, { exact: true }).fill("daughter");
    await a.getByText(pm.shown(1, 1)).waitFor();
    await a.getByLabel(pm.status, { exact: true }).selectOption("pending");
    await a.getByText(pm.noMatch).waitFor();
    await a.getByLabel(pm.status, { exact: true }).selectOption("confirmed");
    await row.waitFor();
    await shot(a, "petitions-en-07-signatures", t);
    const [download] = await Promise.all([a.waitForEvent("download"), a.getByRole("button", { name: pm.exportCsv(1) }).click()]);
    assert.match(download.suggestedFilename(), /^clean-air-now-signatures-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path()) as string, "utf8");
    assert.match(csv, /^\uFEFFstatus,signedAt,confirmedAt,name,email/);
    assert.match(csv, /confirmed,[^,]+,[^,]+,Amina Kaddour,amina\.k@example\.org,/);

    // ---- a second signer, in Arabic, right to left; then withdraws ----
    const arabicSigner = await newPerson(browser, url, "ar", problems);
    const c = arabicSigner.page;
    await c.goto(shareLink);
    await h1(c, TITLE.ar).waitFor();
    assert.equal(await c.locator("html").getAttribute("dir"), "rtl");
    assert.equal(await c.locator("html").getAttribute("lang"), "ar");
    await c.getByRole("textbox", { name: arPub.fieldLabels.name }).fill("يوسف");
    await c.getByRole("textbox", { name: arPub.email }).fill("youssef@example.org");
    await c.getByRole("button", { name: arPub.submit }).click();
    await c.getByRole("heading", { level: 2, name: arPub.mailboxTitle }).waitFor();
    await shot(c, "petitions-ar-01-check-mailbox", t);
    const arabicMail = await smtp.waitFor((x) => x.to.includes("youssef@example.org"));
    await c.goto(mailedLink(arabicMail, "confirm"));
    await h1(c, arPub.confirmedTitle).waitFor();
    await counter(c, 2).waitFor();
    assert.equal(await c.locator("html").getAttribute("dir"), "rtl");
    await shot(c, "petitions-ar-02-confirmed", t);
    await counter(b, 2).waitFor();
    await c.goto(mailedLink(arabicMail, "withdraw"));
    await h1(c, arPub.withdrawTitle).waitFor();
    await c.getByRole("button", { name: arPub.withdrawButton }).click();
    await h1(c, arPub.withdrawnTitle).waitFor();
    await counter(b, 1).waitFor();

    // ---- the language switcher offers the petition's languages ----
    await b.getByLabel(pub.language).selectOption("ar");
    await h1(b, TITLE.ar).waitFor();
    assert.equal(await b.locator("html").getAttribute("dir"), "rtl");
    await shot(b, "petitions-ar-03-switched", t);

    for (const context of [admin.context, signer.context, arabicSigner.context]) await context.close();
    assert.deepEqual(problems, []);
  } finally {
    await server.destroy().catch(() => {});
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
