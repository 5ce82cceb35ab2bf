/**
 * api: requests per second over loopback with 64 keep-alive connections, closed loop (each
 * connection sends its next request when the previous answer is complete), against
 *
 *   healthz   GET /healthz                        (a database ping; no session)
 *   instance  GET /api/v1/instance                (the sign-in-free read every page load makes)
 *   members   GET /api/v1/orgs/bench/members      (signed in: bearer token, org of 25 accounts)
 *
 * Each target gets a short unmeasured warm-up on the same connections first. For every target: 2xx req/s, p50 and p99
 * latency, errors (non-2xx, socket errors, timeouts), and the server's CPU use in % of one core
 * (Node serves on one thread, so ~100 % means the server, not the load, is the limit) and per
 * request: CPU time per request is the steadiest number on a shared machine, where req/s follows
 * whatever else is running.
 */
import { buildCommunity } from "./lib/community.ts";
import { runLoad } from "./lib/load.ts";
import type { Reporter } from "./lib/output.ts";
import { cpuMs, megabytes, rssBytes } from "./lib/proc.ts";
import { startServerProcess } from "./lib/server-process.ts";

const CONNECTIONS = 64;
const MEMBERS = 24; // plus the administrator

export async function apiBench(r: Reporter, quick: boolean): Promise<void> {
  const durationMs = quick ? 3_000 : 10_000;
  const warmupMs = quick ? 500 : 1_500;
  const server = await startServerProcess();
  try {
    const community = await buildCommunity(server.url, await server.adminInvite(), MEMBERS);
    const bearer = { authorization: `Bearer ${community.admin.token}` };
    const members = await community.admin.members(community.slug);
    r.log(`server at ${server.url}, organization "${community.slug}" with ${members.length} members`);

    const targets = [
      { name: "healthz", path: "/healthz", headers: {} },
      { name: "instance", path: "/api/v1/instance", headers: {} },
      { name: "members", path: `/api/v1/orgs/${community.slug}/members`, headers: bearer },
    ];
    r.emit("connections", CONNECTIONS, "connections");
    r.emit("members_in_org", members.length, "members");
    for (const target of targets) {
      const base = { url: server.url, path: target.path, headers: target.headers, connections: CONNECTIONS };
      let serverCpu0 = 0;
      let clientCpu0 = process.cpuUsage();
      const result = await runLoad({
        ...base,
        warmupMs,
        durationMs,
        onMeasureStart() {
          serverCpu0 = cpuMs(server.pid);
          clientCpu0 = process.cpuUsage();
        },
      });
      const serverCpuMs = cpuMs(server.pid) - serverCpu0;
      const serverCpu = (serverCpuMs / result.elapsedMs) * 100;
      const clientUsage = process.cpuUsage(clientCpu0);
      const clientCpu = ((clientUsage.user + clientUsage.system) / 1000 / result.elapsedMs) * 100;
      r.log(
        `${target.name}: ${result.ok} ok, ${result.errors} errors in ${(result.elapsedMs / 1000).toFixed(1)} s; statuses ${JSON.stringify(result.statuses)}; ` +
          `max ${result.maxMs.toFixed(1)} ms; CPU server ${serverCpu.toFixed(0)} %, load generator ${clientCpu.toFixed(0)} %`,
      );
      r.emit(`${target.name}_req_per_s`, result.reqPerSec, "req/s");
      r.emit(`${target.name}_p50_ms`, result.p50Ms, "ms");
      r.emit(`${target.name}_p99_ms`, result.p99Ms, "ms");
      r.emit(`${target.name}_errors`, result.errors, "requests");
      r.emit(`${target.name}_server_cpu_pct`, serverCpu, "% of one core");
      r.emit(`${target.name}_server_cpu_us_per_req`, serverCpuMs * 1000 / Math.max(1, result.ok + result.errors), "us");
    }
    r.emit("rss_after_load_mb", megabytes(rssBytes(server.pid)), "MB");
  } finally {
    await server.stop();
  }
}
