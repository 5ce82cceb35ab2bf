export { IndexedDbDeviceStore } from "./indexeddb-device-store.ts";
export { IndexedDbLoopStore } from "./indexeddb-loop-store.ts";
