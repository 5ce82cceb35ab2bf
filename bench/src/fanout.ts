/**
 * fanout: delivering loop messages to many connected devices over real WebSockets on loopback.
 *
 * Setup (not measured): the server starts with COMMUNE_INSECURE_FAST_PASSWORD_HASHING=true, so
 * that 2,000 sign-ups take seconds instead of minutes, and COMMUNE_TRUST_PROXY=true with a made-up
 * X-Forwarded-For per request (the sign-up limit is per address). An administrator creates an
 * organization and an invite; every account signs up with it through the real client, which also
 * registers its device. The administrator creates group loops of 10, 100 and 1,000 members that
 * partition the accounts (each account is in one loop of each size), then leaves them, so each loop
 * holds exactly its members. Every account's device opens its realtime connection
 * (`client.connect`, the platform WebSocket, as the headless client does).
 *
 * Then, for each loop size in turn: some devices (senders, one per loop first) send 300-byte
 * opaque payloads in a closed loop, each sending its next message when the previous one is
 * acknowledged (stored in SQLite). Measured over a window after a short warm-up:
 * messages acknowledged per second, deliveries per second (`event` frames received by all devices),
 * p50/p99/max send-to-receive latency of messages sent in the window (at every receiving device,
 * including the sender's own), send-to-acknowledgement latency, the CPU use of the server and of
 * this load generator (they share the machine's cores), and the server's RSS after the run.
 * After sending stops and everything in flight has arrived, every device is checked: each
 * acknowledged message of its loop was delivered to it exactly once, and in sequence order.
 *
 * FANOUT_CPU_PROF_DIR=DIR starts the server with `node --cpu-prof --cpu-prof-dir=DIR` (written when
 * it stops) and logs each measured window in the profile's clock (CLOCK_MONOTONIC, µs), so that
 * the profile can be cut to the windows. Numbers from such a run are slowed by the profiler.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { CommuneClient, type RealtimeConnection, type ServerFrame } from "@commune/client";
import { forwardingFetch, PASSWORD } from "./lib/community.ts";
import type { Reporter } from "./lib/output.ts";
import { megabytes, rssBytes } from "./lib/proc.ts";
import { Samples } from "./lib/samples.ts";
import { CLI_PATH, startServerProcess } from "./lib/server-process.ts";

/** One measured step: loops of one size, a number of devices sending at once. */
interface Phase {
  /** Members per loop. */
  readonly size: number;
  /** Devices sending at once (each one message in flight), spread over the loops of this size. */
  readonly senders: number;
}

interface Plan {
  readonly accounts: number;
  readonly phases: readonly Phase[];
  readonly warmupMs: number;
  readonly durationMs: number;
}

const FULL: Plan = {
  accounts: 2000,
  phases: [
    { size: 10, senders: 10 },
    { size: 10, senders: 20 },
    { size: 10, senders: 40 },
    { size: 100, senders: 5 },
    { size: 100, senders: 10 },
    { size: 100, senders: 20 },
    { size: 1000, senders: 1 },
    { size: 1000, senders: 2 },
    { size: 1000, senders: 4 },
  ],
  warmupMs: 1_000,
  durationMs: 8_000,
};
const QUICK: Plan = {
  accounts: 200,
  phases: [
    { size: 10, senders: 20 },
    { size: 100, senders: 4 },
  ],
  warmupMs: 500,
  durationMs: 3_000,
};

const PAYLOAD_BYTES = 300;
const SIGNUP_CONCURRENCY = 8;
const CONNECT_CONCURRENCY = 50;
const DRAIN_TIMEOUT_MS = 30_000;

/** What one device has received in one loop. */
class Track {
  /** Bit per sequence number received. */
  bits = new Uint8Array(1024);
  last = 0;
  received = 0;
  duplicates = 0;
  outOfOrder = 0;

