export { CommuneClient } from "./client.ts";
export type { ClientOptions } from "./client.ts";
export { ApiError, toApiError } from "./errors.ts";
export { MemoryDeviceStore } from "./device-store.ts";
export type { DeviceStore, StoredDevice } from "./device-store.ts";
export { RealtimeConnection, realtimeUrl } from "./realtime.ts";
export type { RealtimeOptions, ServerFrame } from "./realtime.ts";
