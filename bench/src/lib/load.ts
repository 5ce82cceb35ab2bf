/**
 * A small closed-loop HTTP/1.1 load generator over raw keep-alive sockets: N connections, each
 * sends one request, waits for the whole response, records its latency, sends the next; no
 * pipelining. Raw sockets keep the generator's own CPU cost low, which matters when it shares two
 * cores with the server it measures. Responses are read by Content-Length or chunked encoding.
 */
import { connect, type Socket } from "node:net";
import { percentile, sorted } from "./stats.ts";

export interface LoadOptions {
  /** Origin, e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly path: string;
  readonly method?: "GET" | "POST";
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly connections: number;
  /**
   * Time before measuring, on the same connections: results then describe established keep-alive
   * connections, not the burst of 64 new ones (whose first requests a saturated Node server can
   * leave waiting for hundreds of milliseconds; a bare node:http server does the same).
   */
  readonly warmupMs?: number;
  readonly durationMs: number;
  /** Called once when the measured window begins (e.g. to read the server's CPU time). */
  readonly onMeasureStart?: () => void;
  /** A request without a complete response after this long counts as an error. */
  readonly timeoutMs?: number;
}

export interface LoadResult {
  /** Responses with a 2xx status (to requests sent in the measured window, as all counts here). */
  readonly ok: number;
  /** Non-2xx responses, socket errors, unparseable responses and timeouts. */
  readonly errors: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
  /** 2xx responses per second of elapsed time. */
  readonly reqPerSec: number;
  /** Latency of every completed response (any status), milliseconds. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

interface Parsed {
  readonly length: number;
  readonly status: number;
  readonly close: boolean;
}

const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");

/** Parses one complete response at the start of buf; null while incomplete; throws on nonsense. */
export function parseResponse(buf: Buffer): Parsed | null {
  const headerEnd = buf.indexOf(HEADER_END);
  if (headerEnd === -1) {
    if (buf.length > 64 * 1024) throw new Error("response headers larger than 64 KiB");
    return null;
  }
  const head = buf.toString("latin1", 0, headerEnd);
  const statusLine = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  if (!statusLine) throw new Error(`not an HTTP response: ${JSON.stringify(head.slice(0, 40))}`);
  const status = Number(statusLine[1]);
  let contentLength = -1;
  let chunked = false;
  let close = head.startsWith("HTTP/1.0");
  for (const line of head.split("\r\n").slice(1)) {
    const colon = line.indexOf(":");
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim().toLowerCase();
    if (name === "content-length") contentLength = Number(value);
    else if (name === "transfer-encoding") chunked = value.split(",").some((v) => v.trim() === "chunked");
    else if (name === "connection") close = value === "close";
  }
  const bodyStart = headerEnd + 4;
  if (chunked) {
    let pos = bodyStart;
    for (;;) {
      const lineEnd = buf.indexOf(CRLF, pos);
      if (lineEnd === -1) return null;
      const size = Number.parseInt(buf.toString("latin1", pos, lineEnd), 16);
      if (!Number.isFinite(size)) throw new Error("bad chunk size");
      if (size === 0) {
        // no trailers expected: the last chunk is followed by an empty line
        const end = buf.indexOf(CRLF, lineEnd + 2);
        if (end === -1) return null;
        return { length: end + 2, status, close };
      }
      pos = lineEnd + 2 + size + 2;
      if (buf.length < pos) return null;
    }
  }
  if (contentLength >= 0) {
    const length = bodyStart + contentLength;
    return buf.length >= length ? { length, status, close } : null;
  }
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) return { length: bodyStart, status, close };
  throw new Error("response without Content-Length or chunked encoding");
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  const port = Number(target.port || 80);
  const host = target.hostname;
  const method = options.method ?? "GET";
  const headers: Record<string, string> = { host: target.host, accept: "application/json", "user-agent": "commune-bench", ...options.headers };
  if (options.body !== undefined) headers["content-length"] = String(Buffer.byteLength(options.body));
  const request = Buffer.from(
    `${method} ${options.path} HTTP/1.1\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join("")}\r\n${options.body ?? ""}`,
    "latin1",
  );
  const timeoutMs = options.timeoutMs ?? 10_000;

  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let ok = 0;
  let errors = 0;
  let open = 0;
  const warmupMs = options.warmupMs ?? 0;
  const start = performance.now() + warmupMs;
  const deadline = start + options.durationMs;
  let lastDone = start;
  const measureTimer = setTimeout(() => options.onMeasureStart?.(), warmupMs);

