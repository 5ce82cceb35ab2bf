/**
 * The validated, frozen configuration every part of the server reads. Built once from the
 * environment and command-line flags (see env.ts); a bad value stops start-up with a message that
 * names the setting and what it accepts.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly publicUrl: string;
  /** False when publicUrl was derived from host and port (it then follows the port actually bound). */
  readonly publicUrlGiven: boolean;
  /** `sqlite:<path>` or `postgres://…`. */
  readonly databaseUrl: string;
  /** PostgreSQL schema (tests isolate themselves with one); undefined for the default search path. */
  readonly databaseSchema: string | undefined;
  readonly blobDir: string;
  /** Where processes tell each other about room events: null in-process; `postgres://…` LISTEN/NOTIFY. */
  readonly busUrl: string | null;
  readonly instanceName: string;
  readonly organizationCreation: "admins" | "everyone";
  /** Read the client address from X-Forwarded-For / X-Forwarded-Proto (only behind a proxy you run). */
  readonly trustProxy: boolean;
  readonly maxBodyBytes: number;
  /** Largest encrypted attachment a loop accepts. */
  readonly maxAttachmentBytes: number;
  /** How often devices commit fresh keys in each loop (LoopEngine.refresh); told to clients. */
  readonly loopKeyRefreshSeconds: number;
  readonly sessionDays: number;
  readonly logLevel: LogLevel;
  /** The built web app; null serves the API alone. */
  readonly webDist: string | null;
  /** Lower argon2 cost, for tests and benchmarks only; never in production. */
  readonly fastPasswordHashing: boolean;
  /** Largest counter of a proof-of-work challenge: the solver's work is between half of it and all of it. */
  readonly powMaxNumber: number;
  /** How long a proof-of-work challenge may be solved and redeemed. */
  readonly powExpirySeconds: number;
  /** Proof-of-work challenges one client address may ask for per minute. */
  readonly powChallengesPerMinute: number;
  /** Where confirmation mails go out: `smtp://user:pass@host:587` or `smtps://…:465`; null when mail is off. */
  readonly smtpUrl: string | null;
  /** The From of every mail, e.g. `Commune <noreply@commune.example.org>`. */
  readonly mailFrom: string;
  /** Development only: without SMTP, write each mail's text (with its links) to the log, recipient hidden. */
  readonly mailDevLog: boolean;
}

/** Settings as given: every value is a string (env, flags) or already typed (tests). */
export type ConfigInput = { readonly [K in keyof Config]?: Config[K] | string | undefined };

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

// Found through module resolution, not a relative path, so it holds from the source and from the bundle.
function defaultWebDist(): string {
  try {
    return resolve(dirname(fileURLToPath(import.meta.resolve("@commune/web/package.json"))), "dist");
  } catch {
    return resolve("packages/web/dist");
  }
}

function integer(name: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

function boolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === "") return fallback;
  if (typeof value === "boolean") return value;
  if (/^(1|true|yes|on)$/i.test(String(value))) return true;
  if (/^(0|false|no|off)$/i.test(String(value))) return false;
  throw new ConfigError(`${name}: expected true or false, got ${JSON.stringify(value)}`);
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined || value === "") return fallback;
  if (allowed.includes(value as T)) return value as T;
  throw new ConfigError(`${name}: expected one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
}

function url(name: string, value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(`${name}: expected an absolute http(s) URL such as https://commune.example.org, got ${JSON.stringify(value)}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new ConfigError(`${name}: expected an http or https URL, got ${JSON.stringify(value)}`);
  }
  if (parsed.search || parsed.hash) throw new ConfigError(`${name}: must not contain ? or #`);
  return parsed.href.replace(/\/+$/, "");
}

/** Only the scheme of a URL is ever echoed back: the rest may hold a password. */
function scheme(value: string): string {
  const m = /^([a-z][a-z0-9+.-]*:)/i.exec(value);
  return m ? `${m[1]}…` : "a value that is not a URL";
}

function smtpUrl(value: unknown): string | null {
  if (value === undefined || value === null || value === "") return null;
  const name = "SMTP URL (COMMUNE_SMTP_URL)";
  let parsed: URL;
  try {
    parsed = new URL(String(value));
  } catch {
    throw new ConfigError(`${name}: expected smtp://user:password@host:587 or smtps://user:password@host:465, got ${JSON.stringify(scheme(String(value)))}`);
  }
  if (parsed.protocol !== "smtp:" && parsed.protocol !== "smtps:") {
    throw new ConfigError(`${name}: expected an smtp:// or smtps:// URL, got ${JSON.stringify(scheme(String(value)))}`);
  }
  if (!parsed.hostname) throw new ConfigError(`${name}: the URL names no host`);
  return String(value);
}

