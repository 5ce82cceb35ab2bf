/** Safety numbers, verified contacts and key-change warnings, kept on the device. */
export { asciiDigits, checkSafetyCode, ContactVerifier } from "./contact-verifier.ts";
export type { CodeCheck, Contact, ContactStatus, ContactVerifierOptions, MarkOutcome, SafetyComparison } from "./contact-verifier.ts";
export { collectKeys, diffKeys, sameKeys } from "./person-keys.ts";
export type { LeafKey, PersonKeys } from "./person-keys.ts";
export { LoopStoreVerificationStore, MemoryVerificationStore, parseContactRecord } from "./verification-store.ts";
export type { ContactRecord, KeyChange, VerificationStore } from "./verification-store.ts";
