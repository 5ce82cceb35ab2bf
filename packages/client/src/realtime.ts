/**
 * The realtime connection of one device: room events, Welcomes and membership changes pushed by
 * the server, and a fast path for sending application messages. Uses the platform's WebSocket
 * (browsers, Node ≥ 22). Browsers authenticate with the session cookie; other clients send their
 * token in the first frame (a WebSocket cannot carry an Authorization header from a browser, and
 * a token in the URL would end up in logs).
 */
import type { EphemeralFrame, RealtimeFrame, SendMessage } from "@commune/protocol";

export type ServerFrame = RealtimeFrame | { type: "ack"; id: string | null; seq: number } | { type: "error"; id: string | null; code: string };

export interface RealtimeOptions {
  readonly url: string;
  readonly token: string | null;
  readonly onFrame: (frame: ServerFrame) => void;
  readonly onClose?: (code: number, reason: string) => void;
}

export class RealtimeConnection {
  readonly #ws: WebSocket;
  readonly #pending = new Map<string, { resolve: (seq: number) => void; reject: (error: Error & { code?: string }) => void }>();
  readonly ready: Promise<string>;
  #closed = false;

  constructor(options: RealtimeOptions) {
    this.#ws = new WebSocket(options.url);
    let readyResolve!: (deviceId: string) => void;
    let readyReject!: (error: Error) => void;
    this.ready = new Promise((resolve, reject) => {
      readyResolve = resolve;
      readyReject = reject;
    });
    this.ready.catch(() => {});
    this.#ws.addEventListener("open", () => {
      if (options.token) this.#ws.send(JSON.stringify({ type: "auth", token: options.token }));
    });
    this.#ws.addEventListener("message", (e) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(e.data)) as ServerFrame;
      } catch {
        return;
      }
      if (frame.type === "ready") readyResolve(frame.deviceId);
      if ((frame.type === "ack" || frame.type === "error") && frame.id) {
        const waiter = this.#pending.get(frame.id);
        this.#pending.delete(frame.id);
        if (waiter && frame.type === "ack") waiter.resolve(frame.seq);
        if (waiter && frame.type === "error") waiter.reject(Object.assign(new Error(frame.code), { code: frame.code }));
      }
      options.onFrame(frame);
    });
    this.#ws.addEventListener("close", (e) => {
      this.#closed = true;
      readyReject(Object.assign(new Error(`closed ${e.code}`), { code: String(e.code) }));
      for (const waiter of this.#pending.values()) waiter.reject(Object.assign(new Error("connection closed"), { code: "closed" }));
      this.#pending.clear();
      options.onClose?.(e.code, e.reason);
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends an application message over the socket; resolves with its sequence number once stored. */
  send(roomId: string, message: SendMessage): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#pending.set(message.id, { resolve, reject });
      this.#ws.send(JSON.stringify({ type: "send", id: message.id, roomId, message }));
    });
  }

  /**
   * Sends an ephemeral frame (a typing signal): relayed to the room's connected devices, never
   * stored, never acknowledged. Returns false when the socket is not open (the signal is dropped).
   */
  sendEphemeral(frame: Omit<EphemeralFrame, "type">): boolean {
    if (this.#ws.readyState !== WebSocket.OPEN) return false;
    this.#ws.send(JSON.stringify({ type: "ephemeral", ...frame } satisfies EphemeralFrame));
    return true;
  }

  close(): void {
    this.#ws.close(1000);
  }
}

/** ws(s):// URL of the realtime endpoint for a client whose base URL may be "" (same origin). */
export function realtimeUrl(baseUrl: string): string {
  const base = baseUrl || (globalThis as { location?: { origin: string } }).location?.origin || "";
  return `${base.replace(/^http/, "ws")}/api/v1/realtime`;
}
