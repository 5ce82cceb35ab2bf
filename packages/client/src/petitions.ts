/**
 * Petitions for organizers: write and publish them, and read their signatures, which arrive
 * sealed to the organization's key and are opened here, on the organizer's device.
 */
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
import { csvDocument } from "./csv.ts";
import type { OrganizationKeyRing } from "./organization-keys.ts";
import { openAll, openSealedJson, sealedPages, type OpenProgress } from "./sealed-records.ts";

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

export type { OpenProgress };

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
  sealedSignatures(orgSlug: string, id: string, pageSize = 500): AsyncGenerator<SealedSignature[]> {
    return sealedPages(this.#client, `/api/v1/orgs/${seg(orgSlug)}/petitions/${seg(id)}/signatures`, pageSize);
  }

  /**
   * Fetches and opens every signature with the organization's keys held by this device. Yields to
   * the page between batches so a progress bar can move while thousands are opened.
   */
  async openSignatures(orgSlug: string, petition: Petition, onProgress?: (progress: OpenProgress) => void): Promise<OpenedSignature[]> {
    const ring = await this.#client.organizationKeyRing(orgSlug);
    const info = petitionSealInfo(petition.id);
    return openAll(this.sealedSignatures(orgSlug, petition.id), (signature) => openOne(signature, ring, info, petition), onProgress);
  }
}

async function openOne(signature: SealedSignature, ring: OrganizationKeyRing | null, info: Uint8Array, petition: Petition): Promise<OpenedSignature> {
  const base = { id: signature.id, status: signature.status, createdAt: signature.createdAt, confirmedAt: signature.confirmedAt };
  const opened = await openSealedJson(ring, signature, info);
  if (!opened.ok) return { ...base, ok: false, problem: opened.problem };
  if (!isPayload(opened.value, petition)) return { ...base, ok: false, problem: "invalid" };
  return { ...base, ok: true, payload: opened.value };
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

/** The opened signatures as CSV (formula cells defused, see csv.ts), for a spreadsheet. */
export function signaturesCsv(signatures: readonly OpenedSignature[]): string {
  const rows = signatures.flatMap((s) => {
    if (!s.ok) return [];
    const p = s.payload;
    return [[s.status, new Date(p.signedAt).toISOString(), s.confirmedAt === null ? "" : new Date(s.confirmedAt).toISOString(), p.name, p.email, p.postalCode, p.country, p.comment, p.showPublicly, p.keepInformed, p.language]];
  });
  return csvDocument(CSV_COLUMNS, rows);
}
