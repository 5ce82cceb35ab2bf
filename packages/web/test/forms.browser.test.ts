/**
 * Forms in real browsers against a real server: an administrator sets up the instance and an
 * organization (its key made in the browser), builds a form in English and Arabic — a text, a
 * single choice, a number and a consent box — and publishes it; a member of the public answers it
 * on the light public page in another browser context (checked on the page, sealed and the proof
 * of work solved in the browser); a second respondent answers in Arabic, right to left; the
 * organizer opens the responses on their device, sees the summary with a bar chart that is a table
 * underneath, and exports a CSV holding the answers. The data folder holds none of them.
 *
 * Run: node --test packages/web/test/forms.browser.test.ts   (after `npm run build`).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { en } from "../src/i18n/en.ts";
import { formsAr } from "../src/i18n/forms/ar.ts";
import { h1, launchBrowser, newPerson, shot, skipReason, startServer } from "./support.ts";

let browser: Browser | null = null;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const m = en;
const fm = en.forms.org;
const pub = en.forms.pub;
const arPub = formsAr.pub;
const PASSWORD = "solidarity forever 1912";
const SLUG = "assembly-2025";
const TITLE = { en: "Tenants’ assembly", ar: "اجتماع المستأجرين" };
const EN = "English";
const AR = "العربية";

/** The builder's fields of question `n`. */
const question = (page: Page, n: number) => page.getByRole("group", { name: fm.questionN(n), exact: true });
const inLanguage = (label: string, language: string) => fm.inLanguage(label, language);

async function words(page: Page, n: number, texts: { en: string; ar: string }): Promise<void> {
  await question(page, n).getByLabel(inLanguage(fm.label, EN), { exact: true }).fill(texts.en);
  await question(page, n).getByLabel(inLanguage(fm.label, AR), { exact: true }).fill(texts.ar);
}

