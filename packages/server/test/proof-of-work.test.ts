/**
 * Proof of work on both store dialects: a challenge made by the server and solved by the headless
 * client is accepted once, for its purpose, before it expires; forged, replayed, expired and
 * hostile payloads are refused with their stable code, never with a 500.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { createChallenge, solveChallenge } from "altcha-lib";
import { deriveKey as nodeDeriveKey } from "altcha-lib/algorithms/sha";
import { deriveSha256Key, encodePowPayload, solveProofOfWork, type PowSolution } from "@commune/client";
import { ERROR_STATUS, isErrorCode, POW_PURPOSE_PATTERN, type PowChallenge } from "@commune/protocol";
import { AppError } from "../src/errors.ts";
import { createServer } from "../src/index.ts";
import { createLogger } from "../src/logger.ts";
import { issueChallenge, purgeSpentChallenges, redeemSolution } from "../src/services/proof-of-work.ts";
import { codeOf, DIALECTS, startServer, type TestDialect, type TestServer } from "./helpers.ts";

const scale = (dialect: TestDialect, runs: number) => (dialect === "sqlite" ? runs : Math.max(10, Math.round(runs / 4)));
const PURPOSE = "petition:p_1234";
const MINUTE = 60_000;

/** The payload as a JSON value, to tamper with. */
function decode(payload: string): { challenge: { parameters: Record<string, unknown>; signature: string }; solution: { counter: number; derivedKey: string } } {
  return JSON.parse(Buffer.from(payload, "base64").toString("utf8"));
}
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64");
/** Changes one hex digit, keeping the string hex and its length. */
const flip = (hex: string, at = 0) => hex.slice(0, at) + (hex[at] === "0" ? "1" : "0") + hex.slice(at + 1);

/** Solves with the wall clock ignored (the client's solver stops at the challenge's expiry). */
async function solveIgnoringExpiry(challenge: PowChallenge): Promise<string> {
  const solution = await solveChallenge({ challenge: challenge as never, deriveKey: deriveSha256Key, timeout: 0 });
  assert.ok(solution);
  return encodePowPayload(challenge, solution as PowSolution);
}

/** Runs `fn` with the server's clock moved by `offsetMs`. */
async function withClock<T>(t: TestServer, offsetMs: number, fn: () => Promise<T>): Promise<T> {
  const ctx = t.server.ctx;
  const real = ctx.now;
  ctx.now = () => real() + offsetMs;
  try {
    return await fn();
  } finally {
    ctx.now = real;
  }
}

/**
 * One request on its own connection (node:http, no agent): a pooled keep-alive connection that the
 * server closes after its idle timeout can reset the next request that reuses it.
 */
