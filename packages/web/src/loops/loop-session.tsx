/**
 * The loops of the signed-in person on this browser. In the tab that leads (see tab-leader.ts):
 * one LoopEngine (MLS state in IndexedDB), one realtime connection that reconnects with backoff,
 * and the work that keeps groups in step — syncing rooms when events arrive, accepting Welcomes,
 * adding and removing devices when the server changes a room's members, relaying typing signals,
 * deleting messages whose timer ran out. Work for one room runs one step at a time, as the engine
 * requires. Other tabs of the profile ask the leader to do that work and hear what happened; they
 * upload and download attachments themselves (that touches no MLS state).
 */
import {
  ApiError,
  RealtimeConnection,
  encryptAttachment,
  expirySweeper,
  lastRead,
  markRead,
  openAttachment,
  realtimeUrl,
  unreadSummary,
  type LoopContent,
  type LoopEngine,
  type LoopMessage,
  type OnProgress,
  type ServerFrame,
  type UnreadSummary,
} from "@commune/client";
import { IndexedDbLoopStore } from "@commune/client/browser";
import type { CreateRoom, OrganizationSummary, Problem, Room } from "@commune/protocol";
import { createContext, use, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import { client } from "../api.ts";
import { useSession } from "../session.tsx";
import { TabLeader, type TabRole, type WireError } from "./tab-leader.ts";
import { sharesTyping } from "./typing-setting.ts";

export type LoopEvent =
  | { readonly type: "messages"; readonly roomId: string; readonly messages: readonly LoopMessage[] }
  /** This device joined a room's MLS group (a Welcome was accepted). */
  | { readonly type: "joined"; readonly roomId: string }
  | { readonly type: "room"; readonly roomId: string; readonly change: "added" | "removed" | "updated" }
  | { readonly type: "read"; readonly roomId: string }
  /** Someone (another account) is typing in a room; shown for a few seconds. */
  | { readonly type: "typing"; readonly roomId: string; readonly accountId: string }
  /** Messages whose disappearing timer ran out were deleted from this device. */
  | { readonly type: "expired"; readonly roomId: string; readonly seqs: readonly number[] };

export type LoopStatus = "starting" | "online" | "offline" | "failed";

type FileContent = Extract<LoopContent, { type: "file" }>;

const BACKOFF_MIN = 1000;
const BACKOFF_MAX = 30_000;
/** Longest wait between two looks for expired messages (setTimeout cannot wait past ~24 days). */
const SWEEP_MAX_MS = 6 * 3600_000;

/** What tabs send each other besides calls: the leader's events and its status. */
type TabEvent = { readonly kind: "event"; readonly event: LoopEvent } | { readonly kind: "status"; readonly status: LoopStatus };

/** Engines are started once per account and device for the page's lifetime (start() makes keys). */
const engines = new Map<string, Promise<LoopEngine>>();

/** A new engine; the MLS code is its own chunk, fetched the first time (see loop-engine.ts). */
async function newEngine(accountId: string, deviceId: string): Promise<LoopEngine> {
  const [{ LoopEngine }, instance] = await Promise.all([import("./loop-engine.ts"), client.instance().catch(() => null)]);
  // the instance says how often devices refresh their keys in each loop; the engine's default else
  const everyMs = instance ? instance.loopKeyRefreshSeconds * 1000 : undefined;
  const refresh = everyMs ? { everyMs, firstWithinMs: Math.min(everyMs, 24 * 3_600_000) } : undefined;
  return new LoopEngine(client, new IndexedDbLoopStore(accountId, deviceId), refresh ? { refresh } : {});
}

function startedEngine(accountId: string, deviceId: string): Promise<LoopEngine> {
  const key = `${accountId}/${deviceId}`;
  let engine = engines.get(key);
  if (!engine) {
    engine = newEngine(accountId, deviceId).then(async (made) => {
      await made.start();
      return made;
    });
    engine.catch(() => engines.delete(key));
    engines.set(key, engine);
  }
  return engine;
}

function serializeError(error: unknown): WireError {
  if (error instanceof ApiError) return { name: error.name, message: error.message, problem: error.problem };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: "Error", message: String(error) };
}

function deserializeError(error: WireError): unknown {
  if (error.problem) return new ApiError(error.problem as Problem);
  // a TypeError is what fetch throws offline: keep it one, so the page says "check your connection"
  const made = error.name === "TypeError" ? new TypeError(error.message) : new Error(error.message);
  made.name = error.name;
  return made;
}