// An address, bare or as `Name <address>`; nodemailer encodes the name, so only the shape is checked.
const MAIL_FROM = /^(?:[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/;

function mailFrom(value: unknown, instanceName: string, publicUrl: string): string {
  if (value === undefined || value === null || value === "") {
    return `"${instanceName.replace(/["\\<>\r\n]/g, "")}" <noreply@${new URL(publicUrl).hostname}>`;
  }
  const from = String(value).trim();
  if (from.length > 320 || !MAIL_FROM.test(from)) {
    throw new ConfigError(`mail sender (COMMUNE_MAIL_FROM): expected an address such as noreply@example.org or "Commune <noreply@example.org>", got ${JSON.stringify(from.slice(0, 80))}`);
  }
  return from;
}

function busUrl(value: unknown): string | null {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value === "string" && /^postgres(ql)?:\/\//.test(value)) return value;
  throw new ConfigError(`bus URL (COMMUNE_BUS_URL): expected postgres://… (LISTEN/NOTIFY) or nothing for in-process, got ${JSON.stringify(scheme(String(value)))}`);
}

export function buildConfig(input: ConfigInput): Config {
  const port = integer("port (COMMUNE_PORT, --port)", input.port, 0, 65535, 8080);
  const host = typeof input.host === "string" && input.host !== "" ? input.host : "127.0.0.1";
  const dataDir = resolve(typeof input.dataDir === "string" && input.dataDir !== "" ? input.dataDir : "./data");
  const shownHost = host === "0.0.0.0" || host === "::" || host === "127.0.0.1" ? "localhost" : host;
  const publicUrlGiven = typeof input.publicUrl === "string" && input.publicUrl !== "";
  const publicUrl = url(
    "public URL (COMMUNE_PUBLIC_URL, --public-url)",
    typeof input.publicUrl === "string" && input.publicUrl !== "" ? input.publicUrl : `http://${shownHost}:${port}`,
  );
  let databaseUrl = typeof input.databaseUrl === "string" && input.databaseUrl !== "" ? input.databaseUrl : `sqlite:${resolve(dataDir, "commune.sqlite")}`;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    throw new ConfigError(`database URL (COMMUNE_DATABASE_URL): expected postgres://user@host:port/database or sqlite:<file>, got ${JSON.stringify(scheme(databaseUrl))}`);
  }
  if (databaseUrl.startsWith("sqlite:") && databaseUrl !== "sqlite::memory:") {
    databaseUrl = `sqlite:${resolve(databaseUrl.slice("sqlite:".length))}`;
  }
  const databaseSchema = typeof input.databaseSchema === "string" && input.databaseSchema !== "" ? input.databaseSchema : undefined;
  if (databaseSchema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(databaseSchema)) {
    throw new ConfigError("database schema (COMMUNE_DATABASE_SCHEMA): lowercase letters, digits and _ only, at most 63");
  }
  const webDist =
    input.webDist === null ? null : resolve(typeof input.webDist === "string" && input.webDist !== "" ? input.webDist : defaultWebDist());
  const instanceName = typeof input.instanceName === "string" && input.instanceName.trim() !== "" ? input.instanceName.trim().slice(0, 100) : "Commune";

  return Object.freeze({
    port,
    host,
    dataDir,
    publicUrl,
    publicUrlGiven,
    databaseUrl,
    databaseSchema,
    blobDir: resolve(dataDir, "blobs"),
    busUrl: busUrl(input.busUrl),
    instanceName,
    organizationCreation: oneOf("organization creation (COMMUNE_ORGANIZATION_CREATION)", input.organizationCreation, ["admins", "everyone"] as const, "admins"),
    trustProxy: boolean("trust proxy (COMMUNE_TRUST_PROXY)", input.trustProxy, false),
    maxBodyBytes: integer("max body bytes (COMMUNE_MAX_BODY_BYTES)", input.maxBodyBytes, 1024, 64 * 1024 * 1024, 64 * 1024),
    maxAttachmentBytes: integer("max attachment bytes (COMMUNE_MAX_ATTACHMENT_BYTES)", input.maxAttachmentBytes, 1024, 1024 * 1024 * 1024, 25 * 1024 * 1024),
    loopKeyRefreshSeconds: integer("loop key refresh seconds (COMMUNE_LOOP_KEY_REFRESH_SECONDS)", input.loopKeyRefreshSeconds, 10, 90 * 86_400, 7 * 86_400),
    sessionDays: integer("session days (COMMUNE_SESSION_DAYS)", input.sessionDays, 1, 365, 30),
    logLevel: oneOf("log level (COMMUNE_LOG_LEVEL)", input.logLevel, ["debug", "info", "warn", "error", "silent"] as const, "info"),
    webDist,
    fastPasswordHashing: boolean("fast password hashing (COMMUNE_INSECURE_FAST_PASSWORD_HASHING)", input.fastPasswordHashing, false),
    // 37,500 SHA-256 on average: about half a second on a cheap phone's cores (docs/configuration.md)
    powMaxNumber: integer("proof-of-work max number (COMMUNE_POW_MAX_NUMBER)", input.powMaxNumber, 1, 0xffffffff, 50_000),
    powExpirySeconds: integer("proof-of-work expiry seconds (COMMUNE_POW_EXPIRY_SECONDS)", input.powExpirySeconds, 10, 86_400, 600),
    powChallengesPerMinute: integer("proof-of-work challenges per minute (COMMUNE_POW_CHALLENGES_PER_MINUTE)", input.powChallengesPerMinute, 1, 1_000_000_000, 60),
    smtpUrl: smtpUrl(input.smtpUrl),
    mailFrom: mailFrom(input.mailFrom, instanceName, publicUrl),
    mailDevLog: boolean("mail development log (COMMUNE_MAIL_DEV_LOG)", input.mailDevLog, false),
  });
}
