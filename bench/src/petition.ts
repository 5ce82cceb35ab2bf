/**
 * petition: a storm of signatures over loopback, each one the real thing — a proof-of-work
 * challenge from the server, solved; the answers sealed to the organization's key; submitted;
 * the confirmation mail received over SMTP; its link followed — while readers load the public page.
 *
 * The signers' own work (solving and sealing, ~ms of CPU each) happens on their phones in real
 * life, not on the server's machine. Here it would take the two cores from the server being
 * measured, so it is done first (and timed: `client_prepare_ms_*`), and the storm then submits the
 * prepared signatures as fast as `concurrency` signers can: that measures the server. Challenges
 * stay valid for the whole run. Each signer comes from its own made-up address (through
 * COMMUNE_TRUST_PROXY and X-Forwarded-For), so the per-address limit does not decide the result.
 *
 * PETITION_RATE=N sends the signatures at N per second (open loop) instead of from `concurrency`
 * signers as fast as they are answered (closed loop): latency below saturation.
 *
 * PETITION_CPU_PROF_DIR=DIR runs the server under `node --cpu-prof` (the profile is written when it
 * stops; numbers from such a run are slowed by the profiler).
 *
 * The mail sink is a real SMTP server in this process: it takes each message, finds the confirm
 * link and hands it to the confirmers. Readers request the public petition's JSON (its counter,
 * the names) and the public page's HTML in a closed loop.
 */
import { Agent, request } from "node:http";
import { solveProofOfWork, CommuneClient } from "@commune/client";
import { PublicApi, publicPetition, sealSignature } from "@commune/client/public";
import type { CreatePetition, PowChallenge, PublicPetition } from "@commune/protocol";
import { SMTPServer } from "smtp-server";
import { fakeAddress, PASSWORD } from "./lib/community.ts";
import type { Reporter } from "./lib/output.ts";
import { cpuMs, megabytes, rssBytes } from "./lib/proc.ts";
import { Samples } from "./lib/samples.ts";
import { CLI_PATH, startServerProcess } from "./lib/server-process.ts";

interface Plan {
  readonly signatures: number;
  readonly concurrency: number;
  readonly readers: number;
}
const FULL: Plan = { signatures: 30_000, concurrency: 64, readers: 8 };
const QUICK: Plan = { signatures: 2_000, concurrency: 32, readers: 4 };

const PETITION: CreatePetition = {
  slug: "storm",
  defaultLanguage: "en",
  translations: { en: { title: "A petition under a storm", body: "We ask for **everything**.", target: "The benchmark" } },
  goal: 1_000_000,
  startsAt: null,
  endsAt: null,
  fields: { name: "required", postalCode: "optional", country: "off", comment: "optional", showPublicly: true, keepInformed: true },
  retentionDays: null,
};

interface Reply {
  readonly status: number;
  readonly body: string;
}

function http(agent: Agent, url: URL, method: "GET" | "POST", path: string, body: string | null, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host: url.hostname, port: url.port, method, path, headers: { ...headers, ...(body === null ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(body) }) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body ?? undefined);
  });
}

