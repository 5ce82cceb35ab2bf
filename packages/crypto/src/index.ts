export { fromBase64Url, randomToken, toBase64Url } from "./encoding.ts";
export {
  exportDeviceKeyPair,
  generateDeviceKeyPair,
  importDeviceKeyPair,
  sign,
  verify,
} from "./device-keys.ts";
export type { DeviceKeyPair } from "./device-keys.ts";
export {
  RECOVERY_KEY_LENGTH,
  RecoveryKeyError,
  SEAL_OVERHEAD,
  SEAL_SUITE,
  SealError,
  deriveSealKeyPair,
  generateRecoveryKey,
  generateSealKeyPair,
  open,
  openAsync,
  parseRecoveryKey,
  recoveryKeyPair,
  seal,
  sealAsync,
  sealPublicKeyOf,
} from "./sealing/index.ts";
export type { RecoveryKeyProblem, SealFailure, SealKeyPair } from "./sealing/index.ts";
