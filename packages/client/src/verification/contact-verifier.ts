/**
 * Safety numbers, verified contacts and key-change warnings for one device.
 *
 * What a safety number covers: for each of the two people, the MLS signature keys of all their
 * devices' leaves in the loops they share. Those keys sign every commit and message, and every
 * member of a group agrees on them (they are part of the tree that each epoch's secrets depend
 * on). The Ed25519 key a device registers with the server is not used: a dishonest server could
 * go on publishing it while handing out a KeyPackage with a key of its own, and a number over it
 * would not notice. A new device, a removed device and a replaced key all change the number.
 *
 * @example
 * ```ts
 * const verifier = new ContactVerifier(engine, new MemoryVerificationStore());
 * await verifier.check();                       // remember what the groups show now
 * const c = await verifier.compare(bobId);      // show c.number and a QR code of c.qr
 * if (verifier.checkCode(c, whatBobRead) === "match") await verifier.markVerified(c);
 * const changes = await verifier.check();       // later: whose keys changed since?
 * ```
 */
import { fromBase64Url } from "@commune/crypto";
import { safetyNumber, safetyQrPayload, verifySafetyQr, type SafetyIdentity } from "@commune/crypto/mls";
import type { LoopEngine } from "../loops/engine.ts";
import { collectKeys, diffKeys, sameKeys, type LeafKey, type PersonKeys } from "./person-keys.ts";
import type { ContactRecord, KeyChange, VerificationStore } from "./verification-store.ts";

/** verified: the keys are the ones the user verified; changed: they were verified, then changed. */
export type ContactStatus = "verified" | "changed" | "unverified";

export interface Contact {
  readonly accountId: string;
  readonly status: ContactStatus;
  /** The keys this device saw last; empty when it never shared a loop with the person. */
  readonly keys: readonly string[];
  readonly verifiedAt: number | null;
  /** A key change to warn about, until acknowledged. */
  readonly change: KeyChange | null;
}

/** One comparison between this device's user and another person, as shown on both screens. */
export interface SafetyComparison {
  readonly ownAccountId: string;
  readonly accountId: string;
  /** 60 digits, the same on both people's screens when their devices see the same keys. */
  readonly number: string;
  /** What this device's QR code holds; the other person scans it. */
  readonly qr: string;
  readonly ownKeys: readonly string[];
  readonly theirKeys: readonly string[];
  /** How many devices each side has in the shared loops. */
  readonly ownDevices: number;
  readonly theirDevices: number;
  readonly rooms: readonly string[];
}

/** "match" and "mismatch" for a 60-digit number or a scanned code; "invalid" for anything else. */
export type CodeCheck = "match" | "mismatch" | "invalid";

export type MarkOutcome = { readonly ok: true; readonly contact: Contact } | { readonly ok: false; readonly reason: "keys_changed" };

export interface ContactVerifierOptions {
  readonly now?: () => number;
}

