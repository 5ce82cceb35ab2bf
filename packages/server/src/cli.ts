#!/usr/bin/env node
/**
 * `commune` entry point. It only turns on Node's on-disk compile cache before loading the CLI:
 * the server runs from TypeScript source (about 500 modules), and reusing compiled code from the
 * previous start takes a quarter off start-up time and memory (see docs/benchmarks.md).
 */
import module from "node:module";

module.enableCompileCache?.();
await import("./main.ts");
