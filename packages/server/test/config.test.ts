import assert from "node:assert/strict";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { buildConfig, ConfigError } from "../src/config/config.ts";
import { readArgs } from "../src/config/env.ts";

describe("config", () => {
  it("has embedded defaults: port 8080, ./data, SQLite file inside it, loopback", () => {
    const c = buildConfig({});
    assert.equal(c.port, 8080);
    assert.equal(c.host, "127.0.0.1");
    assert.equal(c.dataDir, resolve("data"));
    assert.equal(c.databaseUrl, `sqlite:${resolve("data", "commune.sqlite")}`);
    assert.equal(c.blobDir, resolve("data", "blobs"));
    assert.equal(c.publicUrl, "http://localhost:8080");
    assert.equal(c.fastPasswordHashing, false);
    assert.ok(Object.isFrozen(c));
  });

  it("reads COMMUNE_* variables, and flags win over them", () => {
    const env = { COMMUNE_PORT: "9000", COMMUNE_DATA: "/srv/commune", COMMUNE_PUBLIC_URL: "https://union.example.org/", COMMUNE_DATABASE_URL: "postgres://u@db/commune" };
    const fromEnv = buildConfig(readArgs(["serve"], env).input);
    assert.equal(fromEnv.port, 9000);
    assert.equal(fromEnv.dataDir, "/srv/commune");
    assert.equal(fromEnv.publicUrl, "https://union.example.org");
    assert.equal(fromEnv.databaseUrl, "postgres://u@db/commune");
    const fromFlags = buildConfig(readArgs(["serve", "--port", "9100", "--data", "/tmp/x"], env).input);
    assert.equal(fromFlags.port, 9100);
    assert.equal(fromFlags.dataDir, "/tmp/x");
  });

  const bad: Array<[Record<string, string>, RegExp]> = [
    [{ port: "eighty" }, /port \(COMMUNE_PORT, --port\): expected a whole number from 0 to 65535/],
    [{ port: "70000" }, /COMMUNE_PORT/],
    [{ publicUrl: "union.example.org" }, /COMMUNE_PUBLIC_URL.*absolute http\(s\) URL/],
    [{ publicUrl: "ftp://x" }, /COMMUNE_PUBLIC_URL/],
    [{ databaseUrl: "mysql://root:hunter2@db" }, /COMMUNE_DATABASE_URL\): expected postgres:\/\/.*got "mysql:…"$/],
    [{ organizationCreation: "anyone" }, /COMMUNE_ORGANIZATION_CREATION\): expected one of admins, everyone/],
    [{ trustProxy: "maybe" }, /COMMUNE_TRUST_PROXY\): expected true or false/],
    [{ logLevel: "loud" }, /COMMUNE_LOG_LEVEL/],
    [{ databaseSchema: "Robert'); drop" }, /COMMUNE_DATABASE_SCHEMA/],
  ];
  for (const [input, message] of bad) {
    it(`refuses ${JSON.stringify(input)} naming the setting and what it accepts`, () => {
      assert.throws(() => buildConfig(input), (e: unknown) => e instanceof ConfigError && message.test(e.message));
    });
  }

  it("refuses unknown flags", () => {
    assert.throws(() => readArgs(["serve", "--prot", "1"], {}), ConfigError);
  });
});
