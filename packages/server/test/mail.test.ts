/**
 * Mail: messages sent through `ctx.mailer` arrive at a real SMTP server; without SMTP the server
 * warns once, never logs an address, and in development mode logs the text with the recipient
 * hidden; a bad SMTP setting stops start-up naming the setting, without echoing its password.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { buildConfig, ConfigError } from "../src/config/config.ts";
import { readEnv } from "../src/config/env.ts";
import { AppError } from "../src/errors.ts";
import { createLogger } from "../src/logger.ts";
import { createMailer } from "../src/services/mail.ts";
import { codeOf, DIALECTS, startServer, type TestServer } from "./helpers.ts";
import { startSmtpServer, type TestSmtpServer } from "./smtp.ts";

const ADDRESS = "ada.lovelace@example.org";
const LINK = "https://commune.test/p/confirm#tok_abcdefghijklmnop";

for (const dialect of DIALECTS) {
  describe(`mail over SMTP (${dialect})`, () => {
    let smtp: TestSmtpServer;
    let t: TestServer;
    const logs: string[] = [];
    before(async () => {
      smtp = await startSmtpServer();
      t = await startServer(dialect, { smtpUrl: smtp.url, mailFrom: "Local 42 <petitions@commune.test>", logger: createLogger("debug", (l) => logs.push(l)) });
    });
    after(async () => {
      await t.close();
      await smtp.close();
    });

    it("a message sent through ctx.mailer arrives, with its text, HTML and recipient", async () => {
      assert.equal(t.server.ctx.mailer.configured, true);
      const subject = `Confirm your signature (${dialect})`;
      await t.server.ctx.mailer.send({ to: ADDRESS, subject, text: `Confirm: ${LINK}`, html: `<p><a href="${LINK}">Confirm</a></p>` });
      const mail = await smtp.waitFor((m) => m.subject === subject);
      assert.deepEqual(mail.to, [ADDRESS]);
      assert.match(mail.text, new RegExp(LINK.replace(/[.?#/]/g, "\\$&")));
      assert.match(mail.html ?? "", /<a href="https:\/\/commune\.test\/p\/confirm#tok_abcdefghijklmnop">Confirm<\/a>/);
    });

    it("many messages at once all arrive, each to its own recipient", async () => {
      const sends = Array.from({ length: 20 }, (_, i) => t.server.ctx.mailer.send({ to: `signer${i}@example.org`, subject: `burst ${dialect} ${i}`, text: `mail ${i}` }));
      await Promise.all(sends);
      for (let i = 0; i < 20; i++) {
        const mail = await smtp.waitFor((m) => m.subject === `burst ${dialect} ${i}`);
        assert.deepEqual(mail.to, [`signer${i}@example.org`]);
      }
    });

    it("GET /api/v1/instance says mail works", async () => {
      assert.equal((await t.client().instance()).mail, true);
    });

    it("nothing logged holds an address or a link", () => {
      const all = logs.join("");
      assert.ok(!all.includes("example.org"), all);
      assert.ok(!all.includes("tok_"), all);
    });
  });
}

describe("mail without SMTP", () => {
  let t: TestServer;
  const logs: string[] = [];
  before(async () => {
    t = await startServer("sqlite", { logger: createLogger("debug", (l) => logs.push(l)) });
  });
  after(() => t.close());

  it("is not configured, says so in GET /api/v1/instance, and warns once without the address", async () => {
    assert.equal(t.server.ctx.mailer.configured, false);
    assert.equal((await t.client().instance()).mail, false);
    await t.server.ctx.mailer.send({ to: ADDRESS, subject: "Confirm", text: `Confirm: ${LINK}` });
    await t.server.ctx.mailer.send({ to: ADDRESS, subject: "Confirm", text: `Confirm: ${LINK}` });
    const warnings = logs.filter((l) => l.includes('"mail_not_configured"'));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /confirmation links cannot be mailed/);
    const all = logs.join("");
    assert.ok(!all.includes(ADDRESS) && !all.includes("example.org"), all);
    // not in development mode: the link is not logged either
    assert.ok(!all.includes("tok_"), all);
  });
});

describe("mail development log", () => {
  it("logs each message's text, with its link, and hides the recipient", async () => {
    const lines: string[] = [];
    const mailer = createMailer(buildConfig({ mailDevLog: "true" }), createLogger("info", (l) => lines.push(l)));
    await mailer.send({ to: ADDRESS, subject: "Confirm your signature", text: `Confirm: ${LINK}` });
    await mailer.send({ to: "bo@example.org", subject: "Confirm your answer", text: `Confirm: ${LINK}2` });
    const dev = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === "mail_dev_log");
    assert.equal(dev.length, 2);
    assert.equal(dev[0]!.text, `Confirm: ${LINK}`);
    assert.equal(dev[0]!.subject, "Confirm your signature");
    assert.equal(dev[0]!.to, "(hidden)");
    assert.equal(lines.filter((l) => l.includes('"mail_not_configured"')).length, 1);
    assert.ok(!lines.join("").includes("example.org"));
  });

  it("is read from COMMUNE_MAIL_DEV_LOG", () => {
    assert.equal(buildConfig(readEnv({ COMMUNE_MAIL_DEV_LOG: "true" })).mailDevLog, true);
    assert.equal(buildConfig(readEnv({})).mailDevLog, false);
  });
});

describe("mail failures", () => {
  it("an unreachable SMTP server gives AppError unavailable and logs no address", async () => {
    const smtp = await startSmtpServer();
    const url = smtp.url;
    await smtp.close();
    const lines: string[] = [];
    const mailer = createMailer(buildConfig({ smtpUrl: url }), createLogger("debug", (l) => lines.push(l)));
    try {
      const error = await mailer.send({ to: ADDRESS, subject: "Confirm", text: LINK }).then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(error instanceof AppError);
      assert.equal(error.code, "unavailable");
      assert.equal(lines.filter((l) => l.includes('"mail_send_failed"')).length, 1);
      assert.ok(!lines.join("").includes("example.org"));
      assert.ok(!lines.join("").includes("smtp test password"));
    } finally {
      mailer.close();
    }
  });

  it("wrong SMTP credentials give AppError unavailable", async () => {
    const smtp = await startSmtpServer();
    const mailer = createMailer(buildConfig({ smtpUrl: smtp.url.replace("smtp%20test%20password", "wrong") }), createLogger("silent"));
    try {
      assert.equal(await codeOf(mailer.send({ to: ADDRESS, subject: "Confirm", text: LINK })), "unavailable");
      assert.equal(smtp.messages.length, 0);
    } finally {
      mailer.close();
      await smtp.close();
    }
  });
});

describe("mail settings", () => {
  const refused = (input: Record<string, string>, pattern: RegExp) => {
    assert.throws(() => buildConfig(readEnv(input)), (error: unknown) => error instanceof ConfigError && pattern.test(error.message));
  };

  it("a bad COMMUNE_SMTP_URL stops start-up naming the setting, never echoing its password", () => {
    refused({ COMMUNE_SMTP_URL: "http://user:hunter2@mail.example.org" }, /COMMUNE_SMTP_URL/);
    refused({ COMMUNE_SMTP_URL: "mail.example.org:587" }, /COMMUNE_SMTP_URL/);
    refused({ COMMUNE_SMTP_URL: "not a url" }, /COMMUNE_SMTP_URL/);
    refused({ COMMUNE_SMTP_URL: "smtp://" }, /COMMUNE_SMTP_URL/);
    for (const value of ["http://user:hunter2@mail.example.org", "ftp://u:hunter2@x", "hunter2"]) {
      try {
        buildConfig(readEnv({ COMMUNE_SMTP_URL: value }));
        assert.fail("accepted");
      } catch (error) {
        assert.ok(!(error as Error).message.includes("hunter2"), (error as Error).message);
      }
    }
  });

  it("good SMTP URLs are taken as given; no URL means no SMTP", () => {
    assert.equal(buildConfig(readEnv({ COMMUNE_SMTP_URL: "smtp://user:pass@mail.example.org:587" })).smtpUrl, "smtp://user:pass@mail.example.org:587");
    assert.equal(buildConfig(readEnv({ COMMUNE_SMTP_URL: "smtps://mail.example.org:465" })).smtpUrl, "smtps://mail.example.org:465");
    assert.equal(buildConfig(readEnv({})).smtpUrl, null);
  });

  it("COMMUNE_MAIL_FROM takes an address or Name <address>; it defaults to the instance's name and host", () => {
    assert.equal(buildConfig(readEnv({ COMMUNE_MAIL_FROM: "noreply@commune.example.org" })).mailFrom, "noreply@commune.example.org");
    assert.equal(buildConfig(readEnv({ COMMUNE_MAIL_FROM: "Local 42 <noreply@commune.example.org>" })).mailFrom, "Local 42 <noreply@commune.example.org>");
    assert.equal(
      buildConfig(readEnv({ COMMUNE_INSTANCE_NAME: 'Local "42" <x>', COMMUNE_PUBLIC_URL: "https://commune.example.org" })).mailFrom,
      '"Local 42 x" <noreply@commune.example.org>',
    );
    refused({ COMMUNE_MAIL_FROM: "nobody" }, /COMMUNE_MAIL_FROM/);
    refused({ COMMUNE_MAIL_FROM: "a@b\r\nBcc: victim@example.org" }, /COMMUNE_MAIL_FROM/);
    refused({ COMMUNE_MAIL_DEV_LOG: "perhaps" }, /COMMUNE_MAIL_DEV_LOG/);
  });
});