test("a form: built and published by an organizer, answered by the public in two languages, summed up and exported on the organizer's device", { skip: skipReason ?? false, timeout: 300_000 }, async (t) => {
  const { server, url, setupLink, dataDir } = await startServer({ powMaxNumber: 5000 });
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
    await a.getByLabel(m.createOrg.name, { exact: true }).fill("Riverside Tenants");
    await a.getByLabel(m.createOrg.slug).fill("riverside");
    await a.getByRole("checkbox", { name: AR }).check();
    await a.getByRole("button", { name: m.createOrg.submit }).click();
    await a.getByRole("heading", { name: m.orgKey.recoveryTitle }).waitFor();
    await a.getByRole("checkbox", { name: m.orgKey.stored }).check();
    await a.getByRole("button", { name: m.orgKey.continue }).click();
    await a.getByRole("heading", { level: 1, name: "Riverside Tenants" }).waitFor();

    // ---- builds the form ----
    await a.getByRole("navigation", { name: m.org.sections }).getByRole("link", { name: fm.title }).click();
    await h1(a, fm.title).waitFor();
    await a.getByText(fm.none).waitFor();
    await a.getByRole("link", { name: fm.create }).click();
    await h1(a, fm.newTitle).waitFor();
    // mistakes are named next to their field, and focus goes to the first
    await a.getByRole("button", { name: fm.createSubmit }).click();
    await a.getByText(m.fieldProblems.slug).waitFor();
    assert.equal(await a.getByLabel(fm.address, { exact: true }).evaluate((el) => el === document.activeElement), true);
    await a.getByLabel(fm.address, { exact: true }).fill(SLUG);
    await a.getByRole("group", { name: fm.textIn(EN) }).getByLabel(fm.formTitle, { exact: true }).fill(TITLE.en);
    await a.getByRole("group", { name: fm.textIn(EN) }).getByLabel(fm.introLabel, { exact: true }).fill("Tell us about your **flat** before the assembly.");
    await a.getByRole("group", { name: fm.textIn(AR) }).getByLabel(fm.formTitle, { exact: true }).fill(TITLE.ar);

    await words(a, 1, { en: "Your name", ar: "اسمك" });
    await question(a, 1).getByRole("checkbox", { name: fm.required }).check();

    await a.getByRole("button", { name: fm.addQuestion }).click();
    await question(a, 2).getByLabel(fm.kind, { exact: true }).selectOption("singleChoice");
    await words(a, 2, { en: "Which building?", ar: "أي مبنى؟" });
    await question(a, 2).getByRole("checkbox", { name: fm.required }).check();
    await question(a, 2).getByLabel(inLanguage(fm.choiceN(1), EN), { exact: true }).fill("North tower");
    await question(a, 2).getByLabel(inLanguage(fm.choiceN(1), AR), { exact: true }).fill("البرج الشمالي");
    await question(a, 2).getByLabel(inLanguage(fm.choiceN(2), EN), { exact: true }).fill("South tower");
    await question(a, 2).getByLabel(inLanguage(fm.choiceN(2), AR), { exact: true }).fill("البرج الجنوبي");

    await a.getByRole("button", { name: fm.addQuestion }).click();
    await question(a, 3).getByLabel(fm.kind, { exact: true }).selectOption("number");
    await words(a, 3, { en: "How many people live with you?", ar: "كم شخصًا يعيش معك؟" });
    await question(a, 3).getByLabel(fm.min).fill("0");
    await question(a, 3).getByLabel(fm.max).fill("20");

    await a.getByRole("button", { name: fm.addQuestion }).click();
    await question(a, 4).getByLabel(fm.kind, { exact: true }).selectOption("consent");
    await words(a, 4, { en: "The union may contact me", ar: "يمكن للنقابة التواصل معي" });
    await question(a, 4).getByRole("checkbox", { name: fm.requiredConsent }).check();
    await shot(a, "forms-en-01-builder", t);
    await a.getByRole("button", { name: fm.createSubmit }).click();
    await h1(a, TITLE.en).waitFor();

    // ---- publishes it ----
    await a.getByRole("button", { name: fm.publish }).click();
    await a.locator('[data-state="open"]').waitFor();
    await a.getByRole("link", { name: `${url}/f/${SLUG}` }).waitFor();
    await shot(a, "forms-en-02-published", t);

    // ---- a member of the public answers, in another browser context ----
    const respondent = await newPerson(browser, url, "en-US", problems);
    const b = respondent.page;
    await b.goto(`${url}/f/${SLUG}`);
    await h1(b, TITLE.en).waitFor();
    assert.equal(await b.locator("html").getAttribute("dir"), "ltr");
    await b.locator(".form-intro strong", { hasText: "flat" }).waitFor();
    // the page's own check names each problem and moves focus to the first
    await b.getByRole("button", { name: pub.submit }).click();
    await b.getByText(pub.problems.required).waitFor();
    await b.getByText(pub.problems.choose).waitFor();
    await b.getByText(pub.problems.consentRequired).waitFor();
    assert.equal(await b.getByLabel("Your name", { exact: false }).evaluate((el) => el === document.activeElement), true);
    await b.getByLabel("Your name", { exact: false }).fill("Amina Kaddour");
    await b.getByRole("group", { name: /Which building\?/ }).getByRole("radio", { name: "North tower" }).check();
    await b.getByLabel("How many people live with you?", { exact: false }).fill("25");
    await b.getByRole("checkbox", { name: /The union may contact me/ }).check();
    await b.getByRole("button", { name: pub.submit }).click();
    await b.getByText(pub.problems.max(20)).waitFor();
    await b.getByLabel("How many people live with you?", { exact: false }).fill("3");
    await shot(b, "forms-en-03-public-form", t);
    await b.getByRole("button", { name: pub.submit }).click();
    await b.getByRole("heading", { level: 2, name: pub.thanksTitle }).waitFor();
    await shot(b, "forms-en-04-thanks", t);

    // ---- a second respondent, in Arabic, right to left ----
    const arabic = await newPerson(browser, url, "ar", problems);
    const c = arabic.page;
    await c.goto(`${url}/f/${SLUG}`);
    await h1(c, TITLE.ar).waitFor();
    assert.equal(await c.locator("html").getAttribute("dir"), "rtl");
    assert.equal(await c.locator("html").getAttribute("lang"), "ar");
    await c.getByLabel("اسمك", { exact: false }).fill("يوسف");
    await c.getByRole("group", { name: /أي مبنى؟/ }).getByRole("radio", { name: "البرج الجنوبي" }).check();
    await c.getByRole("checkbox", { name: /يمكن للنقابة التواصل معي/ }).check();
    await c.getByRole("button", { name: arPub.submit }).click();
    await c.getByRole("heading", { level: 2, name: arPub.thanksTitle }).waitFor();
    await shot(c, "forms-ar-01-thanks", t);

    // ---- the organizer opens the responses on this device: summary, bar chart, export ----
    await a.getByRole("link", { name: fm.viewResults }).click();
    await h1(a, fm.resultsTitle).waitFor();
    await a.getByText(fm.counted(2)).waitFor();
    const chart = a.getByRole("table", { name: "Which building?" });
    await chart.waitFor();
    const north = chart.getByRole("row", { name: /North tower/ });
    assert.match((await north.textContent()) ?? "", /North tower\s*1\s*50%/);
    assert.match((await chart.getByRole("row", { name: /South tower/ }).textContent()) ?? "", /South tower\s*1\s*50%/);
    await a.getByRole("table", { name: "The union may contact me" }).waitFor();
    await a.locator(".text-answers li", { hasText: "Amina Kaddour" }).waitFor();
    await shot(a, "forms-en-05-results", t);
    const [download] = await Promise.all([a.waitForEvent("download"), a.getByRole("button", { name: fm.exportCsv(2) }).click()]);
    assert.match(download.suggestedFilename(), /^assembly-2025-responses-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path()) as string, "utf8");
    assert.match(csv, /^\uFEFFstatus,answeredAt,confirmedAt,language,Your name,Which building\?,How many people live with you\?,The union may contact me\r\n/);
    assert.match(csv, /complete,[^,]+,[^,]+,en,Amina Kaddour,North tower,3,true/);
    assert.match(csv, /complete,[^,]+,[^,]+,ar,يوسف,South tower,,true/);

    // ---- nothing the respondents typed is in the server's data folder ----
    const files = readdirSync(dataDir, { recursive: true }).map(String);
    const stored = files.map((f) => {
      try {
        return readFileSync(join(dataDir, f)).toString("utf8");
      } catch {
        return "";
      }
    });
    assert.ok(stored.every((s) => !s.includes("Amina Kaddour") && !s.includes("يوسف")), "answers are stored sealed only");

    for (const context of [admin.context, respondent.context, arabic.context]) await context.close();
    assert.deepEqual(problems, []);
  } finally {
    await server.destroy().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
});
