/**
 * Runs the real `commune serve` as a child process, the way an administrator starts it: a fresh
 * data folder, a free port, and every COMMUNE_* setting (and NODE_OPTIONS, NODE_COMPILE_CACHE,
 * UV_THREADPOOL_SIZE) from the parent environment removed, so results do not depend on the shell
 * they were started from.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * What `npm start` runs: the bundled server (built by `npm run build`). Falls back to the source
 * entry, with a note on stderr, so a benchmark still runs before the first build.
 */
const BUNDLE = fileURLToPath(new URL("../../../packages/server/dist/commune.js", import.meta.url));
const SOURCE = fileURLToPath(new URL("../../../packages/server/src/cli.ts", import.meta.url));
export const CLI_PATH = existsSync(BUNDLE) ? BUNDLE : SOURCE;
if (CLI_PATH === SOURCE) process.stderr.write("bench: packages/server/dist/commune.js is not built (npm run build); starting from source\n");

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly dataDir: string;
  /** Milliseconds from just before spawn() to the first 200 from GET /healthz. */
  readonly startMs: number;
  /** The admin invite token printed on a fresh data folder (waits for the line). */
  adminInvite(): Promise<string>;
  /** SIGTERM, wait for exit (SIGKILL after 5 s), then remove the data folder unless keepData. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export interface StartOptions {
  /** COMMUNE_* settings; COMMUNE_LOG_LEVEL defaults to warn. */
  readonly env?: Readonly<Record<string, string>>;
  /** Delay between two /healthz polls. */
  readonly pollMs?: number;
  readonly timeoutMs?: number;
  /** An existing data folder (a restart); default: a fresh temporary one. */
  readonly dataDir?: string;
  /** Node arguments to spawn instead of the Commune CLI; {port} and {data} are filled in. */
  readonly command?: { readonly args: readonly string[] };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** One GET; resolves with the status code, or null when nothing answers (yet). */
export function probe(port: number, path: string): Promise<number | null> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path, agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? null);
    });
    req.once("error", () => resolve(null));
    req.once("timeout", () => req.destroy());
    req.end();
  });
}

/** Variables that would change what is measured if the calling shell happened to set them. */
const NOT_INHERITED = new Set(["NODE_OPTIONS", "NODE_COMPILE_CACHE", "NODE_DISABLE_COMPILE_CACHE", "UV_THREADPOOL_SIZE"]);

function cleanEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("COMMUNE_") && !NOT_INHERITED.has(k)) env[k] = v;
  return { ...env, COMMUNE_LOG_LEVEL: "warn", ...extra };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startServerProcess(options: StartOptions = {}): Promise<ServerProcess> {
  const pollMs = options.pollMs ?? 5;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const port = await freePort();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "commune-bench-"));
  const args = options.command
    ? options.command.args.map((a) => a.replaceAll("{port}", String(port)).replaceAll("{data}", dataDir))
    : [CLI_PATH, "serve", "--port", String(port), "--data", dataDir];

  const t0 = performance.now();
  const child = spawn(process.execPath, args, { env: cleanEnv(options.env ?? {}), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let exited: number | string | null = null;
  const waiters: Array<() => void> = [];
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    for (const w of waiters.splice(0)) w();
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    if (stderr.length > 100_000) stderr = stderr.slice(-50_000);
  });
  const exit = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exited = code ?? signal ?? "?";
      for (const w of waiters.splice(0)) w();
      resolve();
    }),
  );

  const stop = async (stopOptions: { keepData?: boolean } = {}) => {
    if (exited === null) {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exit;
      clearTimeout(killer);
    }
    if (!stopOptions.keepData) rmSync(dataDir, { recursive: true, force: true });
  };

  let startMs = Number.NaN;
  for (;;) {
    if (exited !== null) {
      await stop();
      throw new Error(`the server exited (${exited}) before answering /healthz:\n${stderr || stdout}`);
    }
    const status = await probe(port, "/healthz");
    if (status === 200) {
      startMs = performance.now() - t0;
      break;
    }
    if (performance.now() - t0 > timeoutMs) {
      await stop();
      throw new Error(`no 200 from /healthz within ${timeoutMs} ms (last status ${status}):\n${stderr}`);
    }
    await sleep(pollMs);
  }

  return {
    child,
    pid: child.pid!,
    port,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    startMs,
    async adminInvite() {
      const deadline = performance.now() + 10_000;
      for (;;) {
        const token = /\/invite#([A-Za-z0-9_-]{16,128})/.exec(stdout)?.[1];
        if (token) return token;
        if (exited !== null || performance.now() > deadline) throw new Error(`no admin invite in the server's output:\n${stdout}\n${stderr}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
    stop,
  };
}
