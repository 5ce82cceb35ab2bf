/**
 * The headless Commune client. The web app, the tests, the CLI and the benchmarks all speak to the
 * server through it, so every path they exercise is the one real users take.
 */
import { generateDeviceKeyPair, generateSealKeyPair, sign } from "@commune/crypto";
import {
  deviceProofMessage,
  type Account,
  type AuditEntry,
  type ChangePassword,
  type Circle,
  type CircleDetail,
  type CreateCircle,
  type CreateInvite,
  type CreateOrganization,
  type CreatedInvite,
  type DeletionPreview,
  type Device,
  type InstanceInfo,
  type Invite,
  type InvitePreview,
  type Member,
  type OrganizationKeysStatus,
  type OrganizationPublicKey,
  type OrganizationSummary,
  type Page,
  type PowChallenge,
  type Role,
  type Session,
  type SignedIn,
  type SignUp,
  type UpdateAccount,
  type UpdateCircle,
  type UpdateOrganization,
} from "@commune/protocol";
import type {
  ClaimResult,
  CreateRoom,
  KeyPackageStock,
  MlsSuite,
  Room,
  RoomDetail,
  RoomEvent,
  RoomMembership,
  SendMessage,
  SubmitCommit,
  UpdateRoom,
  Welcome,
} from "@commune/protocol";
import type { DeviceStore, StoredDevice } from "./device-store.ts";
import { RealtimeConnection, realtimeUrl, type ServerFrame } from "./realtime.ts";
import { MemoryDeviceStore } from "./device-store.ts";
import { toApiError } from "./errors.ts";
import { OrganizationKeys, type OrganizationKeyRing } from "./organization-keys.ts";
import { readWithProgress, xhrUpload, type TransferOptions } from "./transfer-progress.ts";
import { PetitionsClient } from "./petitions.ts";
import { FormsClient } from "./forms.ts";

export interface ClientOptions {
  /** Server origin, e.g. "http://127.0.0.1:8080"; "" in a browser page served by the server. */
  readonly baseUrl: string;
  /** Bearer token of an existing session (headless clients); browsers rely on the session cookie. */
  readonly token?: string | null;
  readonly deviceStore?: DeviceStore;
  /** Name this device registers under, e.g. "Firefox on Android" or "cli on laptop". */
  readonly deviceName?: string;
  readonly fetch?: typeof fetch;
  /** Sent as User-Agent by non-browser clients; the sessions page shows it. */
  readonly userAgent?: string;
}

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
const seg = encodeURIComponent;

