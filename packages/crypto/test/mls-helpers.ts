/** Shared by the MLS tests: devices, a group built step by step, and unwrapping results. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as mls from "../src/mls/index.ts";

export const encoder = new TextEncoder();
export const decoder = new TextDecoder();

/** The value of a successful result; fails the test with the error otherwise. */
export function must<T extends object>(result: mls.MlsResult<T>, what = "operation"): T {
  if (!result.ok) assert.fail(`${what} failed: ${result.error.code}: ${result.error.message}`);
  return result;
}

export function failure<T extends object>(result: mls.MlsResult<T>): mls.MlsFailure {
  if (result.ok) assert.fail("expected a failure, got success");
  return result.error;
}

export interface Device {
  readonly name: string;
  readonly credentials: mls.MemberCredentials;
  group?: mls.MlsGroup;
}

export async function device(accountId: string, deviceId = "d1"): Promise<Device> {
  return { name: `${accountId}/${deviceId}`, credentials: { identity: { accountId, deviceId }, signatureKeys: await mls.generateSignatureKeyPair() } };
}

/** A group of the first device plus the others, added in one commit and joined by Welcome. */
export async function groupOf(suite: mls.SuiteName, devices: Device[], options: mls.MlsOptions = {}): Promise<void> {
  const [first, ...rest] = devices;
  first!.group = must(await mls.createGroup(encoder.encode("room-1"), first!.credentials, { suite, ...options })).group;
  if (rest.length === 0) return;
  const packages = [];
  for (const d of rest) packages.push((await mls.generateKeyPackages(d.credentials, 1, { suite }))[0]!);
  const c = must(await mls.commitAdd(first!.group, packages.map((p) => p.keyPackage)));
  first!.group = c.group;
  for (const [i, d] of rest.entries()) d.group = must(await mls.joinWelcome(c.welcome!, packages[i]!.secret, options), `${d.name} joins`).group;
}

/** Every listed device processes a message, in order; returns the results. */
export async function deliver(bytes: Uint8Array, to: Device[], options: mls.ProcessOptions = {}): Promise<mls.Processed[]> {
  const out: mls.Processed[] = [];
  for (const d of to) {
    const r = must(await mls.processMessage(d.group!, bytes, options), `${d.name} processes`);
    d.group = r.group;
    out.push(r);
  }
  return out;
}

export async function send(from: Device, text: string): Promise<Uint8Array> {
  const r = must(await mls.encrypt(from.group!, encoder.encode(text)));
  from.group = r.group;
  return r.message;
}

export function hex(s: string): Uint8Array {
  return Uint8Array.from(s.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
}

/** A JSON file of test/vectors/ (see its README for sources). */
export function vectors<T>(name: string): T[] {
  return JSON.parse(readFileSync(new URL(`vectors/${name}.json`, import.meta.url), "utf8")) as T[];
}
