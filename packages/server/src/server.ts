/**
 * A whole Commune server as one object: create it, start it, destroy it. Tests and benchmarks start
 * real servers this way; the CLI's `serve` does the same.
 */
import { mkdirSync } from "node:fs";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener, RequestError } from "@hono/node-server";
import { createApp } from "./api/app.ts";
import { errorToResponse, problemResponse } from "./api/problem.ts";
import { buildConfig, type Config, type ConfigInput } from "./config/config.ts";
import { createContext, type AppContext } from "./context.ts";
import { createLogger, type Logger } from "./logger.ts";
import { createAdminInvite } from "./services/invites.ts";
import { deleteExpiredSessions } from "./services/sessions.ts";
import { deleteExpiredEvents } from "./services/rooms.ts";
import { deleteExpiredAttachments } from "./services/attachments.ts";
import { purgeSpentChallenges } from "./services/proof-of-work.ts";
import { deleteExpiredSignatures } from "./services/signatures.ts";
import { deleteExpiredResponses } from "./services/form-responses.ts";
import { InProcessBus, PostgresBus, type Bus } from "./realtime/bus.ts";
import { RealtimeHub } from "./realtime/hub.ts";
import { openStore } from "./store/database.ts";

export interface CommuneServer extends AsyncDisposable {
  readonly config: Config;
  readonly ctx: AppContext;
  /** The address it listens on, once started (e.g. http://127.0.0.1:41234). */
  readonly url: string;
  start(): Promise<{ url: string }>;
  /** A one-time link that makes whoever opens it an administrator of this instance. */
  createAdminInvite(hours?: number): Promise<{ token: string; url: string; expiresAt: number }>;
  /** True while no administrator exists yet. */
  needsSetup(): Promise<boolean>;
  destroy(): Promise<void>;
}

export interface CreateServerOptions extends ConfigInput {
  readonly logger?: Logger;
}

export async function createServer(options: CreateServerOptions = {}): Promise<CommuneServer> {
  const { logger: givenLogger, ...input } = options;
  const config = buildConfig(input);
  const logger = givenLogger ?? createLogger(config.logLevel);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const store = await openStore({ url: config.databaseUrl, pgSchema: config.databaseSchema });
  try {
    const applied = await store.migrate();
    if (applied.length > 0) logger.info("migrated", { migrations: applied.join(",") });
  } catch (error) {
    await store.destroy();
    throw error;
  }
  let bus: Bus;
  if (config.busUrl) {
    const pgBus = new PostgresBus(config.busUrl, {
      // tests isolate servers by schema: their buses must not hear each other either
      ...(config.databaseSchema ? { channelSuffix: config.databaseSchema } : {}),
      onError: (error) => logger.warn("bus_connection_error", { name: error.name }),
    });
    await pgBus.start();
    bus = pgBus;
  } else {
    bus = new InProcessBus();
  }
  const ctx = createContext(config, store, logger, bus);
  const app = createApp(ctx);
  // A request Node parses but the adapter cannot turn into a Request (a bad Host header, a
  // backslash in the path) must still get problem+json, not an empty 400.
  const listener = getRequestListener(app.fetch, {
    errorHandler: (error) =>
      error instanceof RequestError
        ? problemResponse("validation_failed", "The request line or Host header is not valid.")
        : errorToResponse(error, logger),
  });
  let http: HttpServer | null = null;
  let url = "";
  let sweeper: NodeJS.Timeout | null = null;

  const server: CommuneServer = {
    get config() {
      return ctx.config;
    },
    ctx,
    get url() {
      return url;
    },
    async start() {
      const h = createHttpServer(listener);
      http = h;
      const hub = new RealtimeHub(ctx, bus);
      ctx.realtime = hub;
      h.on("upgrade", (request, socket, head) => hub.handleUpgrade(request, socket, head));
      await new Promise<void>((resolve, reject) => {
        h.once("error", reject);
        h.listen(config.port, config.host, () => resolve());
      });
      const address = h.address() as AddressInfo;
      const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
      url = `http://${host === "0.0.0.0" || host === "[::]" ? "127.0.0.1" : host}:${address.port}`;
      if (config.port === 0 && !config.publicUrlGiven) {
        // the derived public URL named port 0: let it name the port actually bound
        ctx.config = buildConfig({ ...input, port: address.port });
      }
      sweeper = setInterval(() => {
        deleteExpiredSessions(ctx).catch((error: Error) => logger.warn("session_sweep_failed", { name: error.name }));
        // disappearing messages: the ciphertext goes when its timer runs out
        deleteExpiredEvents(ctx).catch((error: Error) => logger.warn("event_sweep_failed", { name: error.name }));
        deleteExpiredAttachments(ctx).catch((error: Error) => logger.warn("attachment_sweep_failed", { name: error.name }));
        purgeSpentChallenges(ctx).catch((error: Error) => logger.warn("pow_sweep_failed", { name: error.name }));
        // unconfirmed signatures after a week; all of a petition's after its retention period
        deleteExpiredSignatures(ctx).catch((error: Error) => logger.warn("signature_sweep_failed", { name: error.name }));
        // unconfirmed form responses after a week; all of a form's after its retention period
        deleteExpiredResponses(ctx).catch((error: Error) => logger.warn("form_response_sweep_failed", { name: error.name }));
      }, 60_000);
      sweeper.unref();
      logger.info("listening", { port: address.port, dialect: store.dialect });
      return { url };
    },
    createAdminInvite: (hours) => createAdminInvite(ctx, hours),
    async needsSetup() {
      const admin = await ctx.db.selectFrom("accounts").select("id").where("instance_admin", "=", 1).limit(1).executeTakeFirst();
      return !admin;
    },
    async destroy() {
      if (sweeper) clearInterval(sweeper);
      ctx.petitionProgress.close();
      await ctx.realtime?.close();
      ctx.realtime = null;
      if (http) {
        const h: HttpServer = http;
        await new Promise<void>((resolve) => {
          h.close(() => resolve());
          h.closeAllConnections();
        });
        http = null;
      }
      await bus.close();
      // mails already promised to signers go out before the transport closes
      await ctx.mailQueue.drain(5000);
      ctx.mailer.close();
      await store.destroy();
    },
    [Symbol.asyncDispose]() {
      return server.destroy();
    },
  };
  return server;
}