  interface Conn {
    socket: Socket;
    buf: Buffer | null;
    sentAt: number; // 0 when idle
  }
  const conns = new Set<Conn>();
  let finished!: () => void;
  const allDone = new Promise<void>((resolve) => (finished = resolve));

  const send = (c: Conn) => {
    c.sentAt = performance.now();
    c.socket.write(request);
  };
  let reopening = 0;
  const maybeFinish = () => {
    if (open === 0 && reopening === 0) finished();
  };
  /** Closes a connection and, before the deadline, opens a replacement (after delayMs). */
  const retire = (c: Conn, delayMs = 0) => {
    if (!conns.delete(c)) return;
    c.socket.destroy();
    open--;
    if (performance.now() >= deadline) return maybeFinish();
    if (delayMs === 0) return openConnection();
    reopening++;
    setTimeout(() => {
      reopening--;
      if (performance.now() < deadline) openConnection();
      else maybeFinish();
    }, delayMs);
  };
  const fail = (c: Conn, kind: string) => {
    const inFlight = c.sentAt !== 0;
    if (inFlight && c.sentAt >= start) {
      errors++;
      statuses[kind] = (statuses[kind] ?? 0) + 1;
      c.sentAt = 0;
    }
    // back off a little after a failure so a dead server is not hammered in a tight loop
    retire(c, inFlight ? 10 : 0);
  };

  function openConnection(): void {
    const socket = connect({ host, port, noDelay: true });
    const c: Conn = { socket, buf: null, sentAt: 0 };
    conns.add(c);
    open++;
    socket.once("connect", () => send(c));
    c.sentAt = performance.now(); // a refused connection counts as a failed request
    socket.on("data", (chunk: Buffer) => {
      c.buf = c.buf ? Buffer.concat([c.buf, chunk]) : chunk;
      let parsed: Parsed | null;
      try {
        parsed = parseResponse(c.buf);
      } catch {
        fail(c, "bad_response");
        return;
      }
      if (!parsed) return;
      const now = performance.now();
      if (c.sentAt >= start) {
        latencies.push(now - c.sentAt);
        lastDone = now;
        statuses[parsed.status] = (statuses[parsed.status] ?? 0) + 1;
        if (parsed.status >= 200 && parsed.status < 300) ok++;
        else errors++;
      }
      c.sentAt = 0;
      c.buf = parsed.length < c.buf.length ? c.buf.subarray(parsed.length) : null;
      if (parsed.close) retire(c);
      else if (now < deadline) send(c);
      else retire(c);
    });
    socket.on("error", () => fail(c, "socket_error"));
    socket.on("close", () => fail(c, "closed"));
  }

  const watchdog = setInterval(() => {
    const now = performance.now();
    for (const c of conns) if (c.sentAt !== 0 && now - c.sentAt > timeoutMs) fail(c, "timeout");
  }, 100);
  for (let i = 0; i < options.connections; i++) openConnection();
  await allDone;
  clearInterval(watchdog);
  clearTimeout(measureTimer);

  const elapsedMs = lastDone - start;
  const s = sorted(latencies);
  return {
    ok,
    errors,
    statuses,
    elapsedMs,
    reqPerSec: elapsedMs > 0 ? (ok * 1000) / elapsedMs : 0,
    p50Ms: percentile(s, 50),
    p99Ms: percentile(s, 99),
    maxMs: s.length ? s[s.length - 1]! : Number.NaN,
  };
}