export class LoopSession {
  readonly accountId: string;
  readonly deviceId: string;
  /** For counting mentions; kept current by LoopsProvider. */
  username: string;
  #engine: Promise<LoopEngine> | null = null;
  /** A follower's read-only view of the MLS state (see engine()). */
  #view: LoopEngine | null = null;
  readonly #files: IndexedDbLoopStore;
  readonly #tabs: TabLeader;
  #queues = new Map<string, Promise<unknown>>();
  #creating: Promise<unknown> = Promise.resolve();
  #listeners = new Set<(event: LoopEvent) => void>();
  #stateListeners = new Set<() => void>();
  #connection: RealtimeConnection | null = null;
  #stopped = false;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #sweeper: ReturnType<typeof expirySweeper> | null = null;
  #refreshTimer: ReturnType<typeof setInterval> | null = null;
  #status: LoopStatus = "starting";
  #role: TabRole = "starting";
  #rooms: readonly Room[] | null = null;
  #orgs = new Map<string, OrganizationSummary>();

  constructor(accountId: string, deviceId: string, username: string) {
    this.accountId = accountId;
    this.deviceId = deviceId;
    this.username = username;
    this.#files = new IndexedDbLoopStore(accountId, deviceId);
    this.#tabs = new TabLeader({
      name: `commune-loops:${accountId}:${deviceId}`,
      onLeader: () => this.#lead(),
      onCall: (method, args) => this.#local(method, args),
      onEvent: (event) => this.#fromLeader(event as TabEvent),
      onRole: (role) => {
        this.#role = role;
        this.#changed();
      },
      serializeError,
      deserializeError,
    });
    if (this.#tabs.role === "follower") {
      void this.#tabs.call("status", [], { retry: true }).then(
        (status) => this.#setStatus(status as LoopStatus),
        () => {},
      );
    }
    void this.refreshRooms();
  }

  get status(): LoopStatus {
    return this.#status;
  }
  /** Whether this tab runs the loops ("leader") or acts through the tab that does ("follower"). */
  get role(): TabRole {
    return this.#role;
  }
  get rooms(): readonly Room[] | null {
    return this.#rooms;
  }
  organization(slug: string): OrganizationSummary | undefined {
    return this.#orgs.get(slug);
  }

  /**
   * The engine. In the leading tab, the one that does the work; in another tab, a read-only view
   * of the same state (it is never started and must not send, commit or sync — ask the session).
   */
  engine(): Promise<LoopEngine> {
    if (this.#engine) return this.#engine;
    if (this.#view) return Promise.resolve(this.#view);
    return newEngine(this.accountId, this.deviceId).then((made) => (this.#view ??= made));
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#sweeper?.stop();
    if (this.#refreshTimer) clearInterval(this.#refreshTimer);
    this.#connection?.close();
    this.#connection = null;
    this.#tabs.stop();
  }

  // ---- leading and following ----

  /** This tab was granted the lock: start the engine and connect. */
  async #lead(): Promise<void> {
    this.#engine = startedEngine(this.accountId, this.deviceId);
    try {
      const engine = await this.#engine;
      if (this.#stopped) return;
      this.#connect();
      // disappearing messages: deleted from this device (and the screen) when their timer runs out
      this.#sweeper = expirySweeper(
        engine.store,
        (gone) => {
          const byRoom = new Map<string, number[]>();
          for (const m of gone) byRoom.set(m.roomId, [...(byRoom.get(m.roomId) ?? []), m.seq]);
          for (const [roomId, seqs] of byRoom) this.#emit({ type: "expired", roomId, seqs });
        },
        (error) => console.warn("could not delete expired messages", error),
      );
      // this device's keys in each loop are refreshed now and then (LoopEngine.refreshIfDue): after
      // each sync, and here for loops without traffic
      this.#refreshTimer = setInterval(() => {
        void engine.roomIds().then((ids) => ids.forEach((id) => void this.#refreshIfDue(id)));
      }, engine.refreshCheckEveryMs);
    } catch (error) {
      console.warn("loops could not start", error);
      this.#setStatus("failed");
    }
  }

  /** An event from the leading tab: the same as if it happened here. */
  #fromLeader(message: TabEvent): void {
    if (message.kind === "status") return this.#setStatus(message.status);
    const event = message.event;
    // the leader's engine moved the state on: read it again when asked
    this.#view?.forget();
    if (event.type === "room") void this.refreshRooms().then(() => this.#emit(event));
    else this.#emit(event);
  }

  /** Work only the leader does; `retry` when asking again of a new leader is harmless. */
  #work<T>(method: string, args: readonly unknown[], retry: boolean): Promise<T> {
    return this.#tabs.call(method, args, { retry }) as Promise<T>;
  }

  /** Runs a call in this (leading) tab. */
  #local(method: string, args: readonly unknown[]): Promise<unknown> {
    const [a, b] = args as [string, never];
    switch (method) {
      case "status":
        return Promise.resolve(this.#status);
      case "joined":
        return this.#engineReady().then((e) => e.joined(a));
      case "history":
        return this.#engineReady().then((e) => e.history(a));
      case "syncRoom":
        return this.#syncRoom(a);
      case "acceptWelcomes":
        return this.#acceptWelcomes();
      case "send":
        return this.#send(a, b);
      case "reconcile":
        return this.#serial(a, async () => (await this.#engineReady()).reconcile(a));
      case "createRoom":
        return this.#createRoom(a, b);
      case "unread":
        return this.#engineReady().then((e) => unreadSummary(e.store, a, { accountId: this.accountId, username: this.username }));
      case "lastRead":
        return this.#engineReady().then((e) => lastRead(e.store, a));
      case "markRead":
        return this.#markRead(a, b);
      case "typing":
        return this.#typing(a);
      default:
        return Promise.reject(new Error(`unknown loop call ${method}`));
    }
  }

  #engineReady(): Promise<LoopEngine> {
    return this.#engine ?? Promise.reject(new Error("this tab does not run the loops"));
  }

  // ---- subscriptions ----

  subscribe(listener: (event: LoopEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  /** For useSyncExternalStore: status, tab role and room list. */
  subscribeState = (listener: () => void): (() => void) => {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  };
  #emit(event: LoopEvent): void {
    this.#view?.forget();
    this.#tabs.broadcast({ kind: "event", event } satisfies TabEvent);
    for (const listener of this.#listeners) listener(event);
  }
  #changed(): void {
    for (const listener of this.#stateListeners) listener();
  }
  #setStatus(status: LoopStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    this.#tabs.broadcast({ kind: "status", status } satisfies TabEvent);
    this.#changed();
  }

  // ---- the realtime connection (leader) ----

  #connect(): void {
    // The page is authenticated by its session cookie. (client.connect would also send the bearer
    // token that signing in returned as an auth frame, which the server refuses once the cookie
    // has authenticated the socket.)
    const connection = new RealtimeConnection({
      url: realtimeUrl(client.baseUrl),
      token: null,
      onFrame: (frame) => this.#onFrame(frame),
      onClose: (code) => {
        if (this.#connection === connection) this.#connection = null;
        if (this.#stopped) return;
        this.#setStatus("offline");
        // 4401: the session ended; asking the server lets the page notice and sign out
        if (code === 4401) void client.me().catch(() => {});
        const delay = Math.min(BACKOFF_MAX, BACKOFF_MIN * 2 ** this.#attempt++) * (0.75 + Math.random() / 2);
        this.#timer = setTimeout(() => {
          this.#timer = null;
          if (!this.#stopped) this.#connect();
        }, delay);
      },
    });
    this.#connection = connection;
    connection.ready.then(
      () => {
        if (this.#stopped) return;
        this.#attempt = 0;
        this.#setStatus("online");
        // catch up on what happened while this page was away or offline
        void this.acceptWelcomes();
        void this.refreshRooms().then(async (rooms) => {
          const engine = await this.#engineReady();
          for (const room of rooms ?? []) if (await engine.joined(room.id)) void this.syncRoom(room.id);
        });
      },
      () => {},
    );
  }

  #onFrame(frame: ServerFrame): void {
    if (frame.type === "event") void this.syncRoom(frame.event.roomId);
    else if (frame.type === "ephemeral") void this.#onEphemeral(frame);
    else if (frame.type === "welcome") void this.acceptWelcomes();
    else if (frame.type === "key-packages-low") void this.#serial("key-packages", async () => (await this.#engineReady()).topUpKeyPackages());
    else if (frame.type === "room") {
      const { roomId, change } = frame;
      void this.refreshRooms().then(() => {
        this.#emit({ type: "room", roomId, change });
        if (change === "added") void this.acceptWelcomes();
        if (change === "updated" && this.mayReconcile(roomId)) {
          // other organizers' devices race to do the same; the server takes one commit per epoch
          // and the rest find nothing left to do. A short random delay thins the race.
          void this.#serial(roomId, async () => {
            const engine = await this.#engineReady();
            if (!(await engine.joined(roomId))) return;
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 150));
            await engine.reconcile(roomId);
          });
        }
      });
    }
  }

  /** A typing signal: decrypted only when this person shares typing (then they also see it). */
  async #onEphemeral(frame: Extract<ServerFrame, { type: "ephemeral" }>): Promise<void> {
    if (!sharesTyping(this.accountId)) return;
    const signal = await this.#serial(frame.roomId, async () => (await this.#engineReady()).openEphemeral(frame)).catch(() => null);
    if (signal && signal.senderAccountId !== this.accountId) this.#emit({ type: "typing", roomId: frame.roomId, accountId: signal.senderAccountId });
  }

  /** Organizers and administrators bring their organization's loops in line; in a direct loop, both people. */
  mayReconcile(roomId: string): boolean {
    const room = this.#rooms?.find((r) => r.id === roomId);
    if (!room) return false;
    if (room.kind === "direct") return true;
    const role = this.#orgs.get(room.organizationSlug)?.role;
    return role === "admin" || role === "organizer";
  }

  // ---- work, one step at a time per room (leader) ----

  #serial<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(key) ?? Promise.resolve();
    // a room being created is not touched until its creator's first commit is saved
    const creating = this.#creating;
    const next = previous.catch(() => {}).then(() => creating.catch(() => {})).then(task);
    const settled = next.catch(() => {});
    this.#queues.set(key, settled);
    void settled.then(() => {
      if (this.#queues.get(key) === settled) this.#queues.delete(key);
    });
    return next;
  }

  async refreshRooms(): Promise<readonly Room[] | null> {
    try {
      const [rooms, orgs] = await Promise.all([client.rooms(), client.organizations()]);
      this.#orgs = new Map(orgs.map((o) => [o.slug, o]));
      this.#rooms = rooms;
      this.#changed();
    } catch (error) {
      console.warn("could not load loops", error);
    }
    return this.#rooms;
  }

  /** Reads what is new in a room; the messages go to subscribers. Never throws. */
  syncRoom(roomId: string): Promise<readonly LoopMessage[]> {
    return this.#work<readonly LoopMessage[]>("syncRoom", [roomId], true);
  }

  #syncRoom(roomId: string): Promise<readonly LoopMessage[]> {
    return this.#serial(roomId, async () => {
      const engine = await this.#engineReady();
      const messages = await engine.sync(roomId);
      if (messages.length > 0) {
        this.#emit({ type: "messages", roomId, messages });
        if (messages.some((m) => typeof m.expiresAt === "number")) this.#sweeper?.poke();
      }
      void this.#refreshIfDue(roomId);
      return messages;
    }).catch((error: unknown) => {
      console.warn("could not sync the loop", error);
      return [];
    });
  }

  /** Commits fresh keys for this device in the room when due; what it changes arrives as any commit does. */
  #refreshIfDue(roomId: string): Promise<void> {
    return this.#serial(roomId, async () => {
      await (await this.#engineReady()).refreshIfDue(roomId);
    }).catch((error: unknown) => console.warn("could not refresh this device's keys in the loop", error));
  }

  acceptWelcomes(): Promise<string[]> {
    return this.#work<string[]>("acceptWelcomes", [], true);
  }

  #acceptWelcomes(): Promise<string[]> {
    return this.#serial("welcomes", async () => {
      const engine = await this.#engineReady();
      const joined = await engine.acceptWelcomes();
      for (const roomId of joined) {
        this.#emit({ type: "joined", roomId });
        void this.#syncRoom(roomId);
      }
      return joined;
    }).catch((error: unknown) => {
      console.warn("could not accept invitations to loops", error);
      return [];
    });
  }

  joined(roomId: string): Promise<boolean> {
    return this.#work<boolean>("joined", [roomId], true);
  }

  history(roomId: string): Promise<LoopMessage[]> {
    return this.#work<LoopMessage[]>("history", [roomId], true);
  }

  /** Encrypts and sends, then reads the room so the message shows with its place in the log. */
  send(roomId: string, content: LoopContent): Promise<number> {
    // never asked twice: the first leader may have sent it before its tab closed
    return this.#work<number>("send", [roomId, content], false);
  }

  async #send(roomId: string, content: LoopContent): Promise<number> {
    const seq = await this.#serial(roomId, async () => (await this.#engineReady()).send(roomId, content));
    await this.#syncRoom(roomId);
    return seq;
  }

  /**
   * Encrypts a file on this device, uploads the ciphertext with progress, then sends its key in
   * an MLS message. `onProgress` sees the ciphertext's bytes; `signal` cancels the upload.
   */
  async sendFile(roomId: string, file: { name: string; mime: string; bytes: Uint8Array<ArrayBuffer>; caption?: string }, options: { onProgress?: OnProgress; signal?: AbortSignal } = {}): Promise<number> {
    const { ciphertext, key, iv } = await encryptAttachment(file.bytes);
    const uploaded = await client.uploadAttachment(roomId, ciphertext, options);
    return this.send(roomId, {
      type: "file",
      attachment: uploaded.id,
      key,
      iv,
      name: file.name.slice(0, 200),
      mime: file.mime.slice(0, 100),
      size: file.bytes.byteLength,
      ...(file.caption ? { caption: file.caption } : {}),
    });
  }

  reconcile(roomId: string): Promise<{ added: number; removed: number }> {
    return this.#work("reconcile", [roomId], false);
  }

  async createRoom(slug: string, input: CreateRoom): Promise<Room> {
    const room = await this.#work<Room>("createRoom", [slug, input], false);
    await this.refreshRooms();
    return room;
  }

  async #createRoom(slug: string, input: CreateRoom): Promise<Room> {
    const created = this.#creating.catch(() => {}).then(async () => (await this.#engineReady()).createRoom(slug, input));
    this.#creating = created;
    return created;
  }

  /** Downloads (with progress) and decrypts an attachment, or takes it from this device's cache. */
  openFile(roomId: string, content: FileContent, options: { onProgress?: OnProgress; signal?: AbortSignal } = {}): Promise<Uint8Array<ArrayBuffer>> {
    return openAttachment(client, this.#files, roomId, content, options);
  }

  /** Tells the room's other connected devices that this person is typing (when they share typing). */
  typing(roomId: string): Promise<void> {
    if (!sharesTyping(this.accountId)) return Promise.resolve();
    return this.#work<void>("typing", [roomId], false).catch(() => {});
  }

  async #typing(roomId: string): Promise<void> {
    const connection = this.#connection;
    if (!connection || !sharesTyping(this.accountId)) return;
    const sealed = await this.#serial(roomId, async () => (await this.#engineReady()).sealEphemeral(roomId, { type: "typing" }));
    if (sealed) connection.sendEphemeral(sealed);
  }

  // ---- what was read: the last seq seen per room, on this device ----

  lastRead(roomId: string): Promise<number> {
    return this.#work<number>("lastRead", [roomId], true);
  }

  markRead(roomId: string, seq: number): void {
    void this.#work("markRead", [roomId, seq], true).catch(() => {});
  }

  async #markRead(roomId: string, seq: number): Promise<void> {
    if (await markRead((await this.#engineReady()).store, roomId, seq)) this.#emit({ type: "read", roomId });
  }

  /** Messages from others this device read after the last one seen on screen, and mentions of this person among them. */
  unread(roomId: string): Promise<UnreadSummary> {
    return this.#work<UnreadSummary>("unread", [roomId], true);
  }
}

const LoopContext = createContext<LoopSession | null>(null);

export function LoopsProvider({ children }: { children: ReactNode }) {
  const session = useSession();
  const accountId = session.account?.id ?? null;
  const username = session.account?.username ?? "";
  const deviceId = session.deviceId;
  const [loops, setLoops] = useState<LoopSession | null>(null);
  useEffect(() => {
    if (!accountId || !deviceId) return;
    const made = new LoopSession(accountId, deviceId, username);
    setLoops(made);
    return () => {
      made.stop();
      setLoops(null);
    };
    // a new username does not need a new session (see the effect below)
  }, [accountId, deviceId]);
  useEffect(() => {
    if (loops) loops.username = username;
  }, [loops, username]);
  return <LoopContext value={loops}>{children}</LoopContext>;
}

/** The loops of the signed-in person; null until the device is registered. */
export function useLoops(): LoopSession | null {
  return use(LoopContext);
}

const noSubscribe = () => () => {};

export function useLoopStatus(loops: LoopSession | null): LoopStatus {
  return useSyncExternalStore(loops?.subscribeState ?? noSubscribe, () => loops?.status ?? "starting");
}

export function useLoopRole(loops: LoopSession | null): TabRole {
  return useSyncExternalStore(loops?.subscribeState ?? noSubscribe, () => loops?.role ?? "starting");
}

export function useLoopRooms(loops: LoopSession | null): readonly Room[] | null {
  return useSyncExternalStore(loops?.subscribeState ?? noSubscribe, () => loops?.rooms ?? null);
}

export function useLoopEvents(loops: LoopSession | null, handler: (event: LoopEvent) => void): void {
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  useEffect(() => loops?.subscribe((event) => latest.current(event)), [loops]);
}