export class CommuneClient {
  readonly baseUrl: string;
  readonly deviceStore: DeviceStore;
  readonly deviceName: string;
  #token: string | null;
  #fetch: typeof fetch;
  #userAgent: string | undefined;
  #device: StoredDevice | null = null;
  #organizationKeys: OrganizationKeys | null = null;
  #petitions: PetitionsClient | null = null;
  #forms: FormsClient | null = null;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#token = options.token ?? null;
    this.deviceStore = options.deviceStore ?? new MemoryDeviceStore();
    this.deviceName = options.deviceName ?? "headless client";
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#userAgent = options.userAgent;
  }

  get token(): string | null {
    return this.#token;
  }
  get device(): StoredDevice | null {
    return this.#device;
  }
  /** Petitions of the organizations this account organizes. */
  get petitions(): PetitionsClient {
    return (this.#petitions ??= new PetitionsClient(this));
  }
  /** Forms of the organizations this account organizes. */
  get forms(): FormsClient {
    return (this.#forms ??= new FormsClient(this));
  }

  async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    if (this.#userAgent) headers["user-agent"] = this.#userAgent;
    const response = await this.#fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      credentials: "same-origin",
    });
    if (!response.ok) throw await toApiError(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  // ---- instance ----
  instance(): Promise<InstanceInfo> {
    return this.request("GET", "/api/v1/instance");
  }

  // ---- proof of work ----
  /** A fresh challenge for one purpose (`petition:<id>`, `form:<id>`); solve it with `solveProofOfWork`. */
  powChallenge(purpose: string): Promise<PowChallenge> {
    return this.request("POST", "/api/v1/pow/challenges", { purpose });
  }

  // ---- accounts and sessions ----
  /** Creates an account with an invite (organization or instance administrator), then registers this device. */
  async signUp(input: SignUp): Promise<SignedIn> {
    return this.#adopt(await this.request<SignedIn>("POST", "/api/v1/accounts", input));
  }

  async signIn(username: string, password: string): Promise<SignedIn> {
    return this.#adopt(await this.request<SignedIn>("POST", "/api/v1/sessions", { username, password }));
  }

  async signOut(): Promise<void> {
    await this.request("DELETE", "/api/v1/sessions/current");
    this.#token = null;
    this.#device = null;
  }

  me(): Promise<Account> {
    return this.request("GET", "/api/v1/account");
  }
  updateAccount(input: UpdateAccount): Promise<Account> {
    return this.request("PATCH", "/api/v1/account", input);
  }
  changePassword(input: ChangePassword): Promise<void> {
    return this.request("POST", "/api/v1/account/password", input);
  }
  deletionPreview(): Promise<DeletionPreview> {
    return this.request("GET", "/api/v1/account/deletion");
  }
  async deleteAccount(password: string): Promise<void> {
    const me = this.#device?.accountId;
    await this.request("DELETE", "/api/v1/account", { password });
    if (me) await this.deviceStore.remove(me);
    this.#token = null;
    this.#device = null;
  }

  sessions(): Promise<Session[]> {
    return this.request("GET", "/api/v1/sessions");
  }
  revokeSession(id: string): Promise<void> {
    return this.request("DELETE", `/api/v1/sessions/${seg(id)}`);
  }

  // ---- devices ----
  devices(): Promise<Device[]> {
    return this.request("GET", "/api/v1/devices");
  }
  removeDevice(id: string): Promise<void> {
    return this.request("DELETE", `/api/v1/devices/${seg(id)}`);
  }

  /**
   * Makes sure this device has a signature key registered for the signed-in account, and binds the
   * current session to it. Idempotent: an already registered key is proven again, not duplicated.
   */
  async ensureDevice(accountId: string): Promise<StoredDevice> {
    let stored = await this.deviceStore.load(accountId);
    const keyPair = stored?.keyPair ?? (await generateDeviceKeyPair({ extractable: this.deviceStore.needsExtractableKeys }));
    const proof = await sign(keyPair.privateKey, deviceProofMessage(accountId, keyPair.publicKeyRaw));
    const name = stored?.name ?? this.deviceName;
    const device = await this.request<Device>("POST", "/api/v1/devices", { name, publicKey: keyPair.publicKeyRaw, proof });
    // the X25519 key the organization key is sealed to; devices stored before it get one now
    const sealKeyPair = stored?.sealKeyPair ?? generateSealKeyPair();
    stored = { accountId, deviceId: device.id, name: device.name, keyPair, sealKeyPair };
    await this.deviceStore.save(stored);
    this.#device = stored;
    await this.#keys().publishSealKey(stored);
    return stored;
  }

  async #adopt(signedIn: SignedIn): Promise<SignedIn> {
    this.#token = signedIn.token;
    await this.ensureDevice(signedIn.account.id);
    return signedIn;
  }

  // ---- organizations ----
  organizations(): Promise<OrganizationSummary[]> {
    return this.request("GET", "/api/v1/orgs");
  }
  createOrganization(input: CreateOrganization): Promise<OrganizationSummary> {
    return this.request("POST", "/api/v1/orgs", input);
  }
  organization(slug: string): Promise<OrganizationSummary> {
    return this.request("GET", `/api/v1/orgs/${seg(slug)}`);
  }
  updateOrganization(slug: string, input: UpdateOrganization): Promise<OrganizationSummary> {
    return this.request("PATCH", `/api/v1/orgs/${seg(slug)}`, input);
  }
  members(slug: string): Promise<Member[]> {
    return this.request("GET", `/api/v1/orgs/${seg(slug)}/members`);
  }
  changeRole(slug: string, accountId: string, role: Role): Promise<Member> {
    return this.request("PATCH", `/api/v1/orgs/${seg(slug)}/members/${seg(accountId)}`, { role });
  }
  /** Removes a member (admins), or leaves (when accountId is one's own). */
  removeMember(slug: string, accountId: string): Promise<void> {
    return this.request("DELETE", `/api/v1/orgs/${seg(slug)}/members/${seg(accountId)}`);
  }
  async leave(slug: string): Promise<void> {
    const me = await this.me();
    await this.removeMember(slug, me.id);
  }

  // ---- invites ----
  invites(slug: string): Promise<Invite[]> {
    return this.request("GET", `/api/v1/orgs/${seg(slug)}/invites`);
  }
  createInvite(slug: string, input: CreateInvite): Promise<CreatedInvite> {
    return this.request("POST", `/api/v1/orgs/${seg(slug)}/invites`, input);
  }
  revokeInvite(slug: string, id: string): Promise<void> {
    return this.request("DELETE", `/api/v1/orgs/${seg(slug)}/invites/${seg(id)}`);
  }
  previewInvite(token: string): Promise<InvitePreview> {
    return this.request("GET", `/api/v1/invites/${seg(token)}`);
  }
  /** Joins with an invite while signed in (null for an instance-administrator invite). */
  acceptInvite(token: string): Promise<OrganizationSummary | null> {
    return this.request("POST", `/api/v1/invites/${seg(token)}/accept`);
  }

  // ---- circles ----
  circles(slug: string): Promise<Circle[]> {
    return this.request("GET", `/api/v1/orgs/${seg(slug)}/circles`);
  }
  createCircle(slug: string, input: CreateCircle): Promise<Circle> {
    return this.request("POST", `/api/v1/orgs/${seg(slug)}/circles`, input);
  }
  circle(slug: string, id: string): Promise<CircleDetail> {
    return this.request("GET", `/api/v1/orgs/${seg(slug)}/circles/${seg(id)}`);
  }
  updateCircle(slug: string, id: string, input: UpdateCircle): Promise<Circle> {
    return this.request("PATCH", `/api/v1/orgs/${seg(slug)}/circles/${seg(id)}`, input);
  }
  deleteCircle(slug: string, id: string): Promise<void> {
    return this.request("DELETE", `/api/v1/orgs/${seg(slug)}/circles/${seg(id)}`);
  }
  addToCircle(slug: string, id: string, accountId: string): Promise<void> {
    return this.request("PUT", `/api/v1/orgs/${seg(slug)}/circles/${seg(id)}/members/${seg(accountId)}`);
  }
  removeFromCircle(slug: string, id: string, accountId: string): Promise<void> {
    return this.request("DELETE", `/api/v1/orgs/${seg(slug)}/circles/${seg(id)}/members/${seg(accountId)}`);
  }

  // ---- the organization key (organization-keys.ts) ----
  #keys(): OrganizationKeys {
    return (this.#organizationKeys ??= new OrganizationKeys(this));
  }
  /** Admins: the organization's keys, its recovery key's public half, and every admin device's state. */
  organizationKeyStatus(slug: string): Promise<OrganizationKeysStatus> {
    return this.#keys().status(slug);
  }
  /** Members: the public key records are sealed to now, or null before an admin made one. */
  currentOrganizationKey(slug: string): Promise<OrganizationPublicKey | null> {
    return this.#keys().currentKey(slug);
  }
  /** Makes the organization's key pair; returns the recovery key, to show once (it is kept nowhere). */
  async setUpOrganizationKey(slug: string): Promise<{ recoveryKey: string }> {
    const { recoveryKey } = await this.#keys().setUp(slug);
    return { recoveryKey };
  }
  /** The organization's keys this device holds, opened; null when it holds none. */
  organizationKeyRing(slug: string): Promise<OrganizationKeyRing | null> {
    return this.#keys().keyRing(slug);
  }
  /** Seals every key this device holds to admin devices that lack it (the web app calls it on opening an organization). */
  shareOrganizationKeys(slug: string): Promise<{ granted: number; devices: number }> {
    return this.#keys().share(slug);
  }
  /** Opens the keys with the recovery key and gives them to this device. */
  recoverOrganizationKey(slug: string, recoveryKey: string): Promise<{ keys: number }> {
    return this.#keys().recover(slug, recoveryKey);
  }
  /** A new current key; older records stay readable with the old keys. */
  rotateOrganizationKey(slug: string): Promise<{ keyId: string }> {
    return this.#keys().rotate(slug);
  }
  /** Seals every key to a new recovery key, returned to show once; the old recovery key stops working. */
  replaceRecoveryKey(slug: string): Promise<{ recoveryKey: string }> {
    return this.#keys().replaceRecoveryKey(slug);
  }

  // ---- audit ----
  audit(slug: string, options: { before?: string; limit?: number } = {}): Promise<Page<AuditEntry>> {
    const q = new URLSearchParams();
    if (options.before) q.set("before", options.before);
    if (options.limit) q.set("limit", String(options.limit));
    const qs = q.size ? `?${q}` : "";
    return this.request("GET", `/api/v1/orgs/${seg(slug)}/audit${qs}`);
  }

  // ---- loops: key packages, rooms, the ordered log, welcomes, realtime ----
  keyPackageStock(suite: MlsSuite): Promise<KeyPackageStock> {
    return this.request("GET", `/api/v1/devices/current/key-packages?suite=${seg(suite)}`);
  }
  publishKeyPackages(suite: MlsSuite, packages: Array<{ data: string; lastResort?: boolean }>): Promise<KeyPackageStock> {
    return this.request("POST", "/api/v1/devices/current/key-packages", { suite, packages });
  }
  claimKeyPackages(suite: MlsSuite, accountIds: string[]): Promise<ClaimResult> {
    return this.request("POST", "/api/v1/key-packages/claim", { suite, accountIds });
  }
  rooms(): Promise<Room[]> {
    return this.request("GET", "/api/v1/rooms");
  }
  createRoom(slug: string, input: CreateRoom): Promise<Room> {
    return this.request("POST", `/api/v1/orgs/${seg(slug)}/rooms`, input);
  }
  room(id: string): Promise<RoomDetail> {
    return this.request("GET", `/api/v1/rooms/${seg(id)}`);
  }
  updateRoom(id: string, input: UpdateRoom): Promise<Room> {
    return this.request("PATCH", `/api/v1/rooms/${seg(id)}`, input);
  }
  addRoomMember(id: string, accountId: string): Promise<void> {
    return this.request("PUT", `/api/v1/rooms/${seg(id)}/members/${seg(accountId)}`);
  }
  removeRoomMember(id: string, accountId: string): Promise<void> {
    return this.request("DELETE", `/api/v1/rooms/${seg(id)}/members/${seg(accountId)}`);
  }
  submitCommit(roomId: string, input: SubmitCommit): Promise<RoomEvent> {
    return this.request("POST", `/api/v1/rooms/${seg(roomId)}/commits`, input);
  }
  sendMessage(roomId: string, input: SendMessage): Promise<{ seq: number; createdAt: number }> {
    return this.request("POST", `/api/v1/rooms/${seg(roomId)}/messages`, input);
  }
  /** Who was in the room along its log after event `after` (see RoomMembership): for checking commits. */
  roomMembership(roomId: string, after = 0): Promise<RoomMembership> {
    return this.request("GET", `/api/v1/rooms/${seg(roomId)}/membership?after=${after}`);
  }
  events(roomId: string, after = 0, limit?: number): Promise<RoomEvent[]> {
    const q = new URLSearchParams({ after: String(after) });
    if (limit) q.set("limit", String(limit));
    return this.request("GET", `/api/v1/rooms/${seg(roomId)}/events?${q}`);
  }
  /**
   * Uploads an attachment already encrypted on this device. With `onProgress` in a browser it
   * goes through XMLHttpRequest, the one API that reports upload progress (see transfer-progress.ts).
   */
  async uploadAttachment(roomId: string, ciphertext: Uint8Array<ArrayBuffer>, options: TransferOptions = {}): Promise<{ id: string; size: number; expiresAt: number | null }> {
    type Uploaded = { id: string; size: number; expiresAt: number | null };
    const url = `${this.baseUrl}/api/v1/rooms/${seg(roomId)}/attachments`;
    const headers = { "content-type": "application/octet-stream", accept: "application/json", ...this.#authHeader() };
    if (options.onProgress && typeof XMLHttpRequest === "function") return xhrUpload<Uploaded>(url, ciphertext, headers, options);
    options.onProgress?.(0, ciphertext.byteLength);
    const response = await this.#fetch(url, { method: "POST", headers, body: ciphertext, credentials: "same-origin", signal: options.signal ?? null });
    if (!response.ok) throw await toApiError(response);
    options.onProgress?.(ciphertext.byteLength, ciphertext.byteLength);
    return (await response.json()) as Uploaded;
  }
  async downloadAttachment(roomId: string, id: string, options: TransferOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
    const response = await this.#fetch(`${this.baseUrl}/api/v1/rooms/${seg(roomId)}/attachments/${seg(id)}`, {
      headers: this.#authHeader(),
      credentials: "same-origin",
      signal: options.signal ?? null,
    });
    if (!response.ok) throw await toApiError(response);
    if (options.onProgress) return readWithProgress(response, options.onProgress);
    return new Uint8Array(await response.arrayBuffer());
  }
  #authHeader(): Record<string, string> {
    return this.#token ? { authorization: `Bearer ${this.#token}` } : {};
  }
  welcomes(): Promise<Welcome[]> {
    return this.request("GET", "/api/v1/welcomes");
  }
  takeWelcome(id: string): Promise<void> {
    return this.request("DELETE", `/api/v1/welcomes/${seg(id)}`);
  }
  /** Opens this device's realtime connection; `ready` resolves once the server accepted it. */
  connect(onFrame: (frame: ServerFrame) => void, onClose?: (code: number, reason: string) => void): RealtimeConnection {
    return new RealtimeConnection({ url: realtimeUrl(this.baseUrl), token: this.#token, onFrame, ...(onClose ? { onClose } : {}) });
  }
}
