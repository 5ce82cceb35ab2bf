/**
 * The `commune` command as an operator runs it: serve prints the one-time administrator link,
 * invite makes another, backup snapshots a running server, bad settings stop start-up clearly.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { CommuneClient } from "@commune/client";
import { PASSWORD } from "./helpers.ts";

const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
const ENV = { ...process.env, COMMUNE_INSECURE_FAST_PASSWORD_HASHING: "true", COMMUNE_LOG_LEVEL: "warn", COMMUNE_DATABASE_URL: "", COMMUNE_PORT: "" };

function run(args: string[], env: NodeJS.ProcessEnv = ENV): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createNetServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts `commune serve` and resolves once it printed what it prints at start. */
function serve(dataDir: string, port: number): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [CLI, "serve", "--port", String(port), "--data", dataDir], { env: ENV, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  return new Promise((resolve, reject) => {
    const check = setInterval(() => {
      if (/Commune is running/.test(out) && (/\/invite#/.test(out) || /Commune is running[^\n]*\n$/.test(out))) {
        clearInterval(check);
        resolve({ child, output: () => out });
      }
    }, 20);
    child.on("exit", (code) => {
      clearInterval(check);
      reject(new Error(`serve exited ${code}: ${out}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.on("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}

describe("commune CLI", () => {
  const dirs: string[] = [];
  const tmp = async () => {
    const d = await mkdtemp(join(tmpdir(), "commune-cli-"));
    dirs.push(d);
    return d;
  };
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("serve prints a one-time administrator link that works, backup snapshots it while it runs", async () => {
    const data = await tmp();
    const port = await freePort();
    const { child, output } = await serve(data, port);
    try {
      const link = output().match(/http:\/\/localhost:\d+\/invite#([A-Za-z0-9_-]+)/);
      assert.ok(link, output());
      const base = `http://127.0.0.1:${port}`;
      assert.deepEqual(await (await fetch(`${base}/healthz`)).json(), { status: "ok" });
      const admin = new CommuneClient({ baseUrl: base });
      await admin.signUp({ username: "first", password: PASSWORD, invite: link[1]! });
      await admin.createOrganization({ name: "Backup union", slug: "backup", visibility: "private", languages: ["en"] });
      await admin.createCircle("backup", { name: "Treasury" });

      const out = await tmp();
      const result = await run(["backup", "--data", data, "--out", out]);
      assert.equal(result.code, 0, result.stderr);
      const [folder] = await readdir(out);
      assert.ok(folder?.startsWith("commune-backup-"));
      // the instance secret travels with the database: without it the deduplication index is useless
      assert.deepEqual((await readdir(join(out, folder!))).sort(), ["blobs", "commune.sqlite", "secret.key"]);
      const snapshot = new DatabaseSync(join(out, folder!, "commune.sqlite"), { readOnly: true });
      const orgs = snapshot.prepare("select slug from organizations").all();
      const circles = snapshot.prepare("select name from circles").all();
      snapshot.close();
      assert.deepEqual(orgs.map((r) => r.slug), ["backup"]);
      assert.deepEqual(circles.map((r) => r.name), ["Treasury"]);
      // a backup is a working data folder: a server starts on it
      assert.equal((await run(["migrate", "--data", join(out, folder!)])).stdout, "The database is up to date.\n");
    } finally {
      assert.equal(await stop(child), 0);
    }
    // once an administrator exists, a restart prints no link
    const again = await serve(data, port);
    assert.doesNotMatch(again.output(), /invite#/);
    await stop(again.child);
  });

  it("invite makes a fresh administrator link; migrate reports what it applied", async () => {
    const data = await tmp();
    const migrate = await run(["migrate", "--data", data]);
    assert.equal(migrate.code, 0);
    assert.match(migrate.stdout, /Applied: 001-initial, 002-instance-admin-index, 003-loops, 004-attachments/);
    const invite = await run(["invite", "--data", data, "--expires", "2"]);
    assert.equal(invite.code, 0);
    assert.match(invite.stdout, /valid 2 hours[\s\S]*http:\/\/localhost:8080\/invite#[A-Za-z0-9_-]{43}/);
    assert.equal((await run(["invite", "--data", data, "--expires", "0"])).code, 2);
  });

  it("the bundle that npm start runs is the same CLI", async () => {
    const bundle = fileURLToPath(new URL("../dist/commune.js", import.meta.url));
    if (!existsSync(bundle)) {
      // npm test builds it first; only a bare `node --test` of this file can get here
      assert.equal(process.env.CI, undefined, "the server bundle must be built in CI");
      return;
    }
    const data = await tmp();
    const help = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, [bundle, "invite", "--data", data], { env: ENV, stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.on("close", () => resolve(out));
    });
    assert.match(help, /One-time administrator link[\s\S]*\/invite#[A-Za-z0-9_-]{43}/);
  });

  it("stops on a bad setting with a message that names it", async () => {
    const result = await run(["serve", "--port", "http"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Configuration error: port \(COMMUNE_PORT, --port\): expected a whole number/);
    const pgBad = await run(["serve"], { ...ENV, COMMUNE_DATABASE_URL: "mysql://nope" });
    assert.equal(pgBad.code, 2);
    assert.match(pgBad.stderr, /COMMUNE_DATABASE_URL/);
    const unknown = await run(["frobnicate"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown command/);
    const help = await run(["help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /serve[\s\S]*migrate[\s\S]*invite[\s\S]*backup/);
  });
});
