/**
 * Everything a request handler or job needs, built once at start-up and handed down explicitly:
 * no module keeps global state.
 */
import type { Kysely } from "kysely";
import { loadInstanceSecrets, type InstanceSecrets } from "./auth/instance-secret.ts";
import { createPasswordHasher, type PasswordHasher } from "./auth/passwords.ts";
import { RateLimiter } from "./auth/rate-limiter.ts";
import { FolderBlobStore, type BlobStore } from "./blobs/blob-store.ts";
import type { Config } from "./config/config.ts";
import type { Logger } from "./logger.ts";
import { createMailer, type Mailer } from "./services/mail.ts";
import type { Bus } from "./realtime/bus.ts";
import { MailQueue } from "./services/mail-queue.ts";
import { PetitionProgressCache } from "./services/petition-progress.ts";
import type { RealtimeHub } from "./realtime/hub.ts";
import type { Database } from "./store/schema/index.ts";
import type { Store } from "./store/database.ts";

export interface Limits {
  /** Sign-in attempts per account name. */
  readonly signInPerAccount: RateLimiter;
  /** Sign-in attempts per client address. */
  readonly signInPerAddress: RateLimiter;
  /** Accounts created per client address. */
  readonly signUpPerAddress: RateLimiter;
  /** Proof-of-work challenges handed out per client address. */
  readonly powChallengesPerAddress: RateLimiter;
  /** Petition signatures per client address (a household or a campus shares one). */
  readonly signaturesPerAddress: RateLimiter;
  /** Petition signatures per petition: a bound on one petition's storm, far above any real one. */
  readonly signaturesPerPetition: RateLimiter;
  /** Form responses per client address. */
  readonly formResponsesPerAddress: RateLimiter;
}

export interface AppContext {
  /** Replaced once, before traffic, when the public URL follows a port chosen at start (port 0). */
  config: Config;
  readonly store: Store;
  readonly db: Kysely<Database>;
  readonly logger: Logger;
  readonly passwords: PasswordHasher;
  readonly blobs: BlobStore;
  /** Keys derived from the instance secret file in the data folder. */
  readonly secrets: InstanceSecrets;
  /** Outgoing mail; `configured` is false without COMMUNE_SMTP_URL. */
  readonly mailer: Mailer;
  /** Confirmation mails on their way (in memory only: see mail-queue.ts). */
  readonly mailQueue: MailQueue;
  readonly limits: Limits;
  /** Room events and membership changes, to this process's hub and to the others. */
  readonly bus: Bus;
  /** This process's WebSocket hub, once the server listens. */
  realtime: RealtimeHub | null;
  /** Public petition views and counters, a second old at most. */
  readonly petitionProgress: PetitionProgressCache;
  now(): number;
}

export function createContext(config: Config, store: Store, logger: Logger, bus: Bus): AppContext {
  const MINUTE = 60_000;
  const mailer = createMailer(config, logger);
  return {
    config,
    store,
    db: store.db,
    logger,
    passwords: createPasswordHasher(config.fastPasswordHashing),
    blobs: new FolderBlobStore(config.blobDir),
    secrets: loadInstanceSecrets(config.dataDir),
    mailer,
    mailQueue: new MailQueue(mailer, logger),
    limits: {
      signInPerAccount: new RateLimiter(10, 15 * MINUTE),
      signInPerAddress: new RateLimiter(60, 15 * MINUTE),
      signUpPerAddress: new RateLimiter(30, 60 * MINUTE),
      powChallengesPerAddress: new RateLimiter(config.powChallengesPerMinute, MINUTE),
      signaturesPerAddress: new RateLimiter(60, 10 * MINUTE),
      signaturesPerPetition: new RateLimiter(600_000, MINUTE),
      formResponsesPerAddress: new RateLimiter(60, 10 * MINUTE),
    },
    bus,
    realtime: null,
    petitionProgress: new PetitionProgressCache(),
    now: Date.now,
  };
}