  add(seq: number): void {
    const byte = seq >> 3;
    if (byte >= this.bits.length) {
      const grown = new Uint8Array(Math.max(byte + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    const mask = 1 << (seq & 7);
    if (this.bits[byte]! & mask) {
      this.duplicates++;
      return;
    }
    this.bits[byte]! |= mask;
    this.received++;
    if (seq < this.last) this.outOfOrder++;
    else this.last = seq;
  }

  has(seq: number): boolean {
    const byte = seq >> 3;
    return byte < this.bits.length && (this.bits[byte]! & (1 << (seq & 7))) !== 0;
  }
}

interface Device {
  readonly index: number;
  readonly accountId: string;
  readonly client: CommuneClient;
  conn: RealtimeConnection | null;
  /** Per loop id. */
  readonly tracks: Map<string, Track>;
}

interface Loop {
  readonly id: string;
  readonly members: readonly Device[];
  /** Sequence numbers acknowledged to senders in the current step. */
  readonly acked: Set<number>;
}

/** Counters of the phase being measured; deliveries are counted by the frame handler. */
interface Window {
  start: number;
  end: number;
  deliveries: number;
  deliveriesInWindow: number;
  readonly latency: Samples;
}

export async function fanoutBench(r: Reporter, quick: boolean): Promise<void> {
  const plan = quick ? QUICK : FULL;
  const setupStart = performance.now();
  const profileDir = process.env.FANOUT_CPU_PROF_DIR;
  const server = await startServerProcess({
    env: { COMMUNE_INSECURE_FAST_PASSWORD_HASHING: "true", COMMUNE_TRUST_PROXY: "true" },
    ...(profileDir ? { command: { args: ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, CLI_PATH, "serve", "--port", "{port}", "--data", "{data}"] } } : {}),
  });
  if (profileDir) r.log(`profiling the server into ${profileDir}`);
  const devices: Device[] = [];
  try {
    // ---- setup: accounts, loops, connections (not measured) ----
    const newClient = () => new CommuneClient({ baseUrl: server.url, fetch: forwardingFetch(), userAgent: "commune-bench", deviceName: "bench" });
    const admin = newClient();
    await admin.signUp({ username: "bench-admin", password: PASSWORD, invite: await server.adminInvite() });
    const org = await admin.createOrganization({ name: "Bench Tenants Union", slug: "bench", visibility: "private", languages: ["en"] });
    const invite = await admin.createInvite(org.slug, { role: "member", expiresInHours: 24, maxUses: null });
    r.log(`server at ${server.url}; signing up ${plan.accounts} accounts (fast password hashing: setup only)`);
    let next = 0;
    await Promise.all(
      Array.from({ length: SIGNUP_CONCURRENCY }, async () => {
        while (next < plan.accounts) {
          const index = next++;
          const client = newClient();
          const signedIn = await client.signUp({ username: `member${String(index + 1).padStart(4, "0")}`, password: PASSWORD, invite: invite.token });
          devices[index] = { index, accountId: signedIn.account.id, client, conn: null, tracks: new Map() };
          if ((index + 1) % 500 === 0) r.log(`  ${index + 1} accounts`);
        }
      }),
    );

    // loops of each size partition the accounts: every account is in one loop of each size
    const loopsBySize = new Map<number, Loop[]>();
    for (const size of new Set(plan.phases.map((ph) => ph.size))) {
      const loops: Loop[] = [];
      for (let first = 0; first + size <= devices.length; first += size) {
        const members = devices.slice(first, first + size);
        const room = await admin.createRoom(org.slug, { kind: "group", name: `Loop of ${size} #${loops.length + 1}`, memberIds: members.map((d) => d.accountId) });
        await admin.removeRoomMember(room.id, admin.device!.accountId); // the organizer leaves: exactly `size` members
        loops.push({ id: room.id, members, acked: new Set() });
      }
      loopsBySize.set(size, loops);
    }
    r.log(`loops: ${[...loopsBySize].map(([size, loops]) => `${loops.length} of ${size}`).join(", ")}`);

    // deliveries: every `event` frame at every device
    const sentAt = new Map<string, number>();
    let window: Window | null = null;
    const onEvent = (device: Device, frame: ServerFrame) => {
      if (frame.type !== "event") return;
      const now = performance.now();
      const event = frame.event;
      device.tracks.get(event.roomId)?.add(event.seq);
      const w = window;
      if (!w) return;
      w.deliveries++;
      if (now >= w.start && now < w.end) w.deliveriesInWindow++;
      const t = sentAt.get(event.clientId);
      if (t !== undefined && t >= w.start && t < w.end) w.latency.push(now - t);
    };

    let closedUnexpectedly = 0;
    let connectNext = 0;
    await Promise.all(
      Array.from({ length: CONNECT_CONCURRENCY }, async () => {
        while (connectNext < devices.length) {
          const device = devices[connectNext++]!;
          device.conn = device.client.connect(
            (frame) => onEvent(device, frame),
            () => closedUnexpectedly++,
          );
          await device.conn.ready;
        }
      }),
    );
    const setupS = (performance.now() - setupStart) / 1000;
    r.log(`${devices.length} devices connected; setup took ${setupS.toFixed(1)} s`);
    r.emit("setup_s", setupS, "s");
    r.emit("connected_devices", devices.length, "devices");
    await sleep(1_000);
    r.emit("rss_connected_mb", megabytes(rssBytes(server.pid)), "MB");

    const payloads = Array.from({ length: 64 }, () => randomBytes(PAYLOAD_BYTES).toString("base64url"));

    // ---- the steps ----
    for (const [p, phase] of plan.phases.entries()) {
      const loops = loopsBySize.get(phase.size)!;
      const name = `room${phase.size}_senders${phase.senders}`;
      // each step is checked on its own: fresh records of what was acknowledged and received
      for (const loop of loops) {
        loop.acked.clear();
        for (const d of loop.members) d.tracks.set(loop.id, new Track());
      }
      const w: Window = { start: Number.POSITIVE_INFINITY, end: Number.POSITIVE_INFINITY, deliveries: 0, deliveriesInWindow: 0, latency: new Samples(1 << 20) };
      window = w;
      sentAt.clear();
      const ackLatency = new Samples();
      const errors: Record<string, number> = {};
      let acksInWindow = 0;
      let serverCpu0 = { user: 0, system: 0 };
      let clientCpu0 = process.cpuUsage();
      const t0 = performance.now();
      w.start = t0 + plan.warmupMs;
      w.end = w.start + plan.durationMs;
      const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
      let windowStartUs = 0;
      let cpuStart = w.start;
      let cpuWindowMs = plan.durationMs;
      const measureTimer = setTimeout(() => {
        cpuStart = performance.now();
        serverCpu0 = processCpuMs(server.pid);
        clientCpu0 = process.cpuUsage();
        windowStartUs = monotonicUs();
      }, w.start - performance.now());
      let serverCpuMs = 0;
      let serverSystemMs = 0;
      let clientCpuMs = 0;
      const measured = new Promise<void>((resolve) =>
        setTimeout(() => {
          const cpu = processCpuMs(server.pid);
          serverCpuMs = cpu.user + cpu.system - serverCpu0.user - serverCpu0.system;
          serverSystemMs = cpu.system - serverCpu0.system;
          const u = process.cpuUsage(clientCpu0);
          clientCpuMs = (u.user + u.system) / 1000;
          cpuWindowMs = performance.now() - cpuStart;
          if (profileDir) r.log(`${name}: measured window in the profile's clock: ${windowStartUs} ${monotonicUs()}`);
          resolve();
        }, w.end - performance.now()),
      );

      // senders: the first member of each loop, then the second, …
      const senders: Array<{ device: Device; loop: Loop }> = [];
      for (let i = 0; senders.length < phase.senders; i++) {
        const loop = loops[i % loops.length]!;
        senders.push({ device: loop.members[Math.floor(i / loops.length)]!, loop });
      }
      let payloadIndex = 0;
      await Promise.all(
        senders.map(async ({ device, loop }) => {
          let n = 0;
          while (performance.now() < w.end) {
            const id = `${device.index.toString(36)}-${p}-${(n++).toString(36)}`;
            const sent = performance.now();
            sentAt.set(id, sent);
            try {
              const seq = await device.conn!.send(loop.id, { id, epoch: 0, data: payloads[payloadIndex++ & 63]! });
              const acked = performance.now();
              loop.acked.add(seq);
              if (acked >= w.start && acked < w.end) acksInWindow++;
              if (sent >= w.start && sent < w.end) ackLatency.push(acked - sent);
            } catch (error) {
              const code = (error as { code?: string }).code ?? "unknown";
              errors[code] = (errors[code] ?? 0) + 1;
              if (code === "closed") return;
              await sleep(10);
            }
          }
        }),
      );
      await measured;
      clearTimeout(measureTimer);

      // wait for everything acknowledged to arrive everywhere
      let expected = 0;
      for (const loop of loops) expected += loop.acked.size * loop.members.length;
      const drainStart = performance.now();
      while (w.deliveries < expected && performance.now() - drainStart < DRAIN_TIMEOUT_MS) await sleep(20);
      await sleep(200); // late duplicates, if any, would arrive now
      window = null;

      // every acknowledged message delivered to every member device once, in order
      let lost = 0;
      let duplicates = 0;
      let outOfOrder = 0;
      let unacknowledged = 0;
      let acked = 0;
      for (const loop of loops) {
        acked += loop.acked.size;
        for (const device of loop.members) {
          const track = device.tracks.get(loop.id)!;
          let missing = 0;
          for (const seq of loop.acked) if (!track.has(seq)) missing++;
          lost += missing;
          // distinct sequence numbers received that no sender had acknowledged
          unacknowledged += track.received - (loop.acked.size - missing);
          duplicates += track.duplicates;
          outOfOrder += track.outOfOrder;
        }
      }

      const seconds = plan.durationMs / 1000;
      const serverCpu = (serverCpuMs / cpuWindowMs) * 100;
      const clientCpu = (clientCpuMs / cpuWindowMs) * 100;
      r.log(
        `${name}: ${loops.length} loops of ${phase.size}, ${senders.length} senders; ${acked} messages acknowledged, ${w.deliveries} deliveries; ` +
          `errors ${JSON.stringify(errors)}; CPU server ${serverCpu.toFixed(0)} %, load generator ${clientCpu.toFixed(0)} %; ` +
          `drain ${(performance.now() - drainStart).toFixed(0)} ms`,
      );
      r.emit(`${name}_active_loops`, new Set(senders.map((x) => x.loop)).size, "loops");
      r.emit(`${name}_messages_per_s`, acksInWindow / seconds, "msg/s");
      r.emit(`${name}_deliveries_per_s`, w.deliveriesInWindow / seconds, "deliveries/s");
      r.emit(`${name}_latency_p50_ms`, w.latency.percentile(50), "ms");
      r.emit(`${name}_latency_p99_ms`, w.latency.percentile(99), "ms");
      r.emit(`${name}_latency_max_ms`, w.latency.max(), "ms");
      r.emit(`${name}_ack_p50_ms`, ackLatency.percentile(50), "ms");
      r.emit(`${name}_ack_p99_ms`, ackLatency.percentile(99), "ms");
      r.emit(`${name}_send_errors`, Object.values(errors).reduce((a, b) => a + b, 0), "messages");
      r.emit(`${name}_lost_deliveries`, lost, "deliveries");
      r.emit(`${name}_duplicate_deliveries`, duplicates, "deliveries");
      r.emit(`${name}_out_of_order_deliveries`, outOfOrder, "deliveries");
      r.emit(`${name}_unacknowledged_deliveries`, unacknowledged, "deliveries");
      r.emit(`${name}_server_cpu_pct`, serverCpu, "% of one core");
      r.emit(`${name}_server_cpu_system_pct`, (serverSystemMs / cpuWindowMs) * 100, "% of one core");
      r.emit(`${name}_server_cpu_us_per_delivery`, (serverCpuMs * 1000) / Math.max(1, w.deliveriesInWindow), "us");
      r.emit(`${name}_load_generator_cpu_pct`, clientCpu, "% of one core");
      r.emit(`${name}_server_rss_mb`, megabytes(rssBytes(server.pid)), "MB");
    }
    r.emit("closed_connections", closedUnexpectedly, "connections");
  } finally {
    for (const d of devices) d?.conn?.close();
    await server.stop();
  }
}

/**
 * User and system (kernel) CPU time of a process so far, in ms (lib/proc.ts's cpuMs gives the
 * sum): on loopback the kernel's share is large, since each socket write also runs the receiving
 * side of TCP.
 */
function processCpuMs(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 }; // ticks of 1/100 s
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
