/**
 * Petitions for organizers: write and publish them, and read their signatures, which arrive
 * sealed to the organization's key and are opened here, on the organizer's device.
 */
import { fromBase64Url } from "@commune/crypto";
import {
  PETITION_TEXT_FIELDS,
  petitionSealInfo,
  signaturePayloadProblems,
  type CreatePetition,
  type Petition,
  type SealedSignature,
  type SignaturePayload,
  type UpdatePetition,
} from "@commune/protocol";
import type { CommuneClient } from "./client.ts";

const seg = encodeURIComponent;

/** A signature after opening: its payload, or why it could not be read. */
export type OpenedSignature =
  | { readonly id: string; readonly status: SealedSignature["status"]; readonly createdAt: number; readonly confirmedAt: number | null; readonly ok: true; readonly payload: SignaturePayload }
  | {
      readonly id: string;
      readonly status: SealedSignature["status"];
      readonly createdAt: number;
      readonly confirmedAt: number | null;
      readonly ok: false;
      /** `no_key`: sealed to a key this device does not hold; `unreadable`: not a valid sealing; `invalid`: opened, but breaks the petition's rules (sent around the public page). */
      readonly problem: "no_key" | "unreadable" | "invalid";
    };

export interface OpenProgress {
  readonly done: number;
  /** Total once known (after the last page has been fetched). */
  readonly total: number | null;
}

export class PetitionsClient {
  #client: CommuneClient;

  constructor(client: CommuneClient) {
    this.#client = client;
  }

  list(orgSlug: string): Promise<Petition[]> {
    return this.#client.request("GET", `/api/v1/orgs/${seg(orgSlug)}/petitions`);
  }
  create(orgSlug: string, input: CreatePetition): Promise<Petition> {
    return this.#client.request("POST", `/api/v1/orgs/${seg(orgSlug)}/petitions`, input);
  }
  get(orgSlug: string, id: string): Promise<Petition> {
    return this.#client.request("GET", `/api/v1/orgs/${seg(orgSlug)}/petitions/${seg(id)}`);
  }
  update(orgSlug: string, id: string, input: UpdatePetition): Promise<Petition> {
    return this.#client.request("PATCH", `/api/v1/orgs/${seg(orgSlug)}/petitions/${seg(id)}`, input);
  }
  publish(orgSlug: string, id: string): Promise<Petition> {
    return this.#client.request("POST", `/api/v1/orgs/${seg(orgSlug)}/petitions/${seg(id)}/publish`);
  }
  close(orgSlug: string, id: string): Promise<Petition> {
    return this.#client.request("POST", `/api/v1/orgs/${seg(orgSlug)}/petitions/${seg(id)}/close`);
  }
  delete(orgSlug: string, id: string): Promise<void> {
    return this.#client.request("DELETE", `/api/v1/orgs/${seg(orgSlug)}/petitions/${seg(id)}`);
  }
  deleteSignature(orgSlug: string, id: string, signatureId: string): Promise<void> {
    return this.#client.request("DELETE", `/api/v1/orgs/${seg(orgSlug)}/petitions/${seg(id)}/signatures/${seg(signatureId)}`);
  }

  /** Every sealed signature, page by page. */
  async *sealedSignatures(orgSlug: string, id: string, pageSize = 500): AsyncGenerator<SealedSignature[]> {
    let after: string | null = null;
    do {
      const query: string = `limit=${pageSize}${after ? `&after=${seg(after)}` : ""}`;
      const page: { items: SealedSignature[]; next: string | null } = await this.#client.request("GET", `/api/v1/orgs/${seg(orgSlug)}/petitions/${seg(id)}/signatures?${query}`);
      if (page.items.length > 0) yield page.items;
      after = page.next;
    } while (after);
  }

  /**
   * Fetches and opens every signature with the organization's keys held by this device. Yields to
   * the page between batches so a progress bar can move while thousands are opened.
   */
  async openSignatures(orgSlug: string, petition: Petition, onProgress?: (progress: OpenProgress) => void): Promise<OpenedSignature[]> {
    const ring = await this.#client.organizationKeyRing(orgSlug);
    const info = petitionSealInfo(petition.id);
    const opened: OpenedSignature[] = [];
    for await (const page of this.sealedSignatures(orgSlug, petition.id)) {
      for (const signature of page) opened.push(await openOne(signature, ring, info, petition));
      onProgress?.({ done: opened.length, total: null });
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    onProgress?.({ done: opened.length, total: opened.length });
    return opened;
  }
}

type KeyRing = Awaited<ReturnType<CommuneClient["organizationKeyRing"]>>;

async function openOne(signature: SealedSignature, ring: KeyRing, info: Uint8Array, petition: Petition): Promise<OpenedSignature> {
  const base = { id: signature.id, status: signature.status, createdAt: signature.createdAt, confirmedAt: signature.confirmedAt };
  if (!ring || !ring.has(signature.keyId)) return { ...base, ok: false, problem: "no_key" };
  let payload: SignaturePayload;
  try {
    const bytes = await ring.openAsync(signature.keyId, fromBase64Url(signature.sealed), info);
    payload = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) as SignaturePayload;
  } catch {
    return { ...base, ok: false, problem: "unreadable" };
  }
  if (!isPayload(payload, petition)) return { ...base, ok: false, problem: "invalid" };
  return { ...base, ok: true, payload };
}

/** The server cannot check sealed answers: a signature sent around the public page is checked here. */
function isPayload(value: unknown, petition: Petition): value is SignaturePayload {
  if (!value || typeof value !== "object") return false;
  const p = value as Record<string, unknown>;
  if (p.v !== 1 || p.petitionId !== petition.id || typeof p.email !== "string" || typeof p.signedAt !== "number") return false;
  if (typeof p.showPublicly !== "boolean" || typeof p.keepInformed !== "boolean" || typeof p.language !== "string") return false;
  const texts: Record<string, string> = {};
  for (const field of PETITION_TEXT_FIELDS) {
    if (p[field] === undefined) continue;
    if (typeof p[field] !== "string") return false;
    texts[field] = p[field];
  }
  return signaturePayloadProblems(petition.fields, texts).length === 0;
}

const CSV_COLUMNS = ["status", "signedAt", "confirmedAt", "name", "email", "postalCode", "country", "comment", "showPublicly", "keepInformed", "language"] as const;

/**
 * The opened signatures as CSV (RFC 4180), for a spreadsheet. Cells that a spreadsheet would run as
 * a formula (starting with = + - @ or a tab) are prefixed with an apostrophe: a signer's comment
 * must not become code on the organizer's computer.
 */
export function signaturesCsv(signatures: readonly OpenedSignature[]): string {
  const cell = (value: string | number | boolean | null | undefined): string => {
    let text = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [CSV_COLUMNS.join(",")];
  for (const s of signatures) {
    if (!s.ok) continue;
    const p = s.payload;
    lines.push(
      [
        s.status,
        new Date(p.signedAt).toISOString(),
        s.confirmedAt === null ? "" : new Date(s.confirmedAt).toISOString(),
        p.name,
        p.email,
        p.postalCode,
        p.country,
        p.comment,
        p.showPublicly,
        p.keepInformed,
        p.language,
      ]
        .map(cell)
        .join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}
