/**
 * The loops of the signed-in person on this browser: one LoopEngine (MLS state in IndexedDB), one
 * realtime connection that reconnects with backoff, and the work that keeps groups in step — syncing
 * rooms when events arrive, accepting Welcomes, adding and removing devices when the server changes
 * a room's members. Work for one room runs one step at a time, as the engine requires.
 */
import { LoopEngine, RealtimeConnection, realtimeUrl, type LoopContent, type LoopMessage, type ServerFrame } from "@commune/client";
import { IndexedDbLoopStore } from "@commune/client/browser";
import type { CreateRoom, OrganizationSummary, Room } from "@commune/protocol";
import { createContext, use, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import { client } from "../api.ts";
import { useSession } from "../session.tsx";

export type LoopEvent =
  | { readonly type: "messages"; readonly roomId: string; readonly messages: readonly LoopMessage[] }
  /** This device joined a room's MLS group (a Welcome was accepted). */
  | { readonly type: "joined"; readonly roomId: string }
  | { readonly type: "room"; readonly roomId: string; readonly change: "added" | "removed" | "updated" }
  | { readonly type: "read"; readonly roomId: string };

export type LoopStatus = "starting" | "online" | "offline" | "failed";

const BACKOFF_MIN = 1000;
const BACKOFF_MAX = 30_000;

/** Engines are started once per account and device for the page's lifetime (start() makes keys). */
const engines = new Map<string, Promise<LoopEngine>>();

function startedEngine(accountId: string, deviceId: string): Promise<LoopEngine> {
  const key = `${accountId}/${deviceId}`;
  let engine = engines.get(key);
  if (!engine) {
    const made = new LoopEngine(client, new IndexedDbLoopStore(accountId, deviceId));
    engine = made.start().then(() => made);
    engine.catch(() => engines.delete(key));
    engines.set(key, engine);
  }
  return engine;
}

export class LoopSession {
  readonly accountId: string;
  readonly deviceId: string;
  #engine: LoopEngine | null = null;
  #ready: Promise<LoopEngine>;
  #queues = new Map<string, Promise<unknown>>();
  #creating: Promise<unknown> = Promise.resolve();
  #listeners = new Set<(event: LoopEvent) => void>();
  #stateListeners = new Set<() => void>();
  #connection: RealtimeConnection | null = null;
  #stopped = false;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #status: LoopStatus = "starting";
  #rooms: readonly Room[] | null = null;
  #orgs = new Map<string, OrganizationSummary>();

  constructor(accountId: string, deviceId: string) {
    this.accountId = accountId;
    this.deviceId = deviceId;
    this.#ready = startedEngine(accountId, deviceId);
    this.#ready.then(
      (engine) => {
        this.#engine = engine;
        if (!this.#stopped) this.#connect();
      },
      (error: unknown) => {
        console.warn("loops could not start", error);
        this.#setStatus("failed");
      },
    );
    void this.refreshRooms();
  }

  get status(): LoopStatus {
    return this.#status;
  }
  get rooms(): readonly Room[] | null {
    return this.#rooms;
  }
  organization(slug: string): OrganizationSummary | undefined {
    return this.#orgs.get(slug);
  }
  engine(): Promise<LoopEngine> {
    return this.#ready;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#connection?.close();
    this.#connection = null;
  }

  // ---- subscriptions ----

  subscribe(listener: (event: LoopEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  /** For useSyncExternalStore: status and room list. */
  subscribeState = (listener: () => void): (() => void) => {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  };
  #emit(event: LoopEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
  #changed(): void {
    for (const listener of this.#stateListeners) listener();
  }
  #setStatus(status: LoopStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    this.#changed();
  }

  // ---- the realtime connection ----

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
          const engine = await this.#ready;
          for (const room of rooms ?? []) if (await engine.joined(room.id)) void this.syncRoom(room.id);
        });
      },
      () => {},
    );
  }

  #onFrame(frame: ServerFrame): void {
    if (frame.type === "event") void this.syncRoom(frame.event.roomId);
    else if (frame.type === "welcome") void this.acceptWelcomes();
    else if (frame.type === "key-packages-low") void this.#serial("key-packages", async () => (await this.#ready).topUpKeyPackages());
    else if (frame.type === "room") {
      const { roomId, change } = frame;
      void this.refreshRooms().then(() => {
        this.#emit({ type: "room", roomId, change });
        if (change === "added") void this.acceptWelcomes();
        if (change === "updated" && this.mayReconcile(roomId)) {
          // other organizers' devices race to do the same; the server takes one commit per epoch
          // and the rest find nothing left to do. A short random delay thins the race.
          void this.#serial(roomId, async () => {
            const engine = await this.#ready;
            if (!(await engine.joined(roomId))) return;
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 150));
            await engine.reconcile(roomId);
          });
        }
      });
    }
  }

  /** Organizers and administrators bring their organization's loops in line; in a direct loop, both people. */
  mayReconcile(roomId: string): boolean {
    const room = this.#rooms?.find((r) => r.id === roomId);
    if (!room) return false;
    if (room.kind === "direct") return true;
    const role = this.#orgs.get(room.organizationSlug)?.role;
    return role === "admin" || role === "organizer";
  }

  // ---- work, one step at a time per room ----

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
    return this.#serial(roomId, async () => {
      const engine = await this.#ready;
      const messages = await engine.sync(roomId);
      if (messages.length > 0) this.#emit({ type: "messages", roomId, messages });
      return messages;
    }).catch((error: unknown) => {
      console.warn("could not sync the loop", error);
      return [];
    });
  }

  acceptWelcomes(): Promise<string[]> {
    return this.#serial("welcomes", async () => {
      const engine = await this.#ready;
      const joined = await engine.acceptWelcomes();
      for (const roomId of joined) {
        this.#emit({ type: "joined", roomId });
        void this.syncRoom(roomId);
      }
      return joined;
    }).catch((error: unknown) => {
      console.warn("could not accept invitations to loops", error);
      return [];
    });
  }

  async joined(roomId: string): Promise<boolean> {
    return (await this.#ready).joined(roomId);
  }

  async history(roomId: string): Promise<LoopMessage[]> {
    return (await this.#ready).history(roomId);
  }

  /** Encrypts and sends, then reads the room so the message shows with its place in the log. */
  async send(roomId: string, content: LoopContent): Promise<number> {
    const seq = await this.#serial(roomId, async () => (await this.#ready).send(roomId, content));
    await this.syncRoom(roomId);
    return seq;
  }

  reconcile(roomId: string): Promise<{ added: number; removed: number }> {
    return this.#serial(roomId, async () => (await this.#ready).reconcile(roomId));
  }

  async createRoom(slug: string, input: CreateRoom): Promise<Room> {
    const created = this.#creating.catch(() => {}).then(async () => (await this.#ready).createRoom(slug, input));
    this.#creating = created;
    const room = await created;
    await this.refreshRooms();
    return room;
  }

  async openFile(roomId: string, content: Extract<LoopContent, { type: "file" }>): Promise<Uint8Array<ArrayBuffer>> {
    return (await this.#ready).openFile(roomId, content);
  }

  // ---- what was read: the last seq seen per room, in this browser ----

  #readKey(): string {
    return `commune.loops.read.${this.accountId}`;
  }
  #readMap(): Record<string, number> {
    try {
      const parsed = JSON.parse(localStorage.getItem(this.#readKey()) ?? "{}") as unknown;
      return parsed && typeof parsed === "object" ? (parsed as Record<string, number>) : {};
    } catch {
      return {};
    }
  }
  lastRead(roomId: string): number {
    const value = this.#readMap()[roomId];
    return typeof value === "number" ? value : 0;
  }
  markRead(roomId: string, seq: number): void {
    const map = this.#readMap();
    if ((map[roomId] ?? 0) >= seq) return;
    map[roomId] = seq;
    try {
      localStorage.setItem(this.#readKey(), JSON.stringify(map));
    } catch {
      // storage disabled: unread counts last for this page only
    }
    this.#emit({ type: "read", roomId });
  }
  /** Messages from others this device read after the last one seen on screen. */
  async unread(roomId: string): Promise<number> {
    const engine = await this.#ready;
    if (!(await engine.joined(roomId))) return 0;
    const after = this.lastRead(roomId);
    return (await engine.history(roomId)).filter((m) => !m.own && m.seq > after && (m.content.type === "text" || m.content.type === "file")).length;
  }
}

const LoopContext = createContext<LoopSession | null>(null);

export function LoopsProvider({ children }: { children: ReactNode }) {
  const session = useSession();
  const accountId = session.account?.id ?? null;
  const deviceId = session.deviceId;
  const [loops, setLoops] = useState<LoopSession | null>(null);
  useEffect(() => {
    if (!accountId || !deviceId) return;
    const made = new LoopSession(accountId, deviceId);
    setLoops(made);
    return () => {
      made.stop();
      setLoops(null);
    };
  }, [accountId, deviceId]);
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
