/**
 * What the property tests of public endpoints share: a raw request that bypasses the clients'
 * checks, the rule every answer must follow (below 500; a refusal is problem+json whose code and
 * status agree), and generators of strings that have broken parsers elsewhere.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { ERROR_STATUS, isErrorCode } from "@commune/protocol";
import type { TestDialect } from "./helpers.ts";

/** Fewer runs on PostgreSQL, whose round trips are slower; never fewer than ten. */
export const runs = (dialect: TestDialect, n: number) => (dialect === "sqlite" ? n : Math.max(10, Math.round(n / 4)));

export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly type: string;
}

let sender = 0;
/** A new client address for each call, for servers started with `trustProxy` (else ignored): rate limits stay out of the way. */
export function nextAddress(): string {
  sender++;
  return `10.${(sender >> 16) & 255}.${(sender >> 8) & 255}.${sender & 255}`;
}

/** A raw request; each one comes from its own address (see `nextAddress`). */
export async function send(url: string, method: string, path: string, body: string | null, contentType = "application/json", token?: string): Promise<Reply> {
  const headers: Record<string, string> = { "content-type": contentType, "x-forwarded-for": nextAddress() };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${url}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: checked below for refusals
  }
  return { status: response.status, body: parsed, type: response.headers.get("content-type") ?? "" };
}

export function assertWellFormed(reply: Reply, what: string): void {
  assert.ok(reply.status < 500, `${what}: answered ${reply.status} ${JSON.stringify(reply.body)}`);
  if (reply.status >= 400) {
    assert.match(reply.type, /^application\/problem\+json/, `${what}: a refusal is problem+json`);
    const code = (reply.body as { code?: unknown }).code;
    assert.ok(isErrorCode(code), `${what}: stable code, got ${String(code)}`);
    assert.equal(ERROR_STATUS[code], reply.status, `${what}: code ${code} and status agree`);
  }
}

/** Strings that have broken parsers elsewhere: huge numbers, prototypes, NULs, lone surrogates, bidi. */
export const nasty = fc.oneof(
  fc.string(),
  fc.constantFrom("__proto__", "constructor", "\u0000", "\ud800", "\u202e", "<script>alert(1)</script>", "a".repeat(70_000), "-1", "1e309", "NaN"),
  fc.string({ unit: "grapheme", maxLength: 300 }),
);
export const jsonish = fc.oneof(fc.jsonValue(), fc.dictionary(nasty, fc.jsonValue(), { maxKeys: 8 }));

/** A copy of `valid` with one key replaced (own property, even `__proto__`) or removed. */
export function nearValid(valid: Record<string, unknown>, keys: readonly string[]) {
  return fc.record({ key: fc.constantFrom(...keys, "extra"), value: fc.oneof(fc.jsonValue(), nasty), drop: fc.boolean() }).map(({ key, value, drop }) => {
    const body: Record<string, unknown> = { ...valid };
    if (drop) delete body[key];
    else Object.defineProperty(body, key, { value, enumerable: true, configurable: true, writable: true });
    return body;
  });
}
