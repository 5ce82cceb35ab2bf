/**
 * The MLS side of loops on one device: its MLS credentials and KeyPackages, one MLS group per
 * room, and the work that keeps groups in step with the server's ordered log — joining from
 * Welcomes, adding the devices of people the server put in a room, removing those it took out,
 * encrypting and decrypting. The server sees only what this module hands it: ciphertext.
 */
import { fromBase64Url, toBase64Url } from "@commune/crypto";
import {
  commit,
  commitUpdate,
  createGroup,
  decodeState,
  encodeState,
  encrypt,
  generateKeyPackages,
  generateSignatureKeyPair,
  joinWelcome,
  members,
  processMessage,
  type MemberCredentials,
  type MlsGroup,
  type SuiteName,
} from "@commune/crypto/mls";
import { DEFAULT_MLS_SUITE, type CreateRoom, type Room, type RoomEvent, type SubmitCommit } from "@commune/protocol";
import type { CommuneClient } from "../client.ts";
import type { RealtimeConnection, ServerFrame } from "../realtime.ts";
import type { LoopStore } from "./loop-store.ts";
import { ExpiringLoopStore, expirySweeper, type ExpiredMessage } from "./loop-store-expiry.ts";
import { encryptAttachment, openAttachment } from "./attachments.ts";
import { isEphemeralContent, resetEphemeralBudget, takeEphemeralBudget, type EphemeralContent, type EphemeralSignal } from "./ephemeral.ts";
import type { TransferOptions } from "../transfer-progress.ts";
import { LoopPolicy, type LoopViolation } from "./policy-guard.ts";

/** What people write in a loop: the plaintext inside each MLS application message. */
export type LoopContent =
  | { readonly type: "text"; readonly body: string; readonly replyTo?: number }
  | { readonly type: "reaction"; readonly to: number; readonly emoji: string }
  | { readonly type: "edit"; readonly of: number; readonly body: string }
  | { readonly type: "delete"; readonly of: number }
  /** An attachment: encrypted on the sender's device; its key travels only here, inside MLS. */
  | {
      readonly type: "file";
      readonly attachment: string;
      readonly key: string;
      readonly iv: string;
      readonly name: string;
      readonly mime: string;
      readonly size: number;
      readonly caption?: string;
    };

export interface LoopMessage {
  readonly roomId: string;
  readonly seq: number;
  readonly senderDeviceId: string;
  readonly senderAccountId: string;
  readonly content: LoopContent;
  readonly createdAt: number;
  readonly own: boolean;
  /** When the room's disappearing timer deletes it (ms), as the server set it; null or absent: never. */
  readonly expiresAt?: number | null;
}

export interface LoopEngineOptions {
  /**
   * A cipher suite whose KeyPackages are always kept in stock (default: the default suite). The
   * suites of this account's organizations and loops are stocked too; a loop's suite is the one
   * its organization chose when it was created.
   */
  readonly suite?: SuiteName;
  /** How many one-use KeyPackages to keep published. */
  readonly keyPackageStock?: number;
  /**
   * When this device refreshes its keys in each loop (see `refresh`), while `live()` runs: first at
   * a random moment within `firstWithinMs` of joining (default: a day), then every `everyMs`
   * (default: a week), each ±25 %.
   */
  readonly refresh?: { readonly firstWithinMs?: number; readonly everyMs?: number };
}

interface RoomState {
  group: MlsGroup;
  cursor: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const MAX_RETRIES = 8;
const HOUR = 3_600_000;
const jitter = (ms: number) => ms * (0.75 + Math.random() / 2);
const json = (value: unknown) => encoder.encode(JSON.stringify(value));

export class LoopEngine {
  readonly client: CommuneClient;
  readonly store: LoopStore;
  readonly suite: SuiteName;
  /** The room's rules, checked on every commit received (see policy.ts). */
  readonly policy: LoopPolicy;
  readonly #stock: number;
  readonly #refresh: { readonly firstWithinMs: number; readonly everyMs: number };
  #credentials: MemberCredentials | null = null;
  #rooms = new Map<string, RoomState>();
  readonly #refreshDueAt = new Map<string, number>();

