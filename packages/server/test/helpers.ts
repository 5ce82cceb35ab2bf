/**
 * Starts real Commune servers for tests: SQLite in a fresh temporary folder, or PostgreSQL in a
 * fresh schema of the test database (dropped afterwards), so test files can run in parallel.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as joinPath } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { CommuneClient, MemoryDeviceStore } from "@commune/client";
import { createLogger } from "../src/logger.ts";
import { createServer, type CommuneServer, type CreateServerOptions } from "../src/index.ts";

export type TestDialect = "sqlite" | "postgres";
export const DIALECTS: readonly TestDialect[] = ["sqlite", "postgres"];
export const PG_URL = process.env.COMMUNE_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const PASSWORD = "correct horse battery staple";

export interface TestServer extends AsyncDisposable {
  readonly server: CommuneServer;
  readonly url: string;
  readonly dataDir: string;
  readonly dialect: TestDialect;
  /** A client with its own in-memory device store. */
  client(name?: string): CommuneClient;
  /** Signs up a fresh instance administrator and returns their client. */
  admin(username?: string): Promise<CommuneClient>;
  close(): Promise<void>;
}

export async function startServer(dialect: TestDialect, options: CreateServerOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(joinPath(tmpdir(), "commune-test-"));
  const schema = dialect === "postgres" ? `t_${randomBytes(6).toString("hex")}` : undefined;
  const logLines: string[] = [];
  const server = await createServer({
    dataDir,
    port: 0,
    fastPasswordHashing: true,
    webDist: null,
    logger: createLogger("warn", (line) => logLines.push(line)),
    ...(dialect === "postgres" ? { databaseUrl: PG_URL, databaseSchema: schema } : {}),
    ...options,
  });
  const { url } = await server.start();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await server.destroy();
    if (schema) {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    }
    await rm(dataDir, { recursive: true, force: true });
    if (logLines.some((l) => l.includes('"internal_error"'))) {
      throw new Error(`the server logged internal errors:\n${logLines.join("")}`);
    }
  };
  const client = (name = "test device") => new CommuneClient({ baseUrl: url, deviceStore: new MemoryDeviceStore(), deviceName: name });
  return {
    server,
    url,
    dataDir,
    dialect,
    client,
    async admin(username = "admin") {
      const invite = await server.createAdminInvite();
      const c = client();
      await c.signUp({ username, password: PASSWORD, invite: invite.token });
      return c;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** An organization with an admin client, and a way to bring in more members. */
export async function orgWithMembers(t: TestServer, slug = "local-42", extra: string[] = []) {
  const admin = await t.admin();
  const org = await admin.createOrganization({ name: "Local 42", slug, visibility: "private", languages: ["en", "fr"] });
  const members: CommuneClient[] = [];
  for (const name of extra) members.push(await join(t, admin, slug, name));
  return { admin, org, members };
}

export async function join(t: TestServer, inviter: CommuneClient, slug: string, username: string, role: "member" | "organizer" | "admin" = "member"): Promise<CommuneClient> {
  const invite = await inviter.createInvite(slug, { role, expiresInHours: 24, maxUses: 1 });
  const c = t.client();
  await c.signUp({ username, password: PASSWORD, invite: invite.token });
  return c;
}

/** Calls an async function expected to fail, and returns the ApiError code. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code ?? `non-api error: ${String(error)}`;
  }
  return "no error";
}
