export { IndexedDbDeviceStore } from "./indexeddb-device-store.ts";
