export { SealError } from "./errors.ts";
export type { SealFailure } from "./errors.ts";
export {
  SEAL_OVERHEAD,
  SEAL_SUITE,
  deriveSealKeyPair,
  generateSealKeyPair,
  open,
  openAsync,
  seal,
  sealAsync,
  sealPublicKeyOf,
} from "./hpke-seal.ts";
export type { SealKeyPair } from "./hpke-seal.ts";
export { RECOVERY_KEY_LENGTH, RecoveryKeyError, generateRecoveryKey, parseRecoveryKey, recoveryKeyPair } from "./recovery-key.ts";
export type { RecoveryKeyProblem } from "./recovery-key.ts";