export class ContactVerifier {
  readonly engine: LoopEngine;
  readonly store: VerificationStore;
  readonly #now: () => number;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(engine: LoopEngine, store: VerificationStore, options: ContactVerifierOptions = {}) {
    this.engine = engine;
    this.store = store;
    this.#now = options.now ?? Date.now;
  }

  /** One change to the records at a time (several parts of a page may check at once). */
  #serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(task);
    this.#queue = next.catch(() => {});
    return next;
  }

  async #leaves(roomIds?: readonly string[]): Promise<Array<{ roomId: string; leaves: LeafKey[] }>> {
    const ids = roomIds ?? (await this.engine.client.rooms()).map((r) => r.id);
    const out: Array<{ roomId: string; leaves: LeafKey[] }> = [];
    for (const roomId of ids) {
      if (!(await this.engine.joined(roomId))) continue;
      out.push({ roomId, leaves: await this.engine.memberKeys(roomId) });
    }
    return out;
  }

  /**
   * Each person's keys across the loops this device is in (all the person's loops by default, or
   * the given ones). This device's own account is included.
   */
  async identities(roomIds?: readonly string[]): Promise<Map<string, PersonKeys>> {
    return collectKeys(await this.#leaves(roomIds));
  }

  /**
   * Compares everyone's keys with what this device saw last and remembers what it sees now.
   * Returns the people whose keys changed in this call (a new device, a removed device, a replaced
   * key); each keeps a warning until `acknowledge`, and a verified person becomes "changed".
   * The first sight of a person is remembered without a warning. Pass every room this device is
   * in (the default), not a few: a person's keys are the union over all of them.
   */
  check(roomIds?: readonly string[]): Promise<KeyChange[]> {
    return this.#serial(async () => {
      const me = this.engine.identity.accountId;
      const now = this.#now();
      const changes: KeyChange[] = [];
      for (const person of (await this.identities(roomIds)).values()) {
        if (person.accountId === me) continue;
        const record = await this.store.load(person.accountId);
        if (!record) {
          await this.store.save({ accountId: person.accountId, keys: person.keys, seenAt: now, verifiedKeys: null, verifiedAt: null, change: null });
          continue;
        }
        if (sameKeys(record.keys, person.keys)) continue;
        const diff = diffKeys(record.keys, person.keys);
        const earlier = record.change;
        const change: KeyChange = {
          accountId: person.accountId,
          added: union(earlier?.added, diff.added),
          removed: union(earlier?.removed, diff.removed),
          at: now,
          wasVerified: (earlier?.wasVerified ?? false) || statusOf(record) === "verified",
        };
        await this.store.save({ ...record, keys: person.keys, seenAt: now, change });
        changes.push(change);
      }
      return changes;
    });
  }

  /** What this device knows of one person. */
  async contact(accountId: string): Promise<Contact> {
    const record = await this.store.load(accountId);
    return record ? toContact(record) : { accountId, status: "unverified", keys: [], verifiedAt: null, change: null };
  }

  /** Everyone this device has seen. */
  async contacts(): Promise<Contact[]> {
    return (await this.store.all()).map(toContact);
  }

  /**
   * The safety number between this device's user and another person, over the loops they share
   * (every room this device is in, or the given ones); null when they share none this device has
   * joined.
   */
  async compare(accountId: string, roomIds?: readonly string[]): Promise<SafetyComparison | null> {
    const me = this.engine.identity.accountId;
    if (accountId === me) return null;
    const shared = (await this.#leaves(roomIds)).filter((r) => r.leaves.some((l) => l.accountId === accountId));
    const people = collectKeys(shared);
    const own = people.get(me);
    const theirs = people.get(accountId);
    if (!own || !theirs) return null;
    const mine = identity(own);
    const other = identity(theirs);
    return {
      ownAccountId: me,
      accountId,
      number: safetyNumber(mine, other),
      qr: safetyQrPayload(mine, other),
      ownKeys: own.keys,
      theirKeys: theirs.keys,
      ownDevices: own.devices.length,
      theirDevices: theirs.devices.length,
      rooms: shared.map((r) => r.roomId),
    };
  }

  /** See checkSafetyCode. */
  checkCode(comparison: SafetyComparison, input: string): CodeCheck {
    return checkSafetyCode(comparison, input);
  }

  /**
   * Marks the person verified with exactly the keys that were compared. Refused when either
   * side's keys changed since the comparison was made: the numbers compared no longer hold.
   */
  markVerified(comparison: SafetyComparison): Promise<MarkOutcome> {
    return this.#serial(async () => {
      const now = await this.compare(comparison.accountId, comparison.rooms);
      if (!now || !sameKeys(now.theirKeys, comparison.theirKeys) || !sameKeys(now.ownKeys, comparison.ownKeys)) return { ok: false, reason: "keys_changed" } as const;
      const record = await this.store.load(comparison.accountId);
      const at = this.#now();
      const saved: ContactRecord = {
        accountId: comparison.accountId,
        keys: comparison.theirKeys,
        seenAt: at,
        verifiedKeys: comparison.theirKeys,
        verifiedAt: at,
        change: null,
      };
      await this.store.save(record ? { ...record, ...saved } : saved);
      return { ok: true, contact: toContact(saved) } as const;
    });
  }

  /** Takes the verified mark away (the person's keys are remembered as they are). */
  unverify(accountId: string): Promise<Contact> {
    return this.#update(accountId, (r) => ({ ...r, verifiedKeys: null, verifiedAt: null }));
  }

  /** The user has seen the warning about a key change: stop showing it. A lost verification stays lost. */
  acknowledge(accountId: string): Promise<Contact> {
    return this.#update(accountId, (r) => ({ ...r, change: null }));
  }

  #update(accountId: string, change: (record: ContactRecord) => ContactRecord): Promise<Contact> {
    return this.#serial(async () => {
      const record = await this.store.load(accountId);
      if (!record) return this.contact(accountId);
      const updated = change(record);
      await this.store.save(updated);
      return toContact(updated);
    });
  }
}

function statusOf(record: ContactRecord): ContactStatus {
  if (!record.verifiedKeys) return "unverified";
  return sameKeys(record.verifiedKeys, record.keys) ? "verified" : "changed";
}

function toContact(record: ContactRecord): Contact {
  return { accountId: record.accountId, status: statusOf(record), keys: record.keys, verifiedAt: record.verifiedAt, change: record.change };
}

function identity(person: PersonKeys): SafetyIdentity {
  return { id: person.accountId, keys: person.keys.map((k) => fromBase64Url(k)) };
}

function union(a: readonly string[] | undefined, b: readonly string[]): string[] {
  return [...new Set([...(a ?? []), ...b])].sort();
}

/**
 * Checks what the other person's screen shows against a comparison made here: their 60 digits as
 * read out or typed (spaces, dashes, Arabic-Indic and full-width digits allowed), or the text of
 * their QR code.
 */
export function checkSafetyCode(comparison: SafetyComparison, input: string): CodeCheck {
  const text = input.trim();
  if (text.startsWith("CSN")) {
    if (text.length !== comparison.qr.length) return "invalid";
    const mine: SafetyIdentity = { id: comparison.ownAccountId, keys: comparison.ownKeys.map((k) => fromBase64Url(k)) };
    const theirs: SafetyIdentity = { id: comparison.accountId, keys: comparison.theirKeys.map((k) => fromBase64Url(k)) };
    return verifySafetyQr(text, mine, theirs) ? "match" : "mismatch";
  }
  const digits = asciiDigits(text);
  if (digits === null || digits.length !== 60) return "invalid";
  return digits === comparison.number ? "match" : "mismatch";
}

/**
 * The decimal digits of what a person typed, as ASCII; null when it holds anything but digits
 * and separators. People read numbers in their own script: Arabic-Indic (U+0660…), Extended
 * Arabic-Indic (U+06F0…, Persian and Urdu) and full-width digits (U+FF10…, Japanese input).
 */
export function asciiDigits(input: string): string | null {
  let out = "";
  for (const ch of input) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x30 && code <= 0x39) out += ch;
    else if (code >= 0x660 && code <= 0x669) out += String(code - 0x660);
    else if (code >= 0x6f0 && code <= 0x6f9) out += String(code - 0x6f0);
    else if (code >= 0xff10 && code <= 0xff19) out += String(code - 0xff10);
    else if (!/[\s\-.,_\u00a0\u2000-\u200f\u2066-\u2069\u3000]/u.test(ch)) return null;
  }
  return out;
}
