export { createServer } from "./server.ts";
export type { CommuneServer, CreateServerOptions } from "./server.ts";
export { buildConfig, ConfigError } from "./config/config.ts";
export type { Config, ConfigInput } from "./config/config.ts";
export { openStore } from "./store/database.ts";
export type { Store, Dialect } from "./store/database.ts";
export { migrateToLatest } from "./store/migrator.ts";
export { backup } from "./store/backup.ts";
