/**
 * The realtime hub of one process: the WebSocket of each connected device, and fan-out of room
 * events, Welcomes and membership changes arriving on the bus. An event is serialized once and
 * written to every connected device of the room's members.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { EPHEMERAL_MAX_CHARS, EphemeralFrame, SendMessage, type RealtimeFrame } from "@commune/protocol";
import { WebSocketServer, type WebSocket } from "ws";
import { RateLimiter } from "../auth/rate-limiter.ts";
import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { authenticate, type Authenticated } from "../services/sessions.ts";
import { sendMessage, toEvent } from "../services/rooms.ts";
import type { Bus, BusMessage } from "./bus.ts";

export const REALTIME_PATH = "/api/v1/realtime";
const MAX_FRAME = 2 * 1024 * 1024;
const AUTH_TIMEOUT_MS = 10_000;
// Ephemeral frames (typing signals) are small and rare: one every few seconds while someone types.
// Over the soft limit a device's frames are dropped with an error frame; a device that keeps
// going far past it is not a person typing, and its socket is closed.
const EPHEMERAL_FRAME_MAX = EPHEMERAL_MAX_CHARS + 256;
const EPHEMERAL_WINDOW_MS = 10_000;
const EPHEMERAL_SOFT_LIMIT = 20;
const EPHEMERAL_HARD_LIMIT = 100;

// WebSocket close codes (RFC 6455 §7.4.1 and the 4000–4999 private range)
export const CLOSE = { policy: 1008, tooBig: 1009, unauthenticated: 4401, deviceRequired: 4403, rateLimited: 4429 } as const;

interface Connection {
  readonly ws: WebSocket;
  readonly auth: Authenticated;
  readonly deviceId: string;
}

export class RealtimeHub {
  readonly #ctx: AppContext;
  readonly #wss: WebSocketServer;
  readonly #devices = new Map<string, Set<Connection>>();
  readonly #accounts = new Map<string, Set<Connection>>();
  readonly #roomMembers = new Map<string, Promise<string[]>>();
  readonly #sendLimit = new RateLimiter(2000, 10_000);
  readonly #ephemeralSoft = new RateLimiter(EPHEMERAL_SOFT_LIMIT, EPHEMERAL_WINDOW_MS);
  readonly #ephemeralHard = new RateLimiter(EPHEMERAL_HARD_LIMIT, EPHEMERAL_WINDOW_MS);
  readonly #unsubscribe: () => void;

  constructor(ctx: AppContext, bus: Bus) {
    this.#ctx = ctx;
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME, perMessageDeflate: false });
    this.#unsubscribe = bus.subscribe((m) => void this.#onBus(m).catch((e: Error) => ctx.logger.warn("realtime_bus_failed", { name: e.name })));
  }

  get connections(): number {
    let n = 0;
    for (const set of this.#devices.values()) n += set.size;
    return n;
  }

  /** Handles an HTTP upgrade on the realtime path (anything else is refused). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? "/", "http://x");
    if (url.pathname !== REALTIME_PATH) {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
      return;
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      void this.#accept(ws, request).catch(() => ws.close(CLOSE.policy));
    });
  }

  async #accept(ws: WebSocket, request: IncomingMessage): Promise<void> {
    // Browsers carry the session cookie (checked against Origin); other clients send
    // {"type":"auth","token":…} as their first frame.
    const cookie = /(?:^|;\s*)commune_session=([A-Za-z0-9_-]{16,128})/.exec(request.headers.cookie ?? "")?.[1];
    let auth: Authenticated | null = null;
    if (cookie) {
      const origin = request.headers.origin;
      const allowed = !origin || origin === new URL(this.#ctx.config.publicUrl).origin || origin === `http://${request.headers.host}` || origin === `https://${request.headers.host}`;
      if (allowed) auth = await authenticate(this.#ctx, cookie);
    }
    if (!auth) auth = await this.#awaitAuthFrame(ws);
    if (!auth) return ws.close(CLOSE.unauthenticated, "sign in first");
    if (!auth.deviceId) return ws.close(CLOSE.deviceRequired, "register this device first");
    const conn: Connection = { ws, auth, deviceId: auth.deviceId };
    this.#add(conn);
    ws.on("close", () => this.#remove(conn));
    ws.on("message", (data, isBinary) => void this.#onFrame(conn, data, isBinary));
    ws.on("error", () => {});
    this.#send(conn, JSON.stringify({ type: "ready", deviceId: conn.deviceId } satisfies RealtimeFrame));
  }

  #awaitAuthFrame(ws: WebSocket): Promise<Authenticated | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(null), AUTH_TIMEOUT_MS);
      const done = (value: Authenticated | null) => {
        clearTimeout(timer);
        ws.off("message", onMessage);
        resolve(value);
      };
      const onMessage = (data: unknown) => {
        let frame: { type?: unknown; token?: unknown };
        try {
          frame = JSON.parse(String(data)) as typeof frame;
        } catch {
          return done(null);
        }
        if (frame?.type !== "auth" || typeof frame.token !== "string") return done(null);
        authenticate(this.#ctx, frame.token).then(done, () => done(null));
      };
      ws.on("message", onMessage);
      ws.once("close", () => done(null));
    });
  }

  #add(conn: Connection): void {
    let byDevice = this.#devices.get(conn.deviceId);
    if (!byDevice) this.#devices.set(conn.deviceId, (byDevice = new Set()));
    byDevice.add(conn);
    let byAccount = this.#accounts.get(conn.auth.account.id);
    if (!byAccount) this.#accounts.set(conn.auth.account.id, (byAccount = new Set()));
    byAccount.add(conn);
  }

  #remove(conn: Connection): void {
    const byDevice = this.#devices.get(conn.deviceId);
    byDevice?.delete(conn);
    if (byDevice?.size === 0) this.#devices.delete(conn.deviceId);
    const byAccount = this.#accounts.get(conn.auth.account.id);
    byAccount?.delete(conn);
    if (byAccount?.size === 0) this.#accounts.delete(conn.auth.account.id);
  }

  #send(conn: Connection, text: string): void {
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(text);
  }

  /** Frames from a device: `send` (an application message) and `ephemeral` are accepted after auth. */
  async #onFrame(conn: Connection, data: unknown, isBinary: boolean): Promise<void> {
    let frame: { type?: unknown; id?: unknown; roomId?: unknown; message?: unknown };
    try {
      if (isBinary) throw new Error("binary");
      frame = JSON.parse(String(data)) as typeof frame;
    } catch {
      return conn.ws.close(CLOSE.policy, "frames are JSON text");
    }
    // a client that sent its token although the cookie already authenticated the socket
    if (frame?.type === "auth") return;
    if (frame?.type === "ephemeral") return this.#onEphemeral(conn, frame, frameSize(data));
    if (frame?.type !== "send" || typeof frame.roomId !== "string") return conn.ws.close(CLOSE.policy, "unknown frame");
    const ref = typeof frame.id === "string" ? frame.id.slice(0, 64) : null;
    if (this.#sendLimit.hit(conn.deviceId) !== null) {
      return this.#send(conn, JSON.stringify({ type: "error", id: ref, code: "rate_limited" }));
    }
    const parsed = SendMessage.safeParse(frame.message);
    if (!parsed.success || !/^[A-Za-z0-9_-]{1,64}$/.test(frame.roomId)) {
      return this.#send(conn, JSON.stringify({ type: "error", id: ref, code: "validation_failed" }));
    }
    try {
      // the session may have been revoked since the socket opened
      const auth = await authenticateAgain(this.#ctx, conn);
      if (!auth) return conn.ws.close(CLOSE.unauthenticated, "session ended");
      const { event, fresh } = await sendMessage(this.#ctx, auth, frame.roomId, parsed.data);
      this.#send(conn, JSON.stringify({ type: "ack", id: ref, seq: event.seq }));
      if (fresh) await this.#ctx.bus.publish({ type: "event", roomId: event.roomId, seq: event.seq, event });
    } catch (error) {
      const code = error instanceof AppError ? error.code : "internal";
      if (!(error instanceof AppError)) this.#ctx.logger.error("realtime_send_failed", { name: (error as Error).name });
      this.#send(conn, JSON.stringify({ type: "error", id: ref, code }));
    }
  }

  /**
   * An ephemeral frame: checked (size, shape, rate, membership) and relayed over the bus to the
   * room's other connected devices. It is never written to the store: a device that is offline
   * simply misses it, as it should miss a typing signal.
   */
  async #onEphemeral(conn: Connection, frame: unknown, size: number): Promise<void> {
    if (this.#ephemeralHard.hit(conn.deviceId) !== null) return conn.ws.close(CLOSE.rateLimited, "too many ephemeral frames");
    if (this.#ephemeralSoft.hit(conn.deviceId) !== null) return this.#send(conn, JSON.stringify({ type: "error", id: null, code: "rate_limited" }));
    if (size > EPHEMERAL_FRAME_MAX) return this.#send(conn, JSON.stringify({ type: "error", id: null, code: "payload_too_large" }));
    const parsed = EphemeralFrame.safeParse(frame);
    if (!parsed.success) return this.#send(conn, JSON.stringify({ type: "error", id: null, code: "validation_failed" }));
    const { roomId, epoch, data } = parsed.data;
    try {
      if (!(await this.#members(roomId)).includes(conn.auth.account.id)) return this.#send(conn, JSON.stringify({ type: "error", id: null, code: "not_found" }));
      await this.#ctx.bus.publish({ type: "ephemeral", roomId, senderDeviceId: conn.deviceId, epoch, data });
    } catch (error) {
      this.#ctx.logger.error("realtime_ephemeral_failed", { name: (error as Error).name });
      this.#send(conn, JSON.stringify({ type: "error", id: null, code: "internal" }));
    }
  }

  async #members(roomId: string): Promise<string[]> {
    let members = this.#roomMembers.get(roomId);
    if (!members) {
      members = this.#ctx.db
        .selectFrom("room_members")
        .select("account_id")
        .where("room_id", "=", roomId)
        .execute()
        .then((rows) => rows.map((r) => r.account_id));
      this.#roomMembers.set(roomId, members);
      members.catch(() => this.#roomMembers.delete(roomId));
    }
    return members;
  }

  async #onBus(message: BusMessage): Promise<void> {
    if (message.type === "revoke") return this.disconnect(message);
    if (message.type === "welcome") {
      const text = JSON.stringify({ type: "welcome", welcome: message.welcome } satisfies RealtimeFrame);
      for (const conn of this.#devices.get(message.deviceId) ?? []) this.#send(conn, text);
      return;
    }
    if (message.type === "ephemeral") {
      const { roomId, senderDeviceId, epoch, data } = message;
      const text = JSON.stringify({ type: "ephemeral", roomId, senderDeviceId, epoch, data } satisfies RealtimeFrame);
      for (const accountId of await this.#members(roomId)) {
        for (const conn of this.#accounts.get(accountId) ?? []) if (conn.deviceId !== senderDeviceId) this.#send(conn, text);
      }
      return;
    }
    if (message.type === "room") {
      this.#roomMembers.delete(message.roomId);
      const text = JSON.stringify({ type: "room", roomId: message.roomId, change: message.change } satisfies RealtimeFrame);
      const targets = message.change === "updated" ? await this.#members(message.roomId) : message.accountIds;
      for (const accountId of new Set([...targets, ...message.accountIds])) for (const conn of this.#accounts.get(accountId) ?? []) this.#send(conn, text);
      return;
    }
    let event = message.event;
    if (!event) {
      const row = await this.#ctx.db.selectFrom("room_events").selectAll().where("room_id", "=", message.roomId).where("seq", "=", message.seq).executeTakeFirst();
      if (!row) return;
      event = toEvent(row);
    }
    const text = JSON.stringify({ type: "event", event } satisfies RealtimeFrame);
    for (const accountId of await this.#members(message.roomId)) {
      for (const conn of this.#accounts.get(accountId) ?? []) this.#send(conn, text);
    }
  }

  /** Sends a frame to every connection of one device on this process. */
  notifyDevice(deviceId: string, frame: RealtimeFrame): void {
    const text = JSON.stringify(frame);
    for (const conn of this.#devices.get(deviceId) ?? []) this.#send(conn, text);
  }

  /** Closes the sockets of a session, a device or an account that just lost access. */
  disconnect(filter: { sessionId?: string; deviceId?: string; accountId?: string; exceptSessionId?: string }): void {
    for (const set of this.#devices.values()) {
      for (const conn of set) {
        if (filter.exceptSessionId && conn.auth.sessionId === filter.exceptSessionId) continue;
        if (
          (filter.sessionId && conn.auth.sessionId === filter.sessionId) ||
          (filter.deviceId && conn.deviceId === filter.deviceId) ||
          (filter.accountId && conn.auth.account.id === filter.accountId)
        ) {
          conn.ws.close(CLOSE.unauthenticated, "session ended");
        }
      }
    }
  }

  async close(): Promise<void> {
    this.#unsubscribe();
    for (const set of this.#devices.values()) for (const conn of set) conn.ws.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}

/** The size in bytes of a frame as `ws` hands it over (a Buffer, or fragments of one). */
function frameSize(data: unknown): number {
  if (Array.isArray(data)) return data.reduce((n: number, part: { length: number }) => n + part.length, 0);
  if (data instanceof ArrayBuffer) return data.byteLength;
  return (data as { length?: number }).length ?? 0;
}

async function authenticateAgain(ctx: AppContext, conn: Connection): Promise<Authenticated | null> {
  const row = await ctx.db.selectFrom("sessions").select("id").where("id", "=", conn.auth.sessionId).where("expires_at", ">", ctx.now()).executeTakeFirst();
  return row ? conn.auth : null;
}
