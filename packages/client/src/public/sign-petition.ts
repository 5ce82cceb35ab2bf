/**
 * Signing a petition as a member of the public: the answers are checked against the petition's
 * fields, sealed to the organization's key on this device, and sent with a solved proof of work.
 * The email address goes twice: sealed for the organization, and in clear for the confirmation
 * mail (the server does not keep it).
 */
import { fromBase64Url, sealAsync, toBase64Url } from "@commune/crypto";
import { petitionSealInfo, signaturePayloadProblems } from "@commune/protocol/public";
import type {
  Language,
  PetitionTextField,
  PowChallenge,
  PublicPetition,
  SignatureConfirmation,
  SignaturePayload,
  SignatureReceipt,
} from "@commune/protocol";
import type { PublicApi } from "./public-api.ts";

export interface SignerAnswers {
  readonly email: string;
  readonly name?: string;
  readonly postalCode?: string;
  readonly country?: string;
  readonly comment?: string;
  readonly showPublicly?: boolean;
  readonly keepInformed?: boolean;
}

export type SigningStage = "challenge" | "solving" | "sealing" | "sending";

export interface SignOptions {
  readonly language: Language;
  /** Solves the server's challenge; the browser passes one that runs in a worker with progress. */
  readonly solve: (challenge: PowChallenge) => Promise<string>;
  readonly onStage?: (stage: SigningStage) => void;
  /** For tests and benchmarks: the moment recorded inside the sealed signature. */
  readonly now?: number;
}

export interface SignResult extends SignatureReceipt {
  readonly resent: boolean;
}

/** Thrown before anything is sent when answers break the petition's rules. */
export class SignerInputError extends Error {
  readonly fields: readonly PetitionTextField[];
  constructor(fields: readonly PetitionTextField[]) {
    super(`some answers are missing or too long: ${fields.join(", ")}`);
    this.name = "SignerInputError";
    this.fields = fields;
  }
}

export function publicPetition(api: PublicApi, slug: string): Promise<PublicPetition> {
  return api.request("GET", `/api/v1/public/petitions/${encodeURIComponent(slug)}`);
}

/**
 * What the organization will read, sealed: only the fields the petition asks for. X25519 runs on
 * WebCrypto where the browser has it (about 8x faster than in JavaScript on a cheap phone).
 */
export async function sealSignature(petition: PublicPetition, answers: SignerAnswers, language: Language, now: number): Promise<{ keyId: string; sealed: string }> {
  if (!petition.key) throw new Error("the organization has no key yet");
  const problems = signaturePayloadProblems(petition.fields, answers);
  if (problems.length > 0) throw new SignerInputError(problems);
  const text = (field: PetitionTextField) => {
    const value = answers[field]?.trim();
    return petition.fields[field] !== "off" && value ? { [field]: value } : {};
  };
  const payload: SignaturePayload = {
    v: 1,
    petitionId: petition.id,
    email: answers.email.trim(),
    ...text("name"),
    ...text("postalCode"),
    ...text("country"),
    ...text("comment"),
    showPublicly: petition.fields.showPublicly && answers.showPublicly === true,
    keepInformed: petition.fields.keepInformed && answers.keepInformed === true,
    language,
    signedAt: now,
  };
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  const sealed = await sealAsync(fromBase64Url(petition.key.publicKey), bytes, petitionSealInfo(petition.id));
  return { keyId: petition.key.id, sealed: toBase64Url(sealed) };
}

export async function signPetition(api: PublicApi, petition: PublicPetition, answers: SignerAnswers, options: SignOptions): Promise<SignResult> {
  // check and seal first: a mistake in the answers should not cost a proof of work
  options.onStage?.("sealing");
  const { keyId, sealed } = await sealSignature(petition, answers, options.language, options.now ?? Date.now());
  options.onStage?.("challenge");
  const challenge = await api.powChallenge(`petition:${petition.id}`);
  options.onStage?.("solving");
  const pow = await options.solve(challenge);
  options.onStage?.("sending");
  const publicName = petition.fields.showPublicly && answers.showPublicly ? (answers.name?.trim() ?? "") : "";
  return api.request("POST", `/api/v1/public/petitions/${encodeURIComponent(petition.slug)}/signatures`, {
    pow,
    keyId,
    sealed,
    email: answers.email.trim(),
    publicName: publicName === "" ? null : publicName,
    language: options.language,
  });
}

export function confirmSignature(api: PublicApi, token: string): Promise<SignatureConfirmation> {
  return api.request("POST", "/api/v1/public/signatures/confirm", { token });
}

export function withdrawSignature(api: PublicApi, token: string): Promise<{ petition: { slug: string } }> {
  return api.request("POST", "/api/v1/public/signatures/withdraw", { token });
}
