/**
 * One browser profile, several tabs, one device: they share one MLS state in IndexedDB. Two tabs
 * processing commits or encrypting at once would fork that state or use a key twice, so exactly
 * one tab — the leader, holding a Web Lock — runs the loop engine; the others ask it to act, over
 * a BroadcastChannel, and hear from it what happened. When the leader's tab closes its lock is
 * released and the browser grants it to the next tab waiting, which takes over.
 *
 * Web Locks and BroadcastChannel are hand-wired here because they are the platform's own tools for
 * exactly this (the lock is released by the browser even when a tab crashes); a library would only
 * wrap these same two calls.
 */

export type TabRole = "starting" | "leader" | "follower";

/** A failure carried across tabs: enough to rebuild what the page shows the person. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly problem?: unknown;
}

type Wire =
  | { readonly kind: "hello"; readonly from: string }
  | { readonly kind: "leader"; readonly from: string }
  | { readonly kind: "call"; readonly from: string; readonly to: string; readonly id: number; readonly method: string; readonly args: readonly unknown[] }
  | { readonly kind: "reply"; readonly to: string; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly kind: "reply"; readonly to: string; readonly id: number; readonly ok: false; readonly error: WireError }
  | { readonly kind: "event"; readonly from: string; readonly event: unknown };

interface Pending {
  readonly method: string;
  readonly args: readonly unknown[];
  readonly retry: boolean;
  to: string | null;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export interface TabLeaderOptions {
  /** Lock and channel name: one per account and device. */
  readonly name: string;
  /** This tab was granted the lock: start the engine. Resolves once it can take calls. */
  readonly onLeader: () => Promise<void>;
  /** A call from another tab (only while leader). */
  readonly onCall: (method: string, args: readonly unknown[]) => Promise<unknown>;
  /** An event the leader broadcast (only while follower). */
  readonly onEvent: (event: unknown) => void;
  /** The role changed. */
  readonly onRole: (role: TabRole) => void;
  readonly serializeError: (error: unknown) => WireError;
  readonly deserializeError: (error: WireError) => unknown;
}

/** The error a call gets when the tab it went to closed before answering, and it could not be retried. */
export class LeaderGoneError extends Error {
  constructor() {
    super("the tab that was doing this closed before it finished");
    this.name = "LeaderGoneError";
  }
}

export class TabLeader {
  readonly tabId = crypto.randomUUID();
  readonly #options: TabLeaderOptions;
  readonly #channel: BroadcastChannel | null;
  readonly #abort = new AbortController();
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #role: TabRole = "starting";
  /** The leader's tab id, once a leader said so (this tab's own id while it leads). */
  #leader: string | null = null;
  #ready = false;
  #release: (() => void) | null = null;
  #stopped = false;

  constructor(options: TabLeaderOptions) {
    this.#options = options;
    const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
    this.#channel = typeof BroadcastChannel === "function" && locks ? new BroadcastChannel(options.name) : null;
    if (!locks || !this.#channel) {
      // No Web Locks: only in browsers that also lack what loops need (WebCrypto needs the same
      // secure context), so this tab simply leads.
      void this.#lead();
      return;
    }
    this.#channel.onmessage = (e: MessageEvent<Wire>) => this.#onWire(e.data);
    this.#setRole("follower");
    this.#post({ kind: "hello", from: this.tabId });
    locks
      .request(options.name, { signal: this.#abort.signal }, () => {
        if (this.#stopped) return;
        // held until this tab stops (or closes: the browser then releases it)
        return new Promise<void>((resolve) => {
          this.#release = resolve;
          void this.#lead();
        });
      })
      .catch(() => {
        // aborted because this tab stopped before it was granted the lock
      });
  }

  get role(): TabRole {
    return this.#role;
  }

  async #lead(): Promise<void> {
    this.#leader = this.tabId;
    this.#setRole("leader");
    try {
      await this.#options.onLeader();
    } finally {
      if (!this.#stopped) {
        this.#ready = true;
        this.#post({ kind: "leader", from: this.tabId });
        // calls this tab had sent to the previous leader: the previous leader is gone
        this.#leaderChanged();
      }
    }
  }

  #setRole(role: TabRole): void {
    if (this.#role === role) return;
    this.#role = role;
    this.#options.onRole(role);
  }

  #post(message: Wire): void {
    this.#channel?.postMessage(message);
  }

  /** Runs `method` in the leader: here when this tab leads, else in the leader's tab. */
  call(method: string, args: readonly unknown[], options: { retry: boolean }): Promise<unknown> {
    if (this.#role === "leader") return this.#options.onCall(method, args);
    return new Promise((resolve, reject) => {
      const id = this.#nextId++;
      const pending: Pending = { method, args, retry: options.retry, to: null, resolve, reject };
      this.#pending.set(id, pending);
      this.#dispatch(id, pending);
    });
  }

  #dispatch(id: number, pending: Pending): void {
    if (this.#role === "leader") {
      this.#pending.delete(id);
      this.#options.onCall(pending.method, pending.args).then(pending.resolve, pending.reject);
      return;
    }
    if (!this.#leader) return; // sent when a leader says so
    pending.to = this.#leader;
    this.#post({ kind: "call", from: this.tabId, to: this.#leader, id, method: pending.method, args: pending.args });
  }

  /** A new leader: what was asked of the old one is asked again (reads), or fails (writes). */
  #leaderChanged(): void {
    for (const [id, pending] of this.#pending) {
      if (pending.to !== null && pending.to === this.#leader) continue;
      if (pending.to === null || pending.retry) this.#dispatch(id, pending);
      else {
        this.#pending.delete(id);
        pending.reject(new LeaderGoneError());
      }
    }
  }

  /** Tells the other tabs (followers) what happened; only the leader broadcasts. */
  broadcast(event: unknown): void {
    if (this.#role === "leader") this.#post({ kind: "event", from: this.tabId, event });
  }

  #onWire(message: Wire): void {
    if (this.#stopped) return;
    switch (message.kind) {
      case "hello":
        if (this.#role === "leader" && this.#ready) this.#post({ kind: "leader", from: this.tabId });
        return;
      case "leader":
        if (message.from === this.tabId || this.#role === "leader") return;
        this.#leader = message.from;
        this.#leaderChanged();
        return;
      case "event":
        if (this.#role !== "leader") this.#options.onEvent(message.event);
        return;
      case "call":
        if (message.to !== this.tabId) return;
        this.#options.onCall(message.method, message.args).then(
          (value) => this.#post({ kind: "reply", to: message.from, id: message.id, ok: true, value }),
          (error: unknown) => this.#post({ kind: "reply", to: message.from, id: message.id, ok: false, error: this.#options.serializeError(error) }),
        );
        return;
      case "reply": {
        if (message.to !== this.tabId) return;
        const pending = this.#pending.get(message.id);
        if (!pending) return;
        this.#pending.delete(message.id);
        if (message.ok) pending.resolve(message.value);
        else pending.reject(this.#options.deserializeError(message.error));
        return;
      }
    }
  }

  /** Leaves: gives up the lock (the next tab takes over) and fails what is still waiting. */
  stop(): void {
    this.#stopped = true;
    this.#abort.abort();
    this.#release?.();
    this.#channel?.close();
    for (const pending of this.#pending.values()) pending.reject(new LeaderGoneError());
    this.#pending.clear();
  }
}
