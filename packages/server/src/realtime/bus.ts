/**
 * How one server process tells the others (and itself) that something happened in a room.
 * In-process by default; PostgreSQL LISTEN/NOTIFY when several processes share one database
 * (`COMMUNE_BUS_URL=postgres://…`). Messages are small pointers plus, when it fits, the event itself.
 */
import pg from "pg";
import type { RoomEvent, Welcome } from "@commune/protocol";

export type BusMessage =
  | { readonly type: "event"; readonly roomId: string; readonly seq: number; readonly event?: RoomEvent }
  | { readonly type: "welcome"; readonly deviceId: string; readonly welcome: Welcome }
  /** Room membership changed: drop cached member lists, tell the accounts concerned. */
  | { readonly type: "room"; readonly roomId: string; readonly change: "added" | "removed" | "updated"; readonly accountIds: readonly string[] }
  /** An ephemeral MLS message (a typing signal) for the room's connected devices; never stored. */
  | { readonly type: "ephemeral"; readonly roomId: string; readonly senderDeviceId: string; readonly epoch: number; readonly data: string }
  /** A session, a device or a whole account lost access: close its sockets on every process. */
  | { readonly type: "revoke"; readonly sessionId?: string; readonly deviceId?: string; readonly accountId?: string; readonly exceptSessionId?: string };

export interface Bus {
  publish(message: BusMessage): Promise<void>;
  subscribe(handler: (message: BusMessage) => void): () => void;
  close(): Promise<void>;
}

export class InProcessBus implements Bus {
  #handlers = new Set<(message: BusMessage) => void>();
  async publish(message: BusMessage): Promise<void> {
    for (const handler of this.#handlers) handler(message);
  }
  subscribe(handler: (message: BusMessage) => void): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }
  async close(): Promise<void> {
    this.#handlers.clear();
  }
}

const CHANNEL = "commune_bus";
// NOTIFY payloads are limited to 8000 bytes; larger events travel as a pointer and are read back.
const MAX_PAYLOAD = 7000;

export class PostgresBus implements Bus {
  readonly #url: string;
  readonly #channel: string;
  #listener: pg.Client | null = null;
  #publisher: pg.Pool;
  #handlers = new Set<(message: BusMessage) => void>();
  #onError: (error: Error) => void;

  constructor(url: string, options: { channelSuffix?: string; onError: (error: Error) => void }) {
    this.#url = url;
    this.#channel = options.channelSuffix ? `${CHANNEL}_${options.channelSuffix}` : CHANNEL;
    this.#publisher = new pg.Pool({ connectionString: url, max: 2 });
    this.#publisher.on("error", () => {});
    this.#onError = options.onError;
  }

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#url });
    client.on("error", (error) => this.#onError(error));
    client.on("notification", (n) => {
      if (n.channel !== this.#channel || !n.payload) return;
      let message: BusMessage;
      try {
        message = JSON.parse(n.payload) as BusMessage;
      } catch {
        return;
      }
      for (const handler of this.#handlers) handler(message);
    });
    await client.connect();
    await client.query(`LISTEN ${this.#channel}`);
    this.#listener = client;
  }

  async publish(message: BusMessage): Promise<void> {
    let payload = JSON.stringify(message);
    if (payload.length > MAX_PAYLOAD && message.type === "event") payload = JSON.stringify({ type: "event", roomId: message.roomId, seq: message.seq });
    if (payload.length > MAX_PAYLOAD) throw new Error("bus message too large");
    await this.#publisher.query("SELECT pg_notify($1, $2)", [this.#channel, payload]);
  }

  subscribe(handler: (message: BusMessage) => void): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.#handlers.clear();
    await this.#listener?.end().catch(() => {});
    await this.#publisher.end().catch(() => {});
  }
}
