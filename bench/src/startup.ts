/**
 * startup: how fast `commune serve` answers its health check on a fresh data folder, how much memory
 * it holds when idle, and how much after a burst of sign-ins with the real argon2id settings.
 *
 *   start_ms_*            spawn() to the first 200 from GET /healthz (polled every 5 ms), fresh folder each run
 *   restart_ms_median     the same on the folder of the previous run (migrations already applied)
 *   node_floor_ms_median  the same for a bare `node:http` server: what Node itself costs on this machine
 *   rss_idle_mb_median    VmRSS of the server 1 s after it first answered
 *   signin_*              N sign-ins (POST /api/v1/sessions), 4 at a time, over N/10 accounts
 *   rss_*_signins_mb      VmRSS 1 s before / 1 s after them; rss_peak_mb is VmHWM at the end
 */
import { buildCommunity, fakeAddress, PASSWORD } from "./lib/community.ts";
import type { Reporter } from "./lib/output.ts";
import { megabytes, peakRssBytes, rssBytes } from "./lib/proc.ts";
import { startServerProcess } from "./lib/server-process.ts";
import { max, median, min, percentile, sorted } from "./lib/stats.ts";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const NODE_FLOOR = [
  "-e",
  `require("node:http").createServer((q, s) => { s.setHeader("content-type", "application/json"); s.end('{"status":"ok"}'); }).listen({port}, "127.0.0.1")`,
];

export async function startupBench(r: Reporter, quick: boolean): Promise<void> {
  const runs = quick ? 3 : 7;
  const signIns = quick ? 200 : 1000;
  // at most 10 sign-ins per account name, the per-account limit (a success resets that counter
  // today; staying under it anyway keeps the benchmark independent of that detail)
  const accounts = Math.ceil(signIns / 10);
  const concurrency = 4;

  // 1. start-up time and idle memory, fresh data folder each run
  const starts: number[] = [];
  const restarts: number[] = [];
  const idle: number[] = [];
  for (let i = 0; i < runs; i++) {
    const server = await startServerProcess();
    let keepData = false;
    try {
      await server.adminInvite(); // the first-run output is complete
      await sleep(1000);
      const rss = rssBytes(server.pid);
      starts.push(server.startMs);
      idle.push(rss);
      keepData = true;
    } finally {
      await server.stop({ keepData });
    }
    const again = await startServerProcess({ dataDir: server.dataDir });
    restarts.push(again.startMs);
    await again.stop();
    r.log(
      `run ${i + 1}/${runs}: healthy after ${server.startMs.toFixed(0)} ms (restart ${again.startMs.toFixed(0)} ms), idle RSS ${megabytes(idle.at(-1)!).toFixed(1)} MB`,
    );
  }
  const floor: number[] = [];
  for (let i = 0; i < runs; i++) {
    const bare = await startServerProcess({ command: { args: NODE_FLOOR } });
    floor.push(bare.startMs);
    await bare.stop();
  }
  r.log(`bare node:http server: ${floor.map((ms) => ms.toFixed(0)).join(", ")} ms`);
  r.emit("start_ms_median", median(starts), "ms");
  r.emit("start_ms_min", min(starts), "ms");
  r.emit("start_ms_max", max(starts), "ms");
  r.emit("restart_ms_median", median(restarts), "ms");
  r.emit("node_floor_ms_median", median(floor), "ms");
  r.emit("rss_idle_mb_median", megabytes(median(idle)), "MB");

  // 2. memory after a burst of sign-ins
  const server = await startServerProcess({ env: { COMMUNE_TRUST_PROXY: "true" } });
  try {
    const t0 = performance.now();
    const community = await buildCommunity(server.url, await server.adminInvite(), accounts - 1);
    r.log(`signed up ${community.usernames.length} accounts in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await sleep(1000);
    const before = rssBytes(server.pid);

    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    let errors = 0;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < signIns) {
          const i = next++;
          const username = community.usernames[i % community.usernames.length]!;
          const t = performance.now();
          try {
            const response = await fetch(`${server.url}/api/v1/sessions`, {
              method: "POST",
              headers: { "content-type": "application/json", "x-forwarded-for": fakeAddress(), "user-agent": "commune-bench" },
              body: JSON.stringify({ username, password: PASSWORD }),
            });
            await response.arrayBuffer();
            statuses[response.status] = (statuses[response.status] ?? 0) + 1;
            if (response.status !== 201) errors++;
          } catch {
            statuses.network = (statuses.network ?? 0) + 1;
            errors++;
          }
          latencies.push(performance.now() - t);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    r.log(`${signIns} sign-ins in ${seconds.toFixed(1)} s, statuses ${JSON.stringify(statuses)}`);
    await sleep(1000);
    const after = rssBytes(server.pid);
    const peak = peakRssBytes(server.pid);
    const s = sorted(latencies);
    r.emit("signin_count", signIns, "sign-ins");
    r.emit("signin_accounts", community.usernames.length, "accounts");
    r.emit("signin_concurrency", concurrency, "requests");
    r.emit("signin_per_s", (signIns - errors) / seconds, "sign-ins/s");
    r.emit("signin_p50_ms", percentile(s, 50), "ms");
    r.emit("signin_p99_ms", percentile(s, 99), "ms");
    r.emit("signin_errors", errors, "requests");
    r.emit("rss_before_signins_mb", megabytes(before), "MB");
    r.emit("rss_after_signins_mb", megabytes(after), "MB");
    r.emit("rss_peak_mb", megabytes(peak), "MB");
  } finally {
    await server.stop();
  }
}
