/** Real `commune serve` processes for tests that must kill one without warning. */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer as createNetServer } from "node:net";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../src/cli.ts", import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createNetServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts `commune serve` on SQLite in `data`; resolves with the first-start setup link's token, if printed. */
export function serve(data: string, port: number, env: Record<string, string> = {}): Promise<{ child: ChildProcess; link: string | null }> {
  const fullEnv = { ...process.env, COMMUNE_INSECURE_FAST_PASSWORD_HASHING: "true", COMMUNE_LOG_LEVEL: "warn", COMMUNE_DATABASE_URL: "", ...env };
  const child = spawn(process.execPath, [CLI, "serve", "--port", String(port), "--data", data], { env: fullEnv, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  return new Promise((resolve, reject) => {
    const check = setInterval(() => {
      const link = out.match(/\/invite#([A-Za-z0-9_-]+)/)?.[1] ?? null;
      if (/Commune is running/.test(out) && (link || out.includes("listening on"))) {
        clearInterval(check);
        // give the setup link line a moment on a first start
        setTimeout(() => resolve({ child, link: out.match(/\/invite#([A-Za-z0-9_-]+)/)?.[1] ?? null }), 100);
      }
    }, 20);
    child.on("exit", (code) => {
      clearInterval(check);
      reject(new Error(`serve exited ${code}: ${out}`));
    });
  });
}
