export { FileDeviceStore } from "./file-device-store.ts";