/** A real SMTP server that turns each confirmation mail into its confirm token. */
async function startMailSink(onToken: (token: string) => void): Promise<{ url: string; received: () => number; close(): Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    size: 64 * 1024,
    onData(stream, _session, done) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received++;
        // quoted-printable wraps long lines with "=\r\n" and escapes "=" as "=3D"
        const text = Buffer.concat(chunks).toString("latin1").replace(/=\r?\n/g, "").replace(/=3D/gi, "=");
        const token = text.match(/\/confirm#([A-Za-z0-9_-]{20,})/)?.[1];
        if (token) onToken(token);
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // a connection reset by the sending server is reported as an "error" event: not the sink's failure
  server.on("error", () => {});
  const port = (server.server.address() as { port: number }).port;
  return { url: `smtp://127.0.0.1:${port}`, received: () => received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function petitionBench(r: Reporter, quick: boolean): Promise<void> {
  const plan = quick ? QUICK : FULL;
  const rate = Number(process.env.PETITION_RATE ?? 0);
  const tokens: string[] = [];
  // confirmers waiting for a mail park their wake-up call here
  const waiting: { wake: (() => void) | null } = { wake: null };
  const sink = await startMailSink((token) => {
    tokens.push(token);
    waiting.wake?.();
  });
  const profileDir = process.env.PETITION_CPU_PROF_DIR;
  const server = await startServerProcess({
    ...(profileDir ? { command: { args: ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, CLI_PATH, "serve", "--port", "{port}", "--data", "{data}"] } } : {}),
    env: {
      COMMUNE_SMTP_URL: sink.url,
      COMMUNE_POW_MAX_NUMBER: "100",
      COMMUNE_TRUST_PROXY: "true",
      COMMUNE_INSECURE_FAST_PASSWORD_HASHING: "true",
    },
  });
  const url = new URL(server.url);
  try {
    // --- the organization and its petition (not measured)
    const admin = new CommuneClient({ baseUrl: server.url });
    await admin.signUp({ username: "organizer", password: PASSWORD, invite: await server.adminInvite() });
    await admin.createOrganization({ name: "Storm Union", slug: "storm-union", visibility: "public", languages: ["en"] });
    await admin.setUpOrganizationKey("storm-union");
    const draft = await admin.petitions.create("storm-union", PETITION);
    await admin.petitions.publish("storm-union", draft.id);
    const api = new PublicApi({ baseUrl: server.url });
    const petition: PublicPetition = await publicPetition(api, PETITION.slug);

    // --- the signers' own work, done ahead
    r.log(`preparing ${plan.signatures} signatures (challenge, proof of work, sealing)…`);
    const prepareAgent = new Agent({ keepAlive: true, maxSockets: 8 });
    const prepared: string[] = [];
    const solveMs = new Samples(plan.signatures);
    const sealMs = new Samples(plan.signatures);
    let made = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (made < plan.signatures) {
          const i = made++;
          const reply = await http(prepareAgent, url, "POST", "/api/v1/pow/challenges", JSON.stringify({ purpose: `petition:${petition.id}` }), { "x-forwarded-for": fakeAddress() });
          if (reply.status !== 200 && reply.status !== 201) throw new Error(`challenge: ${reply.status} ${reply.body}`);
          const challenge = JSON.parse(reply.body) as PowChallenge;
          let t0 = performance.now();
          const pow = await solveProofOfWork(challenge);
          solveMs.push(performance.now() - t0);
          t0 = performance.now();
          const email = `signer-${i}@example.org`;
          const sealed = await sealSignature(petition, { email, name: `Signer ${i}`, comment: "I sign because it matters to my street.", showPublicly: i % 3 === 0 }, "en", Date.now());
          sealMs.push(performance.now() - t0);
          prepared.push(JSON.stringify({ pow, ...sealed, email, publicName: i % 3 === 0 ? `Signer ${i}` : null, language: "en" }));
        }
      }),
    );
    prepareAgent.destroy();
    r.emit("client_solve_ms_p50", round(solveMs.percentile(50)), "ms");
    r.emit("client_seal_ms_p50", round(sealMs.percentile(50)), "ms");

    // --- the storm
    r.log(`storm: ${plan.signatures} signatures ${rate > 0 ? `at ${rate}/s` : `from ${plan.concurrency} signers at once`}, ${plan.readers} readers of the public page`);
    const signAgent = new Agent({ keepAlive: true, maxSockets: plan.concurrency });
    const confirmAgent = new Agent({ keepAlive: true, maxSockets: 16 });
    const readAgent = new Agent({ keepAlive: true, maxSockets: plan.readers });
    const signLatency = new Samples(plan.signatures);
    const confirmLatency = new Samples(plan.signatures);
    const readLatency = new Samples();
    const statuses: Record<string, number> = {};
    let accepted = 0;
    let confirmed = 0;
    let failedConfirms = 0;
    let reads = 0;
    let readErrors = 0;
    let next = 0;
    let storming = true;
    const cpu0 = cpuMs(server.pid);
    const own0 = process.cpuUsage();
    const t0 = performance.now();
    let lastAccept = t0;
    let firstConfirm = 0;
    let lastConfirm = 0;

    const signOne = async (body: string): Promise<void> => {
      const start = performance.now();
      let reply: Reply;
      try {
        reply = await http(signAgent, url, "POST", `/api/v1/public/petitions/${PETITION.slug}/signatures`, body, { "x-forwarded-for": fakeAddress() });
      } catch (error) {
        // a connection reset: counted, never retried (a retry would test the replay check instead)
        reply = { status: 0, body: (error as NodeJS.ErrnoException).code ?? "error" };
      }
      const end = performance.now();
      signLatency.push(end - start);
      statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
      if (reply.status === 202) {
        accepted++;
        lastAccept = end;
      }
    };
    const signers: Promise<void>[] = [];
    if (rate > 0) {
      // open loop: signatures arrive at a fixed rate, whether or not earlier ones are answered
      // (how a crowd behaves); latency then shows the server below saturation
      signers.push(
        (async () => {
          const inFlight: Promise<void>[] = [];
          for (let i = 0; i < prepared.length; i++) {
            const wait = t0 + (i * 1000) / rate - performance.now();
            if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
            inFlight.push(signOne(prepared[i] as string));
          }
          next = prepared.length;
          await Promise.all(inFlight);
        })(),
      );
    } else {
      for (let lane = 0; lane < plan.concurrency; lane++) {
        signers.push(
          (async () => {
            while (next < prepared.length) await signOne(prepared[next++] as string);
          })(),
        );
      }
    }
    const confirmers = Array.from({ length: 16 }, async () => {
      for (;;) {
        const token = tokens.shift();
        if (token === undefined) {
          if (!storming && confirmed + failedConfirms >= accepted) return;
          await new Promise<void>((resolve) => {
            waiting.wake = resolve;
            setTimeout(resolve, 50);
          });
          continue;
        }
        const start = performance.now();
        const reply = await http(confirmAgent, url, "POST", "/api/v1/public/signatures/confirm", JSON.stringify({ token })).catch((error: NodeJS.ErrnoException) => ({ status: 0, body: error.code ?? "error" }));
        const end = performance.now();
        if (reply.status === 200) {
          confirmed++;
          confirmLatency.push(end - start);
          firstConfirm ||= start;
          lastConfirm = end;
        } else failedConfirms++;
      }
    });
    const readers = Array.from({ length: plan.readers }, async (_, i) => {
      const paths = [`/api/v1/public/petitions/${PETITION.slug}`, `/p/${PETITION.slug}`];
      while (storming) {
        const start = performance.now();
        const reply = await http(readAgent, url, "GET", paths[i % 2] as string, null).catch((error: NodeJS.ErrnoException) => ({ status: 0, body: error.code ?? "error" }));
        readLatency.push(performance.now() - start);
        if (reply.status === 200) reads++;
        else readErrors++;
      }
    });

    await Promise.all(signers);
    storming = false;
    const stormMs = lastAccept - t0;
    const serverCpu = cpuMs(server.pid) - cpu0;
    const own = process.cpuUsage(own0);
    await Promise.all(readers);
    const drainDeadline = Date.now() + 60_000;
    while (confirmed + failedConfirms < accepted && Date.now() < drainDeadline) await new Promise((resolve) => setTimeout(resolve, 50));
    storming = false;
    waiting.wake?.();
    await Promise.race([Promise.all(confirmers), new Promise((resolve) => setTimeout(resolve, 1000))]);
    signAgent.destroy();
    confirmAgent.destroy();
    readAgent.destroy();

    const final = await publicPetition(api, PETITION.slug);
    r.emit("signatures_accepted", accepted, "signatures");
    r.emit("signatures_accepted_per_s", round((accepted / stormMs) * 1000), "signatures/s");
    r.emit("sign_latency_p50_ms", round(signLatency.percentile(50)), "ms");
    r.emit("sign_latency_p99_ms", round(signLatency.percentile(99)), "ms");
    r.emit("sign_refused", accepted === prepared.length ? 0 : prepared.length - accepted, "signatures");
    r.emit("signatures_confirmed", confirmed, "signatures");
    r.emit("signatures_confirmed_per_s", round((confirmed / Math.max(1, lastConfirm - firstConfirm)) * 1000), "signatures/s");
    r.emit("confirm_latency_p50_ms", round(confirmLatency.percentile(50)), "ms");
    r.emit("confirm_latency_p99_ms", round(confirmLatency.percentile(99)), "ms");
    r.emit("mails_received", sink.received(), "mails");
    r.emit("counter_after", final.count, "signatures");
    r.emit("public_reads_per_s", round((reads / stormMs) * 1000), "requests/s");
    r.emit("public_read_p50_ms", round(readLatency.percentile(50)), "ms");
    r.emit("public_read_p99_ms", round(readLatency.percentile(99)), "ms");
    r.emit("public_read_errors", readErrors, "requests");
    r.emit("server_cpu_pct", round((serverCpu / stormMs) * 100), "% of one core");
    r.emit("load_generator_cpu_pct", round(((own.user + own.system) / 1000 / stormMs) * 100), "% of one core");
    r.emit("server_rss_mb", round(megabytes(rssBytes(server.pid))), "MB");
    r.log(`statuses ${JSON.stringify(statuses)}; storm ${Math.round(stormMs)} ms`);
    if (final.count !== confirmed) r.log(`note: the counter says ${final.count}, ${confirmed} confirmations succeeded`);
  } finally {
    await server.stop();
    await sink.close();
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
