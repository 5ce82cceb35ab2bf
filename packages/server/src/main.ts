/**
 * `commune` — serve, migrate, invite, backup. Settings come from COMMUNE_* variables and flags
 * (see `commune help` and docs/configuration.md).
 */
import { join, resolve } from "node:path";
import { SECRET_FILE } from "./auth/instance-secret.ts";
import { buildConfig, ConfigError } from "./config/config.ts";
import { readArgs } from "./config/env.ts";
import { createLogger } from "./logger.ts";
import { createServer } from "./server.ts";
import { createContext } from "./context.ts";
import { InProcessBus } from "./realtime/bus.ts";
import { createAdminInvite } from "./services/invites.ts";
import { backup } from "./store/backup.ts";
import { openStore } from "./store/database.ts";

const HELP = `commune — a self-hosted organizing platform

Usage: commune <command> [flags]

Commands:
  serve              run the server (what \`npm start\` does)
  migrate            apply database migrations, then exit
  invite             print a one-time link that makes its user an instance administrator
                     (--expires HOURS, default 24)
  backup             write a consistent snapshot of the SQLite database and blobs while the
                     server runs (--out FOLDER, default ./backups)
  help               this text

Flags (each also an environment variable):
  --port N           COMMUNE_PORT           port to listen on (default 8080)
  --host ADDR        COMMUNE_HOST           address to listen on (default 127.0.0.1)
  --data FOLDER      COMMUNE_DATA           data folder (default ./data)
  --public-url URL   COMMUNE_PUBLIC_URL     address people use (default http://localhost:PORT)
  --database-url URL COMMUNE_DATABASE_URL   postgres://… (default: SQLite file in the data folder)
More settings: docs/configuration.md
`;

function option(rest: string[], name: string): string | undefined {
  return rest.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

async function main(argv: string[]): Promise<number> {
  const args = readArgs(argv, process.env);
  if (args.help || !args.command || args.command === "help") {
    process.stdout.write(HELP);
    return args.command || args.help ? 0 : 2;
  }
  switch (args.command) {
    case "serve": {
      const server = await createServer(args.input);
      const { url } = await server.start();
      // stop cleanly from the moment the server listens: a signal during the setup check below
      // must not kill the process mid-write
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stdout.write(`\n${signal}: stopping…\n`);
        server.destroy().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on("SIGINT", () => stop("SIGINT"));
      process.on("SIGTERM", () => stop("SIGTERM"));
      const invite = (await server.needsSetup()) ? await server.createAdminInvite() : null;
      // one write: whoever reads the start-up text gets the link with the "running" line
      process.stdout.write(
        `Commune is running at ${server.config.publicUrl} (listening on ${url}, data in ${server.config.dataDir})\n` +
          (invite
            ? `\nNo administrator yet. Open this one-time link to become this instance's administrator\n(valid 24 hours; \`commune invite\` makes a new one):\n\n  ${invite.url}\n\n`
            : ""),
      );
      return -1; // keep running
    }
    case "migrate": {
      const config = buildConfig(args.input);
      const store = await openStore({ url: config.databaseUrl, pgSchema: config.databaseSchema });
      try {
        const applied = await store.migrate();
        process.stdout.write(applied.length ? `Applied: ${applied.join(", ")}\n` : "The database is up to date.\n");
      } finally {
        await store.destroy();
      }
      return 0;
    }
    case "invite": {
      const config = buildConfig(args.input);
      const hours = Number(option(args.rest, "expires") ?? 24);
      if (!Number.isInteger(hours) || hours < 1 || hours > 24 * 30) throw new ConfigError("--expires: a whole number of hours from 1 to 720");
      const store = await openStore({ url: config.databaseUrl, pgSchema: config.databaseSchema });
      try {
        await store.migrate();
        const ctx = createContext(config, store, createLogger("warn"), new InProcessBus());
        const invite = await createAdminInvite(ctx, hours);
        process.stdout.write(`One-time administrator link (valid ${hours} hours):\n\n  ${invite.url}\n\n`);
      } finally {
        await store.destroy();
      }
      return 0;
    }
    case "backup": {
      const config = buildConfig(args.input);
      if (!config.databaseUrl.startsWith("sqlite:")) {
        process.stderr.write("backup: this instance uses PostgreSQL; back it up with pg_dump (see docs/backup.md) and copy the blob folder.\n");
        return 2;
      }
      const out = resolve(option(args.rest, "out") ?? "./backups");
      const result = await backup({ sqlitePath: config.databaseUrl.slice("sqlite:".length), blobDir: config.blobDir, secretPath: join(config.dataDir, SECRET_FILE), outDir: out });
      process.stdout.write(`Backup written to ${result.folder} (database ${result.databaseBytes} bytes)\n`);
      return 0;
    }
    default:
      process.stderr.write(`Unknown command "${args.command}". Run \`commune help\`.\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(2);
    }
    const e = error as { code?: string; message?: string };
    if (e.code === "EADDRINUSE") process.stderr.write("Cannot start: the port is in use. Choose another with --port or COMMUNE_PORT.\n");
    else if (e.code === "ECONNREFUSED") process.stderr.write("Cannot reach the database at COMMUNE_DATABASE_URL. Is PostgreSQL running?\n");
    else process.stderr.write(`Cannot start: ${e.message ?? String(error)}\n`);
    process.exit(1);
  },
);