  constructor(client: CommuneClient, store: LoopStore, options: LoopEngineOptions = {}) {
    this.client = client;
    // indexes each message's expiry, so disappearing messages can be deleted here too (deleteExpired)
    this.store = ExpiringLoopStore.wrap(store);
    this.suite = options.suite ?? (DEFAULT_MLS_SUITE as SuiteName);
    this.#stock = options.keyPackageStock ?? 20;
    this.#refresh = { firstWithinMs: options.refresh?.firstWithinMs ?? 24 * HOUR, everyMs: options.refresh?.everyMs ?? 7 * 24 * HOUR };
    this.policy = new LoopPolicy(client, this.store);
  }

  get identity(): { accountId: string; deviceId: string } {
    const device = this.client.device;
    if (!device) throw new Error("sign in and register this device first");
    return { accountId: device.accountId, deviceId: device.deviceId };
  }

  /** Loads or makes this device's MLS signature key and keeps its KeyPackages topped up. */
  async start(): Promise<void> {
    const identity = this.identity;
    const saved = await this.store.get("credentials");
    if (saved) {
      const { publicKey, privateKey } = JSON.parse(decoder.decode(saved)) as { publicKey: string; privateKey: string };
      this.#credentials = { identity, signatureKeys: { publicKey: fromBase64Url(publicKey), privateKey: fromBase64Url(privateKey) } };
    } else {
      const keys = await generateSignatureKeyPair();
      this.#credentials = { identity, signatureKeys: keys };
      await this.store.set("credentials", json({ publicKey: toBase64Url(keys.publicKey), privateKey: toBase64Url(keys.privateKey) }));
    }
    await this.topUpKeyPackages();
  }

  get #creds(): MemberCredentials {
    if (!this.#credentials) throw new Error("call start() first");
    return this.#credentials;
  }

  /**
   * Keeps one-use KeyPackages published for every cipher suite this device may be added with: the
   * engine's own, its organizations' choice for new loops, and the suites of its loops. `suite`:
   * only that one.
   */
  async topUpKeyPackages(suite?: SuiteName): Promise<void> {
    let suites = suite ? [suite] : [this.suite];
    if (!suite) {
      const [orgs, rooms] = await Promise.all([this.client.organizations(), this.client.rooms()]);
      suites = [...new Set<SuiteName>([this.suite, ...orgs.map((o) => o.loopSuite as SuiteName), ...rooms.map((r) => r.suite as SuiteName)])];
    }
    for (const s of suites) await this.#topUp(s);
  }

  async #topUp(suite: SuiteName): Promise<void> {
    const stock = await this.client.keyPackageStock(suite);
    const needed = this.#stock - stock.count;
    if (needed <= 0 && stock.lastResort) return;
    // the last one generated is the last-resort package, when the server has none
    const count = Math.max(needed, 0) + (stock.lastResort ? 0 : 1);
    const fresh = await generateKeyPackages(this.#creds, count, { suite, lastResort: !stock.lastResort });
    for (const kp of fresh) await this.store.set(`kp:${kp.ref}`, kp.secret);
    if (fresh.length > 0) {
      await this.client.publishKeyPackages(
        suite,
        fresh.map((kp) => ({ data: toBase64Url(kp.keyPackage), ...(kp.lastResort ? { lastResort: true } : {}) })),
      );
    }
  }

  async #load(roomId: string): Promise<RoomState | null> {
    const cached = this.#rooms.get(roomId);
    if (cached) return cached;
    const saved = await this.store.get(`room:${roomId}`);
    if (!saved) return null;
    const { state, cursor } = JSON.parse(decoder.decode(saved)) as { state: string; cursor: number };
    const decoded = await decodeState(fromBase64Url(state));
    if (!decoded.ok) throw new Error(`cannot read the saved state of loop ${roomId}: ${decoded.error.message}`);
    const room = { group: decoded.group, cursor };
    this.#rooms.set(roomId, room);
    return room;
  }