function post(t: TestServer, body: string, contentType = "application/json"): Promise<{ status: number; json: Record<string, unknown>; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${t.url}/api/v1/pow/challenges`, { method: "POST", agent: false, headers: { "content-type": contentType } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const header = response.headers["retry-after"];
        resolve({ status: response.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString("utf8")), retryAfter: Array.isArray(header) ? header[0] : header });
      });
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

describe("proof-of-work key derivation", () => {
  it("the client's SHA-256 derivation equals altcha-lib's for any salt, password and cost", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 32 }), async (salt, password, cost, keyLength) => {
        const parameters = { algorithm: "SHA-256", nonce: "", salt: "", cost, keyLength, keyPrefix: "00" };
        const ours = await deriveSha256Key(parameters, salt, password);
        const theirs = await nodeDeriveKey(parameters, salt, password);
        assert.deepEqual(Buffer.from(ours.derivedKey), Buffer.from(theirs.derivedKey));
      }),
      { numRuns: 200 },
    );
  });
});

for (const dialect of DIALECTS) {
  describe(`proof of work (${dialect})`, () => {
    let t: TestServer;
    before(async () => {
      t = await startServer(dialect, { powMaxNumber: 200, powChallengesPerMinute: 1_000_000 });
    });
    after(() => t.close());

    // (straight from the service: the route has its own tests, and a pooled HTTP connection left
    // idle through a long property test may be reset by the server when reused)
    const fresh = async (purpose = PURPOSE) => {
      const challenge = await issueChallenge(t.server.ctx, purpose);
      return { challenge, payload: await solveProofOfWork(challenge) };
    };

    it("a challenge from the route, solved by the client, is accepted once; the second time it is pow_replayed", async () => {
      const challenge = await t.client().powChallenge(PURPOSE);
      const payload = await solveProofOfWork(challenge);
      assert.equal(challenge.parameters.data?.purpose, PURPOSE);
      assert.equal(challenge.parameters.data?.max, 200);
      await redeemSolution(t.server.ctx, payload, PURPOSE);
      assert.equal(await codeOf(redeemSolution(t.server.ctx, payload, PURPOSE)), "pow_replayed");
      assert.equal(await codeOf(redeemSolution(t.server.ctx, payload, PURPOSE)), "pow_replayed");
    });

    it("the solver reports progress up to 1, and the work lies between half the max number and all of it", async () => {
      const challenge = await issueChallenge(t.server.ctx, PURPOSE);
      const seen: number[] = [];
      const payload = await solveProofOfWork(challenge, { onProgress: (f) => seen.push(f) });
      assert.ok(seen.length > 10, `${seen.length} reports`);
      assert.equal(seen.at(-1), 1);
      assert.ok(seen.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= seen[i - 1]!)));
      const { counter } = decode(payload).solution;
      assert.ok(counter >= 100 && counter <= 200, `counter ${counter}`);
      await redeemSolution(t.server.ctx, payload, PURPOSE);
    });

    it("an aborted solve stops with an AbortError", async () => {
      const challenge = await issueChallenge(t.server.ctx, PURPOSE);
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(solveProofOfWork(challenge, { signal: controller.signal }), { name: "AbortError" });
    });

    it("after its expiry a challenge is pow_expired, by the server's clock and by the wall clock", async () => {
      const { payload } = await fresh();
      const expiry = t.server.config.powExpirySeconds * 1000;
      assert.equal(await withClock(t, expiry + 1000, () => codeOf(redeemSolution(t.server.ctx, payload, PURPOSE))), "pow_expired");
      // still unspent: within its time it is accepted
      await redeemSolution(t.server.ctx, payload, PURPOSE);
      // issued "in the past": already expired by the wall clock that altcha-lib checks
      const old = await withClock(t, -(expiry + MINUTE), () => issueChallenge(t.server.ctx, PURPOSE));
      assert.equal(await codeOf(redeemSolution(t.server.ctx, await solveIgnoringExpiry(old), PURPOSE)), "pow_expired");
    });

    it("forged payloads are pow_invalid: signature, counter, key, salt, nonce, purpose, another key, unsolved", async () => {
      const { challenge, payload } = await fresh();
      const good = decode(payload);
      const forgeries: Record<string, unknown> = {
        signature: { ...good, challenge: { ...good.challenge, signature: flip(good.challenge.signature) } },
        counter: { ...good, solution: { ...good.solution, counter: good.solution.counter + 1 } },
        counterWithKey: { ...good, solution: { counter: good.solution.counter - 1, derivedKey: good.solution.derivedKey } },
        derivedKey: { ...good, solution: { ...good.solution, derivedKey: flip(good.solution.derivedKey, 40) } },
        salt: { ...good, challenge: { ...good.challenge, parameters: { ...good.challenge.parameters, salt: flip(good.challenge.parameters.salt as string) } } },
        nonce: { ...good, challenge: { ...good.challenge, parameters: { ...good.challenge.parameters, nonce: flip(good.challenge.parameters.nonce as string) } } },
        expiry: { ...good, challenge: { ...good.challenge, parameters: { ...good.challenge.parameters, expiresAt: (good.challenge.parameters.expiresAt as number) + 3600 } } },
        purpose: { ...good, challenge: { ...good.challenge, parameters: { ...good.challenge.parameters, data: { purpose: "petition:other", max: 200 } } } },
        easier: { ...good, challenge: { ...good.challenge, parameters: { ...good.challenge.parameters, keyPrefix: "0" } } },
      };
      for (const [name, forged] of Object.entries(forgeries)) {
        assert.equal(await codeOf(redeemSolution(t.server.ctx, encode(forged), PURPOSE)), "pow_invalid", name);
      }
      // the genuine solution, offered for another purpose
      assert.equal(await codeOf(redeemSolution(t.server.ctx, payload, "petition:other")), "pow_invalid");
      assert.equal(await codeOf(redeemSolution(t.server.ctx, payload, "form:p_1234")), "pow_invalid");
      // a well-formed challenge signed with some other secret
      const alien = await createChallenge({
        algorithm: "SHA-256",
        cost: 1,
        counter: 5,
        deriveKey: nodeDeriveKey,
        data: { purpose: PURPOSE, max: 200 },
        expiresAt: Math.floor(Date.now() / 1000) + 600,
        hmacSignatureSecret: randomBytes(32).toString("base64url"),
      });
      assert.equal(await codeOf(redeemSolution(t.server.ctx, await solveIgnoringExpiry(alien as PowChallenge), PURPOSE)), "pow_invalid");
      // not solved: counter 0 with its own key
      const unsolvedKey = Buffer.from((await deriveSha256Key(challenge.parameters as never, Buffer.from(challenge.parameters.salt, "hex"), Buffer.from(`${challenge.parameters.nonce}00000000`, "hex"))).derivedKey).toString("hex");
      assert.equal(await codeOf(redeemSolution(t.server.ctx, encode({ ...good, solution: { counter: 0, derivedKey: unsolvedKey } }), PURPOSE)), "pow_invalid");
      // none of the forgeries spent the genuine challenge
      await redeemSolution(t.server.ctx, payload, PURPOSE);
    });

    it("hostile payload strings are refused with a 4xx AppError, never anything else", async () => {
      const { payload } = await fresh();
      const good = decode(payload);
      const json = fc.jsonValue({ maxDepth: 4 });
      // a genuine payload with one field replaced by anything at all
      const mutated = fc
        .tuple(fc.constantFrom("challenge", "parameters", "solution", "data"), fc.string({ maxLength: 20 }), json)
        .map(([where, key, value]) => {
          const copy = structuredClone(good) as Record<string, any>;
          const target = where === "challenge" ? copy.challenge : where === "parameters" ? copy.challenge.parameters : where === "data" ? copy.challenge.parameters.data : copy.solution;
          target[key] = value;
          return encode(copy);
        });
      const hostile = fc.oneof(
        fc.string({ maxLength: 300 }),
        fc.string({ unit: "binary", maxLength: 300 }),
        fc.base64String({ maxLength: 400 }),
        json.map(encode),
        mutated,
        fc.constantFrom("", "=", "====", "e30=", "bnVsbA==", "W10=", "x".repeat(5000), encode({ __proto__: { polluted: true } }), encode(JSON.parse('{"__proto__":{"x":1}}'))),
      );
      await fc.assert(
        fc.asyncProperty(hostile, fc.constantFrom(PURPOSE, "form:x", ""), async (input, purpose) => {
          if (input === payload) return;
          try {
            await redeemSolution(t.server.ctx, input, purpose);
          } catch (error) {
            assert.ok(error instanceof AppError, `not an AppError: ${String(error)}`);
            assert.ok(error.status >= 400 && error.status < 500);
            assert.ok(["pow_invalid", "pow_expired", "pow_replayed"].includes(error.code), error.code);
            return;
          }
          // only an unchanged genuine payload can pass, and only once
          assert.deepEqual(decode(input), good);
        }),
        { numRuns: scale(dialect, 400) },
      );
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });

    it("POST /api/v1/pow/challenges: valid purposes get a challenge, anything else a 4xx problem", async () => {
      const purpose = fc.stringMatching(POW_PURPOSE_PATTERN).filter((p) => p.length <= 97);
      const body = fc.oneof(
        purpose.map((p) => JSON.stringify({ purpose: p })),
        fc.jsonValue().map((v) => JSON.stringify(v)),
        fc.record({ purpose: fc.string({ maxLength: 120 }) }).map((v) => JSON.stringify(v)),
        fc.string({ maxLength: 200 }),
      );
      await fc.assert(
        fc.asyncProperty(body, fc.constantFrom("application/json", "text/plain"), async (raw, type) => {
          const { status, json } = await post(t, raw, type);
          assert.ok(status === 201 || (status >= 400 && status < 500), `status ${status}`);
          if (status === 201) {
            const challenge = json as unknown as PowChallenge;
            assert.equal(challenge.parameters.data?.purpose, (JSON.parse(raw) as { purpose: string }).purpose);
            assert.match(challenge.signature, /^[0-9a-f]{64}$/);
          } else {
            assert.ok(isErrorCode(json.code));
            assert.equal(ERROR_STATUS[json.code as keyof typeof ERROR_STATUS], status);
          }
        }),
        { numRuns: scale(dialect, 200) },
      );
    });

    it("a challenge from one process is redeemed by another; the replay is caught by the first", async () => {
      const other = await createServer({
        dataDir: t.dataDir,
        port: 0,
        webDist: null,
        fastPasswordHashing: true,
        logger: createLogger("silent"),
        databaseUrl: t.server.config.databaseUrl,
        ...(t.server.config.databaseSchema ? { databaseSchema: t.server.config.databaseSchema } : {}),
      });
      try {
        const { payload } = await fresh();
        await redeemSolution(other.ctx, payload, PURPOSE);
        assert.equal(await codeOf(redeemSolution(t.server.ctx, payload, PURPOSE)), "pow_replayed");
        const second = await fresh();
        await redeemSolution(t.server.ctx, second.payload, PURPOSE);
        assert.equal(await codeOf(redeemSolution(other.ctx, second.payload, PURPOSE)), "pow_replayed");
      } finally {
        await other.destroy();
      }
    });

    it("spent challenges are purged once expired, not before", async () => {
      await t.server.ctx.db.deleteFrom("pow_spent").execute();
      const { payload } = await fresh();
      await redeemSolution(t.server.ctx, payload, PURPOSE);
      assert.equal(await purgeSpentChallenges(t.server.ctx), 0);
      const expiry = t.server.config.powExpirySeconds * 1000;
      assert.equal(await withClock(t, expiry + 10 * MINUTE, () => purgeSpentChallenges(t.server.ctx)), 1);
      const rows = await t.server.ctx.db.selectFrom("pow_spent").select("nonce").execute();
      assert.equal(rows.length, 0);
    });
  });
}

describe("proof-of-work challenges are rate-limited per address", () => {
  let t: TestServer;
  before(async () => {
    t = await startServer("sqlite", { powChallengesPerMinute: 3 });
  });
  after(() => t.close());

  it("the fourth challenge within a minute is rate_limited, with Retry-After", async () => {
    for (let i = 0; i < 3; i++) assert.equal((await post(t, JSON.stringify({ purpose: PURPOSE }))).status, 201);
    const refused = await post(t, JSON.stringify({ purpose: PURPOSE }));
    assert.equal(refused.status, 429);
    assert.equal(refused.json.code, "rate_limited");
    assert.ok(Number(refused.retryAfter) >= 1);
  });
});
