/**
 * The benchmark machinery, not its numbers: timings never decide a test. Checks the load
 * generator's response parser and counting against a local node:http server, the statistics, and
 * that the runner keeps stdout to one JSON object per line and refuses unknown names.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parseResponse, runLoad } from "../src/lib/load.ts";
import { freePort } from "../src/lib/server-process.ts";
import { median, percentile, sorted } from "../src/lib/stats.ts";

const RUN = fileURLToPath(new URL("../src/run.ts", import.meta.url));
const OUTPUT = fileURLToPath(new URL("../src/lib/output.ts", import.meta.url));

function node(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("parseResponse", () => {
  it("reads Content-Length bodies, and waits for the rest of an incomplete one", () => {
    const full = Buffer.from("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
    assert.deepEqual(parseResponse(full), { length: full.length, status: 200, close: false });
    assert.equal(parseResponse(full.subarray(0, full.length - 1)), null);
    assert.equal(parseResponse(Buffer.from("HTTP/1.1 200 OK\r\nContent-")), null);
  });

  it("reads chunked bodies, and notices Connection: close", () => {
    const text = "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n";
    const buf = Buffer.from(`${text}HTTP/1.1 200`);
    assert.deepEqual(parseResponse(buf), { length: Buffer.byteLength(text), status: 404, close: true });
    assert.equal(parseResponse(Buffer.from(text.slice(0, -2))), null);
  });

  it("refuses what is not HTTP", () => {
    assert.throws(() => parseResponse(Buffer.from("SSH-2.0-OpenSSH\r\n\r\n")));
  });
});

describe("runLoad", () => {
  it("counts 2xx answers as ok and everything else as errors", async () => {
    let n = 0;
    const { server, url } = await listen((req, res) => {
      n++;
      res.statusCode = req.url === "/fail" || n % 2 === 0 ? 500 : 200;
      if (n % 3 === 0) res.end("{}"); // Content-Length
      else {
        res.write("{"); // chunked
        res.end("}");
      }
    });
    try {
      const ok = await runLoad({ url, path: "/", connections: 4, warmupMs: 50, durationMs: 300 });
      assert.ok(ok.ok > 0 && ok.errors > 0, JSON.stringify(ok));
      assert.equal(ok.statuses["200"], ok.ok);
      assert.equal(ok.statuses["500"], ok.errors);
      assert.ok(ok.p50Ms <= ok.p99Ms && ok.p99Ms <= ok.maxMs);
      const failing = await runLoad({ url, path: "/fail", connections: 2, durationMs: 100 });
      assert.equal(failing.ok, 0);
      assert.ok(failing.errors > 0);
    } finally {
      server.close();
    }
  });

  it("counts refused connections as errors and still ends", async () => {
    const port = await freePort();
    const result = await runLoad({ url: `http://127.0.0.1:${port}`, path: "/", connections: 2, durationMs: 200 });
    assert.equal(result.ok, 0);
    assert.ok(result.errors > 0);
    assert.ok(result.statuses.socket_error! > 0);
  });
});

describe("statistics", () => {
  it("takes nearest-rank percentiles and medians", () => {
    const s = sorted([5, 1, 4, 2, 3, 6, 7, 8, 9, 10]);
    assert.equal(percentile(s, 50), 5);
    assert.equal(percentile(s, 99), 10);
    assert.equal(percentile(s, 0), 1);
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 2, 3]), 2.5);
    assert.ok(Number.isNaN(percentile(sorted([]), 50)));
  });
});

describe("runner", () => {
  it("prints one JSON object per line on stdout", async () => {
    const script = `import { createReporter } from ${JSON.stringify(OUTPUT)}; const r = createReporter("x"); r.log("progress"); r.emit("a_ms", 1.23456, "ms"); r.emit("b", 1234.567, "req/s");`;
    const { code, stdout, stderr } = await node(["--input-type=module", "-e", script]);
    assert.equal(code, 0);
    assert.match(stderr, /progress/);
    const lines = stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines, [
      { bench: "x", metric: "a_ms", value: 1.23, unit: "ms" },
      { bench: "x", metric: "b", value: 1234.6, unit: "req/s" },
    ]);
  });

  it("lists the benchmarks and exits 2 for an unknown name, with nothing on stdout", async () => {
    const { code, stdout, stderr } = await node([RUN, "no-such-bench"]);
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.match(stderr, /startup/);
    assert.match(stderr, /api/);
  });
});
