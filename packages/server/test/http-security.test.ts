/**
 * The HTTP boundary's promises: security headers and CSP, the browser session cookie and its
 * cross-site guard, bounded bodies, rate-limited sign-in that does not reveal who exists, and
 * nothing secret or personal in the database dump or the logs.
 */
import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ERROR_STATUS } from "@commune/protocol";
import { createLogger } from "../src/logger.ts";
import { PASSWORD, codeOf, orgWithMembers, startServer } from "./helpers.ts";

async function problem(res: Response) {
  assert.equal(res.headers.get("content-type"), "application/problem+json");
  const body = (await res.json()) as { code: keyof typeof ERROR_STATUS; status: number };
  assert.equal(body.status, res.status);
  assert.equal(ERROR_STATUS[body.code], res.status);
  return body;
}

describe("HTTP boundary", () => {
  it("serves the web app with a strict CSP and index.html for app paths; unknown API paths are problems", async () => {
    const { mkdtemp, writeFile, mkdir } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const dist = await mkdtemp(join(tmpdir(), "commune-dist-"));
    await mkdir(join(dist, "assets"));
    await writeFile(join(dist, "index.html"), "<!doctype html><title>Commune</title>");
    await writeFile(join(dist, "assets", "app-abc.js"), "console.log(1)");
    await using t = await startServer("sqlite", { webDist: dist });
    const page = await fetch(`${t.url}/orgs/some-union/members`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>Commune<\/title>/);
    const csp = page.headers.get("content-security-policy")!;
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
    assert.equal(page.headers.get("x-content-type-options"), "nosniff");
    assert.equal(page.headers.get("referrer-policy"), "no-referrer");
    const asset = await fetch(`${t.url}/assets/app-abc.js`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get("cache-control")!, /immutable/);
    assert.equal((await problem(await fetch(`${t.url}/api/v1/nothing`))).code, "not_found");
    assert.equal((await problem(await fetch(`${t.url}/api/v2/orgs`))).code, "not_found");
    assert.equal((await problem(await fetch(`${t.url}/anything`, { method: "POST" }))).code, "not_found");
    assert.equal((await fetch(`${t.url}/../../etc/passwd`)).status, 200); // normalised by URL: the app page, never the file
  });

  it("a browser session is an HttpOnly SameSite=Strict cookie, refused on cross-site writes", async () => {
    await using t = await startServer("sqlite");
    const invite = await t.server.createAdminInvite();
    const res = await fetch(`${t.url}/api/v1/accounts`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: t.url },
      body: JSON.stringify({ username: "cookie", password: PASSWORD, invite: invite.token }),
    });
    assert.equal(res.status, 201);
    const setCookie = res.headers.get("set-cookie")!;
    assert.match(setCookie, /^commune_session=[A-Za-z0-9_-]{43};/);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    const cookie = setCookie.split(";")[0]!;
    const me = await fetch(`${t.url}/api/v1/account`, { headers: { cookie } });
    assert.equal(((await me.json()) as { username: string }).username, "cookie");
    const body = JSON.stringify({ name: "Evil", visibility: "public", languages: ["en"] });
    const crossSite = await fetch(`${t.url}/api/v1/orgs`, { method: "POST", headers: { cookie, origin: "https://evil.example", "content-type": "application/json" }, body });
    assert.equal((await problem(crossSite)).code, "forbidden");
    const sameSite = await fetch(`${t.url}/api/v1/orgs`, { method: "POST", headers: { cookie, origin: t.url, "content-type": "application/json" }, body });
    assert.equal(sameSite.status, 201);
    // a form post (text/plain) is not JSON: refused before anything happens
    const form = await fetch(`${t.url}/api/v1/orgs`, { method: "POST", headers: { cookie, "content-type": "text/plain" }, body });
    assert.equal((await problem(form)).code, "unsupported_media_type");
    const out = await fetch(`${t.url}/api/v1/sessions/current`, { method: "DELETE", headers: { cookie, origin: t.url } });
    assert.equal(out.status, 204);
    assert.match(out.headers.get("set-cookie")!, /commune_session=;/);
    assert.equal((await problem(await fetch(`${t.url}/api/v1/account`, { headers: { cookie } }))).code, "unauthenticated");
  });

  it("refuses oversized bodies before reading them whole", async () => {
    await using t = await startServer("sqlite", { maxBodyBytes: 4096 });
    const big = JSON.stringify({ username: "x".repeat(10_000), password: "y" });
    const declared = await fetch(`${t.url}/api/v1/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: big });
    assert.equal((await problem(declared)).code, "payload_too_large");
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 50; i++) controller.enqueue(new TextEncoder().encode("x".repeat(1000)));
        controller.close();
      },
    });
    const chunked = await fetch(`${t.url}/api/v1/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: stream, duplex: "half" } as RequestInit);
    assert.equal((await problem(chunked)).code, "payload_too_large");
  });

  it("rate-limits sign-in per account name, answering the same for names that do not exist", async () => {
    await using t = await startServer("sqlite");
    await orgWithMembers(t, "rl", ["target"]);
    const attempt = (username: string) =>
      fetch(`${t.url}/api/v1/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password: "wrong guess 123" }) });
    const real = await problem(await attempt("target"));
    const ghost = await problem(await attempt("ghost-account"));
    assert.deepEqual({ ...real }, { ...ghost });
    for (let i = 0; i < 9; i++) await attempt("target"); // ten attempts in all are allowed
    const limited = await attempt("target");
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get("retry-after")) > 0);
    const body = await problem(limited);
    assert.equal(body.code, "rate_limited");
    // the right password does not get through while limited: guessing is throttled, not just failing
    assert.equal(await codeOf(t.client().signIn("target", PASSWORD)), "rate_limited");
    // another account is unaffected
    assert.equal((await t.client().signIn("admin", PASSWORD)).account.username, "admin");
  });

  it("rate-limits sign-in per client address", async () => {
    await using t = await startServer("sqlite", { trustProxy: true });
    let status = 0;
    for (let i = 0; i < 61; i++) {
      const res = await fetch(`${t.url}/api/v1/sessions`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.9" },
        body: JSON.stringify({ username: `name${i}`, password: "wrong guess 123" }),
      });
      status = res.status;
      await res.body?.cancel();
    }
    assert.equal(status, 429);
    const other = await fetch(`${t.url}/api/v1/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.10" },
      body: JSON.stringify({ username: "someone", password: "wrong guess 123" }),
    });
    assert.equal(other.status, 401);
  });

  it("keeps no password, token or invite in plain text in the database, and no names, emails or addresses in the logs", async () => {
    const lines: string[] = [];
    await using t = await startServer("sqlite", { logger: createLogger("debug", (l) => lines.push(l)) });
    const invite = await t.server.createAdminInvite();
    const admin = t.client();
    const signed = await admin.signUp({ username: "ximena", password: "a secret passphrase 9000", email: "ximena@example.org", invite: invite.token });
    await admin.createOrganization({ name: "Leak test", slug: "leak", visibility: "private", languages: ["en"] });
    const orgInvite = await admin.createInvite("leak", { role: "member", expiresInHours: 1, maxUses: 3 });
    await t.client().signUp({ username: "yannick", password: "another secret passphrase", invite: orgInvite.token });
    await assert.rejects(t.client().signIn("ximena", "a wrong passphrase"));
    await t.server.destroy(); // flush WAL into the file before reading it raw
    const files = (await readdir(t.dataDir, { recursive: true })).map((f) => join(t.dataDir, f));
    let dump = "";
    for (const f of files) dump += await readFile(f, "latin1").catch(() => "");
    for (const secret of ["a secret passphrase 9000", "another secret passphrase", signed.token, invite.token, orgInvite.token]) {
      assert.equal(dump.includes(secret), false, "a secret is stored in plain text");
    }
    const log = lines.join("");
    for (const personal of ["ximena", "yannick", "example.org", "127.0.0.1", "passphrase"]) {
      assert.equal(log.includes(personal), false, `the log mentions ${personal}`);
    }
  });
});
