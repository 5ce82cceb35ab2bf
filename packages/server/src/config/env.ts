/** Reads settings from the environment (COMMUNE_*) and command-line flags; flags win. */
import { parseArgs } from "node:util";
import { ConfigError, type ConfigInput } from "./config.ts";

const ENV: ReadonlyArray<readonly [keyof ConfigInput, string]> = [
  ["port", "COMMUNE_PORT"],
  ["host", "COMMUNE_HOST"],
  ["dataDir", "COMMUNE_DATA"],
  ["publicUrl", "COMMUNE_PUBLIC_URL"],
  ["databaseUrl", "COMMUNE_DATABASE_URL"],
  ["databaseSchema", "COMMUNE_DATABASE_SCHEMA"],
  ["busUrl", "COMMUNE_BUS_URL"],
  ["instanceName", "COMMUNE_INSTANCE_NAME"],
  ["organizationCreation", "COMMUNE_ORGANIZATION_CREATION"],
  ["trustProxy", "COMMUNE_TRUST_PROXY"],
  ["maxBodyBytes", "COMMUNE_MAX_BODY_BYTES"],
  ["maxAttachmentBytes", "COMMUNE_MAX_ATTACHMENT_BYTES"],
  ["loopKeyRefreshSeconds", "COMMUNE_LOOP_KEY_REFRESH_SECONDS"],
  ["sessionDays", "COMMUNE_SESSION_DAYS"],
  ["logLevel", "COMMUNE_LOG_LEVEL"],
  ["webDist", "COMMUNE_WEB_DIST"],
  ["fastPasswordHashing", "COMMUNE_INSECURE_FAST_PASSWORD_HASHING"],
  ["powMaxNumber", "COMMUNE_POW_MAX_NUMBER"],
  ["powExpirySeconds", "COMMUNE_POW_EXPIRY_SECONDS"],
  ["powChallengesPerMinute", "COMMUNE_POW_CHALLENGES_PER_MINUTE"],
  ["smtpUrl", "COMMUNE_SMTP_URL"],
  ["mailFrom", "COMMUNE_MAIL_FROM"],
  ["mailDevLog", "COMMUNE_MAIL_DEV_LOG"],
];

export const FLAGS = {
  port: { type: "string" },
  host: { type: "string" },
  data: { type: "string" },
  "public-url": { type: "string" },
  "database-url": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export function readEnv(env: Readonly<Record<string, string | undefined>>): ConfigInput {
  const input: Record<string, string> = {};
  for (const [key, name] of ENV) {
    const value = env[name];
    if (value !== undefined) input[key] = value;
  }
  return input;
}

export interface ParsedArgs {
  readonly command: string | undefined;
  readonly rest: string[];
  readonly input: ConfigInput;
  readonly help: boolean;
}

export function readArgs(argv: string[], env: Readonly<Record<string, string | undefined>>): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...FLAGS, expires: { type: "string" }, out: { type: "string" } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const v = parsed.values;
  const flags: Record<string, string> = {};
  if (v.port !== undefined) flags.port = v.port;
  if (v.host !== undefined) flags.host = v.host;
  if (v.data !== undefined) flags.dataDir = v.data;
  if (v["public-url"] !== undefined) flags.publicUrl = v["public-url"];
  if (v["database-url"] !== undefined) flags.databaseUrl = v["database-url"];
  const rest = parsed.positionals.slice(1);
  if (v.expires !== undefined) rest.push(`--expires=${v.expires}`);
  if (v.out !== undefined) rest.push(`--out=${v.out}`);
  return { command: parsed.positionals[0], rest, input: { ...readEnv(env), ...flags }, help: v.help === true };
}
