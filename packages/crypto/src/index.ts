export { fromBase64Url, randomToken, toBase64Url } from "./encoding.ts";
export {
  exportDeviceKeyPair,
  generateDeviceKeyPair,
  importDeviceKeyPair,
  sign,
  verify,
} from "./device-keys.ts";
export type { DeviceKeyPair } from "./device-keys.ts";