  async #save(roomId: string, room: RoomState): Promise<void> {
    this.#rooms.set(roomId, room);
    await this.store.set(`room:${roomId}`, json({ state: toBase64Url(encodeState(room.group)), cursor: room.cursor }));
  }

  /**
   * Keeps this device in step by itself over the realtime connection: new events are synced,
   * Welcomes accepted, and membership changes reconciled (so people who join a circle, or a new
   * device of a member, are brought into the MLS group without anyone acting). Work for one room
   * runs one step at a time. Returns the connection; close it to stop.
   */
  live(
    handlers: {
      onMessages?: (roomId: string, messages: LoopMessage[]) => void;
      onRoom?: (roomId: string, change: string) => void;
      /** Typing signals; without this handler they are not decrypted at all. */
      onEphemeral?: (signal: EphemeralSignal) => void;
      /** Messages whose disappearing timer ran out, just deleted from this device's store. */
      onExpired?: (gone: ExpiredMessage[]) => void;
      onError?: (error: unknown) => void;
    } = {},
  ): RealtimeConnection {
    const queues = new Map<string, Promise<unknown>>();
    const serial = (key: string, task: () => Promise<unknown>) => {
      const next = (queues.get(key) ?? Promise.resolve()).then(task).catch((error: unknown) => handlers.onError?.(error));
      queues.set(key, next);
      return next;
    };
    const syncRoom = (roomId: string) =>
      serial(roomId, async () => {
        const messages = await this.sync(roomId);
        if (messages.length > 0) handlers.onMessages?.(roomId, messages);
        if (messages.some((m) => typeof m.expiresAt === "number")) sweeper.poke();
        await this.refreshIfDue(roomId);
      });
    // rooms without traffic are looked at too
    const refreshTimer = setInterval(() => void this.roomIds().then((ids) => ids.forEach((id) => void serial(id, () => this.refreshIfDue(id)))), this.refreshCheckEveryMs);
    const sweeper = expirySweeper(this.store, (gone) => handlers.onExpired?.(gone), handlers.onError);
    const onFrame = (frame: ServerFrame) => {
      if (frame.type === "event") void syncRoom(frame.event.roomId);
      else if (frame.type === "ephemeral" && handlers.onEphemeral) {
        const onEphemeral = handlers.onEphemeral;
        void serial(frame.roomId, async () => {
          const signal = await this.openEphemeral(frame);
          if (signal) onEphemeral(signal);
        });
      } else if (frame.type === "welcome") void serial("welcomes", async () => (await this.acceptWelcomes()).forEach((id) => void syncRoom(id)));
      else if (frame.type === "key-packages-low") void serial("key-packages", () => this.topUpKeyPackages());
      else if (frame.type === "room") {
        handlers.onRoom?.(frame.roomId, frame.change);
        if (frame.change === "added") void serial("welcomes", async () => (await this.acceptWelcomes()).forEach((id) => void syncRoom(id)));
        if (frame.change === "updated") {
          // members' devices race to bring the group in line; the server takes one commit per
          // epoch and the others find nothing left to do. A short random delay thins the race.
          void serial(frame.roomId, async () => {
            if (!(await this.joined(frame.roomId))) return;
            await new Promise((r) => setTimeout(r, Math.random() * 150));
            await this.reconcile(frame.roomId);
          });
        }
      }
    };
    const connection = this.client.connect(onFrame, () => {
      sweeper.stop();
      clearInterval(refreshTimer);
    });
    void connection.ready.then(
      () => serial("welcomes", async () => (await this.acceptWelcomes()).forEach((id) => void syncRoom(id))),
      () => {},
    );
    return connection;
  }

  /** The commit this device refused in a room because it breaks the room's rules; the room is stopped. */
  violation(roomId: string): Promise<LoopViolation | null> {
    return this.policy.violation(roomId);
  }

  /**
   * Drops the group states this engine keeps in memory, so they are read again from its store.
   * For a read-only view of state that another engine writes (a browser tab that does not lead).
   */
  forget(): void {
    this.#rooms.clear();
    this.#refreshDueAt.clear();
    this.policy.forget();
  }

  /** Whether this device is in the room's MLS group. */
  async joined(roomId: string): Promise<boolean> {
    const room = await this.#load(roomId);
    return room !== null && room.group.active;
  }

  /** The devices in this device's view of the room's MLS group. */
  async memberDevices(roomId: string): Promise<string[]> {
    const room = await this.#load(roomId);
    return room ? members(room.group).map((m) => m.identity.deviceId).sort() : [];
  }

  /**
   * Every leaf of this device's view of the room's MLS group: whose device it is and the signature
   * key it signs with — what every member of the group agrees on, and what safety numbers cover.
   */
  async memberKeys(roomId: string): Promise<Array<{ accountId: string; deviceId: string; signatureKey: Uint8Array }>> {
    const room = await this.#load(roomId);
    return room ? members(room.group).map((m) => ({ accountId: m.identity.accountId, deviceId: m.identity.deviceId, signatureKey: m.signaturePublicKey })) : [];
  }

  async epoch(roomId: string): Promise<bigint | null> {
    return (await this.#load(roomId))?.group.epoch ?? null;
  }

  /** Creates a room on the server and its MLS group here, then brings in its members' devices. */
  async createRoom(slug: string, input: CreateRoom): Promise<Room> {
    // the server gives the room its organization's suite
    const room = await this.client.createRoom(slug, input);
    const created = await createGroup(encoder.encode(room.id), this.#creds, { suite: room.suite as SuiteName });
    if (!created.ok) throw new Error(`cannot create the MLS group: ${created.error.message}`);
    await this.#save(room.id, { group: created.group, cursor: 0 });
    await this.reconcile(room.id);
    return room;
  }

  /**
   * Brings the MLS group in line with the server's member list: adds devices of members that are
   * not in it yet, removes devices of people who left. One commit, retried on epoch conflicts.
   */
  async reconcile(roomId: string): Promise<{ added: number; removed: number }> {
    const landed = await this.#commitRetrying(roomId, { added: 0, removed: 0 }, async (room) => {
      const detail = await this.client.room(roomId);
      const wanted = new Map<string, string>(); // deviceId → accountId
      for (const m of detail.members) for (const d of m.devices) wanted.set(d.id, m.accountId);
      const present = members(room.group);
      const presentDevices = new Set(present.map((m) => m.identity.deviceId));
      const remove = present.filter((m) => !wanted.has(m.identity.deviceId) && m.leafIndex !== room.group.own.leafIndex).map((m) => m.leafIndex);
      const missingAccounts = [...new Set([...wanted].filter(([deviceId]) => !presentDevices.has(deviceId)).map(([, accountId]) => accountId))];
      let add: Array<{ deviceId: string; data: Uint8Array }> = [];
      if (missingAccounts.length > 0) {
        const claim = await this.client.claimKeyPackages(room.group.suite, missingAccounts);
        add = claim.packages.filter((p) => !presentDevices.has(p.deviceId) && wanted.has(p.deviceId)).map((p) => ({ deviceId: p.deviceId, data: fromBase64Url(p.data) }));
      }
      if (add.length === 0 && remove.length === 0) return null;
      const outcome = await commit(room.group, { add: add.map((a) => a.data), remove });
      const welcome = outcome.ok && outcome.welcome ? toBase64Url(outcome.welcome) : null;
      return {
        outcome,
        submit: {
          // refused if the list changed since it was read: the commit must match it where it lands
          membershipVersion: detail.membershipVersion,
          ...(welcome ? { welcome: { deviceIds: add.map((a) => a.deviceId), data: welcome } } : {}),
        },
        result: { added: add.length, removed: remove.length },
      };
    });
    if (!landed) throw new Error("could not get a commit accepted: the loop kept changing");
    return landed;
  }

  /**
   * Commits fresh keys for this device's leaf and its path to the root of the room's tree (an MLS
   * update commit with no proposals). It heals keys that leaked (post-compromise security), and it
   * fills the tree: a loop made with many members in one commit has keys only on its maker's path,
   * so any commit that changes keys (every removal) encrypts to every other device — 999 HPKE
   * encryptions, ~270 ms at 1,000 members here — until members have refreshed; in a filled tree,
   * to about 2·log2(N) nodes. Retried on epoch conflicts. Returns whether a commit landed.
   */
  async refresh(roomId: string): Promise<boolean> {
    // no membershipVersion: it changes no one's membership, so it fits any member list
    const landed = await this.#commitRetrying(roomId, false, async (room) => ({ outcome: await commitUpdate(room.group), submit: {}, result: true }));
    if (landed) await this.#setRefreshDue(roomId, jitter(this.#refresh.everyMs));
    return landed ?? false;
  }

  /**
   * Builds a commit on the room's latest state and submits it; after an epoch conflict (another
   * device moved the group on first), catches up and builds it again. `build` returns null when
   * there is nothing to commit. Returns `idle` when there was nothing to do (or this device is out
   * of the group, or the room is stopped), `result` once the commit landed, undefined when it kept
   * losing the race.
   */
  async #commitRetrying<T>(
    roomId: string,
    idle: T,
    build: (room: RoomState) => Promise<{ outcome: Awaited<ReturnType<typeof commit>>; submit: Omit<SubmitCommit, "epoch" | "id" | "data">; result: T } | null>,
  ): Promise<T | undefined> {
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      await this.sync(roomId);
      const room = await this.#load(roomId);
      if (!room?.group.active || (await this.policy.violation(roomId))) return idle;
      const built = await build(room);
      if (!built) return idle;
      const { outcome, submit, result } = built;
      if (!outcome.ok) throw new Error(`cannot build the commit: ${outcome.error.message}`);
      try {
        const event = await this.client.submitCommit(roomId, { epoch: Number(room.group.epoch), id: randomId(), data: toBase64Url(outcome.commit), ...submit });
        await this.#save(roomId, { group: outcome.group, cursor: Math.max(room.cursor, event.seq) });
        return result;
      } catch (error) {
        if ((error as { code?: string }).code !== "epoch_conflict") throw error;
      }
    }
    return undefined;
  }

  /**
   * Refreshes this device's keys in the room when it is due (see LoopEngineOptions.refresh); the
   * first time a room is looked at, picks when. For whatever runs the device's realtime work
   * (`live()`, the web app's leading tab): after each sync, and every `refreshCheckEveryMs`.
   */
  async refreshIfDue(roomId: string): Promise<boolean> {
    return (await this.#refreshDue(roomId)) && this.refresh(roomId);
  }

  /** How often to look at rooms without traffic for a due refresh: hourly, or sooner for short intervals. */
  get refreshCheckEveryMs(): number {
    return Math.max(1_000, Math.min(HOUR, this.#refresh.firstWithinMs / 4, this.#refresh.everyMs / 4));
  }

  /** The rooms this device holds a group state for. */
  async roomIds(): Promise<string[]> {
    return (await this.store.keys("room:")).map((key) => key.slice("room:".length));
  }

  /** When this device's next refresh in the room is due, kept from the store (asked after every sync). */
  async #refreshDue(roomId: string): Promise<boolean> {
    let due = this.#refreshDueAt.get(roomId);
    if (due === undefined) {
      // the first refresh is timed from when this device joined, not from when it saw the room
      if (!(await this.joined(roomId))) return false;
      const saved = await this.store.get(`refresh:${roomId}`);
      due = saved ? (JSON.parse(decoder.decode(saved)) as { due: number }).due : await this.#setRefreshDue(roomId, Math.random() * this.#refresh.firstWithinMs);
      this.#refreshDueAt.set(roomId, due);
    }
    return Date.now() >= due && (await this.joined(roomId));
  }

  async #setRefreshDue(roomId: string, inMs: number): Promise<number> {
    const due = Date.now() + inMs;
    await this.store.set(`refresh:${roomId}`, json({ due }));
    this.#refreshDueAt.set(roomId, due);
    return due;
  }


  /** Joins every room this device has been welcomed into. Returns their ids. */
  async acceptWelcomes(): Promise<string[]> {
    const joined: string[] = [];
    const secrets = await this.store.keys("kp:");
    for (const welcome of await this.client.welcomes()) {
      let done = false;
      for (const key of secrets) {
        const secret = await this.store.get(key);
        if (!secret) continue;
        const result = await joinWelcome(fromBase64Url(welcome.data), secret);
        if (!result.ok) continue;
        done = true;
        // a group holding someone the room's list never had is not joined (see policy.ts)
        if (!(await this.policy.acceptsJoin(welcome.roomId, result.group))) break;
        await this.#save(welcome.roomId, { group: result.group, cursor: 0 });
        joined.push(welcome.roomId);
        break;
      }
      // taken either way: a Welcome none of our packages opens will never open
      await this.client.takeWelcome(welcome.id);
      if (!done) continue;
    }
    // also publishes packages for a suite this device lacks: a loop of a new suite can then add it
    await this.topUpKeyPackages();
    return joined;
  }

  /**
   * Processes the room's log from where this device left off: commits move the group on,
   * messages are decrypted. Returns the messages, in order.
   */
  async sync(roomId: string): Promise<LoopMessage[]> {
    const room = await this.#load(roomId);
    if (!room || !room.group.active || (await this.policy.violation(roomId))) return [];
    const out: LoopMessage[] = [];
    for (;;) {
      let events: RoomEvent[];
      try {
        events = await this.client.events(roomId, room.cursor, 500);
      } catch (error) {
        // taken out of the room: the server no longer lets this account read it
        if ((error as { code?: string }).code === "not_found") return out;
        throw error;
      }
      if (events.length === 0) break;
      for (const event of events) {
        const message = await this.#apply(room, event);
        // a commit that breaks the room's rules: the room stops before it, on this device
        if (await this.policy.violation(roomId)) break;
        if (message) {
          out.push(message);
          await this.store.set(historyKey(roomId, message.seq), json(message));
        }
        room.cursor = event.seq;
        if (!room.group.active) break;
      }
      await this.#save(roomId, room);
      if (!room.group.active || (await this.policy.violation(roomId))) break;
    }
    return out;
  }

  async #apply(room: RoomState, event: RoomEvent): Promise<LoopMessage | null> {
    const own = event.senderDeviceId === this.identity.deviceId;
    // before this device's epoch: already part of its state (its own commits, or history from before it joined)
    if (BigInt(event.epoch) < room.group.epoch) {
      if (event.kind === "message" && own) return await this.#ownMessage(event);
      return null;
    }
    if (event.kind === "message" && own) return await this.#ownMessage(event);
    const result = await processMessage(room.group, fromBase64Url(event.data), await this.policy.options(event));
    if (!result.ok) {
      await this.policy.refused(event, result.error); // a broken rule stops the room (sync sees it)
      return null; // unreadable (tampered, or not meant for this state): skipped, never fatal
    }
    room.group = result.group;
    if (result.kind !== "application") return null;
    let content: LoopContent;
    try {
      content = JSON.parse(decoder.decode(result.plaintext)) as LoopContent;
    } catch {
      return null;
    }
    return {
      roomId: event.roomId,
      seq: event.seq,
      senderDeviceId: result.sender.identity.deviceId,
      senderAccountId: result.sender.identity.accountId,
      content,
      createdAt: event.createdAt,
      own: false,
      expiresAt: event.expiresAt,
    };
  }

  async #ownMessage(event: RoomEvent): Promise<LoopMessage | null> {
    const saved = await this.store.get(`sent:${event.clientId}`);
    if (!saved) return null;
    await this.store.delete(`sent:${event.clientId}`);
    const content = JSON.parse(decoder.decode(saved)) as LoopContent;
    return { roomId: event.roomId, seq: event.seq, senderDeviceId: event.senderDeviceId, senderAccountId: this.identity.accountId, content, createdAt: event.createdAt, own: true, expiresAt: event.expiresAt };
  }

  /** Encrypts and sends; on an epoch change it catches up and encrypts again. */
  async send(roomId: string, content: LoopContent): Promise<number> {
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      await this.sync(roomId);
      const room = await this.#load(roomId);
      if (!room?.group.active) throw new Error("this device is not in the loop");
      if (await this.policy.violation(roomId)) throw new Error("this loop is stopped: the server sent a commit that breaks the loop's rules");
      const sealed = await encrypt(room.group, json(content));
      if (!sealed.ok) throw new Error(`cannot encrypt: ${sealed.error.message}`);
      const id = randomId();
      // MLS does not let a sender decrypt its own message: keep the plaintext on this device
      await this.store.set(`sent:${id}`, json(content));
      try {
        const { seq } = await this.client.sendMessage(roomId, { id, epoch: Number(room.group.epoch), data: toBase64Url(sealed.message) });
        await this.#save(roomId, { group: sealed.group, cursor: room.cursor });
        await resetEphemeralBudget(this.store, roomId);
        return seq;
      } catch (error) {
        await this.store.delete(`sent:${id}`);
        if ((error as { code?: string }).code !== "epoch_conflict") throw error;
      }
    }
    throw new Error("could not send: the loop kept changing");
  }

  /** Encrypts a file with a fresh AES-256-GCM key, uploads the ciphertext, and sends the key by MLS. */
  async sendFile(roomId: string, file: { name: string; mime: string; bytes: Uint8Array<ArrayBuffer>; caption?: string }, options: TransferOptions = {}): Promise<number> {
    const { ciphertext, key, iv } = await encryptAttachment(file.bytes);
    const uploaded = await this.client.uploadAttachment(roomId, ciphertext, options);
    return this.send(roomId, {
      type: "file",
      attachment: uploaded.id,
      key,
      iv,
      name: file.name.slice(0, 200),
      mime: file.mime.slice(0, 100),
      size: file.bytes.length,
      ...(file.caption ? { caption: file.caption } : {}),
    });
  }

  /** Downloads and decrypts an attachment named in a message (or takes it from this device's cache). */
  async openFile(roomId: string, content: Extract<LoopContent, { type: "file" }>, options: TransferOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
    return openAttachment(this.client, this.store, roomId, content, options);
  }

  /**
   * Encrypts an ephemeral message (a typing signal) for the room at this device's epoch, for the
   * caller to send with RealtimeConnection.sendEphemeral. The group state moves on (a ratchet step
   * is used) and is saved first, so no key is ever used twice. Null when this device is not in the
   * group or the room's ephemeral budget is spent (see ephemeral.ts).
   */
  async sealEphemeral(roomId: string, content: EphemeralContent): Promise<{ roomId: string; epoch: number; data: string } | null> {
    const room = await this.#load(roomId);
    if (!room?.group.active) return null;
    if (!(await takeEphemeralBudget(this.store, roomId, room.group.epoch))) return null;
    const sealed = await encrypt(room.group, json(content));
    if (!sealed.ok) return null;
    await this.#save(roomId, { group: sealed.group, cursor: room.cursor });
    return { roomId, epoch: Number(room.group.epoch), data: toBase64Url(sealed.message) };
  }

  /**
   * Decrypts an ephemeral message relayed by the server. Anything unreadable, from another epoch
   * than this device can read, or not a typing signal, is dropped (null) — never fatal.
   */
  async openEphemeral(frame: { roomId: string; data: string }): Promise<EphemeralSignal | null> {
    const room = await this.#load(frame.roomId);
    if (!room?.group.active) return null;
    let bytes: Uint8Array;
    try {
      bytes = fromBase64Url(frame.data);
    } catch {
      return null;
    }
    const result = await processMessage(room.group, bytes);
    if (!result.ok || result.kind !== "application") return null;
    await this.#save(frame.roomId, { group: result.group, cursor: room.cursor });
    let content: unknown;
    try {
      content = JSON.parse(decoder.decode(result.plaintext));
    } catch {
      return null;
    }
    if (!isEphemeralContent(content)) return null;
    return { roomId: frame.roomId, senderAccountId: result.sender.identity.accountId, senderDeviceId: result.sender.identity.deviceId, content };
  }

  /**
   * The messages this device has read in a room, oldest first. MLS keys are deleted once used,
   * so a message can be decrypted once: the device keeps what it read (and never what came
   * before it joined — that history is not readable by design).
   */
  async history(roomId: string): Promise<LoopMessage[]> {
    const keys = (await this.store.keys(`msg:${roomId}:`)).sort();
    const out: LoopMessage[] = [];
    for (const key of keys) {
      const bytes = await this.store.get(key);
      if (bytes) out.push(JSON.parse(decoder.decode(bytes)) as LoopMessage);
    }
    return out;
  }
}

function historyKey(roomId: string, seq: number): string {
  return `msg:${roomId}:${String(seq).padStart(16, "0")}`;
}

function randomId(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(12)));
}
