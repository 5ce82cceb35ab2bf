/**
 * Records sealed to the organization's key — petition signatures, form responses — fetched page
 * by page and opened on the organizer's device, with progress for long lists.
 */
import { fromBase64Url } from "@commune/crypto";
import type { CommuneClient } from "./client.ts";
import type { OrganizationKeyRing } from "./organization-keys.ts";

/** How far the opening of a list has come. */
export interface OpenProgress {
  readonly done: number;
  /** Total once known (after the last page has been fetched). */
  readonly total: number | null;
}

/** What a sealed record from the server carries, whatever it is. */
export interface SealedRecord {
  readonly id: string;
  readonly keyId: string;
  readonly sealed: string;
}

/** Why a record could not be opened: sealed to a key this device lacks, or not a valid sealing of JSON. */
export type OpenFailure = "no_key" | "unreadable";

/** Every record of a paged listing (`?limit=&after=` → `{ items, next }`), page by page. */
export async function* sealedPages<T>(client: CommuneClient, path: string, pageSize = 500): AsyncGenerator<T[]> {
  let after: string | null = null;
  do {
    const query: string = `limit=${pageSize}${after ? `&after=${encodeURIComponent(after)}` : ""}`;
    const page: { items: T[]; next: string | null } = await client.request("GET", `${path}?${query}`);
    if (page.items.length > 0) yield page.items;
    after = page.next;
  } while (after);
}

/** Opens one record and parses its JSON; the caller checks the shape against its own rules. */
export async function openSealedJson(ring: OrganizationKeyRing | null, record: SealedRecord, info: Uint8Array): Promise<{ ok: true; value: unknown } | { ok: false; problem: OpenFailure }> {
  if (!ring || !ring.has(record.keyId)) return { ok: false, problem: "no_key" };
  try {
    const plaintext = await ring.openAsync(record.keyId, fromBase64Url(record.sealed), info);
    return { ok: true, value: JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(plaintext)) as unknown };
  } catch {
    return { ok: false, problem: "unreadable" };
  }
}

/**
 * Fetches every page and turns each record into `R` with `openOne`, yielding to the page between
 * pages so a progress bar can move while thousands are opened.
 */
export async function openAll<T, R>(pages: AsyncIterable<T[]>, openOne: (record: T) => Promise<R>, onProgress?: (progress: OpenProgress) => void): Promise<R[]> {
  const opened: R[] = [];
  for await (const page of pages) {
    for (const record of page) opened.push(await openOne(record));
    onProgress?.({ done: opened.length, total: null });
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  onProgress?.({ done: opened.length, total: opened.length });
  return opened;
}
