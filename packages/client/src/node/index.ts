export { FileDeviceStore } from "./file-device-store.ts";
export { FileVerificationStore } from "../verification/file-verification-store.ts";
