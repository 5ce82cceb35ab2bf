import type { Session } from "@commune/protocol";
import type { Kysely } from "kysely";
import { hashToken, newId, newToken } from "../auth/tokens.ts";
import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import type { AccountsTable } from "../store/schema/accounts.ts";
import type { Database } from "../store/schema/index.ts";

export interface Authenticated {
  readonly sessionId: string;
  readonly deviceId: string | null;
  readonly account: AccountsTable;
}

const TOUCH_EVERY_MS = 60_000;

export async function createSession(
  db: Kysely<Database>,
  ctx: AppContext,
  accountId: string,
  client: string,
): Promise<{ token: string; sessionId: string }> {
  const token = newToken();
  const sessionId = newId();
  const now = ctx.now();
  await db
    .insertInto("sessions")
    .values({
      id: sessionId,
      token_hash: hashToken(token),
      account_id: accountId,
      device_id: null,
      client,
      created_at: now,
      last_seen_at: now,
      expires_at: now + ctx.config.sessionDays * 86_400_000,
    })
    .execute();
  return { token, sessionId };
}

/** Resolves a bearer token to its live session and account; null when unknown or expired. */
export async function authenticate(ctx: AppContext, token: string): Promise<Authenticated | null> {
  if (token.length < 16 || token.length > 128) return null;
  const row = await ctx.db
    .selectFrom("sessions as s")
    .innerJoin("accounts as a", "a.id", "s.account_id")
    .selectAll("a")
    .select(["s.id as session_id", "s.device_id", "s.last_seen_at", "s.expires_at"])
    .where("s.token_hash", "=", hashToken(token))
    .executeTakeFirst();
  const now = ctx.now();
  if (!row || Number(row.expires_at) <= now) return null;
  if (now - Number(row.last_seen_at) > TOUCH_EVERY_MS) {
    // sliding expiry; at most one write a minute per session
    await ctx.db
      .updateTable("sessions")
      .set({ last_seen_at: now, expires_at: now + ctx.config.sessionDays * 86_400_000 })
      .where("id", "=", row.session_id)
      .execute();
  }
  const { session_id, device_id, last_seen_at: _l, expires_at: _e, ...account } = row;
  return { sessionId: session_id, deviceId: device_id, account };
}

export async function listSessions(ctx: AppContext, auth: Authenticated): Promise<Session[]> {
  const rows = await ctx.db
    .selectFrom("sessions as s")
    .leftJoin("devices as d", "d.id", "s.device_id")
    .select(["s.id", "s.device_id", "d.name as device_name", "s.client", "s.created_at", "s.last_seen_at", "s.expires_at"])
    .where("s.account_id", "=", auth.account.id)
    .where("s.expires_at", ">", ctx.now())
    .orderBy("s.last_seen_at", "desc")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    deviceId: r.device_id,
    deviceName: r.device_name ?? null,
    client: r.client,
    createdAt: Number(r.created_at),
    lastSeenAt: Number(r.last_seen_at),
    expiresAt: Number(r.expires_at),
    current: r.id === auth.sessionId,
  }));
}

export async function revokeSession(ctx: AppContext, auth: Authenticated, sessionId: string): Promise<void> {
  const result = await ctx.db
    .deleteFrom("sessions")
    .where("id", "=", sessionId)
    .where("account_id", "=", auth.account.id)
    .executeTakeFirst();
  if (result.numDeletedRows === 0n) throw new AppError("not_found", "No such session.");
}

export async function deleteExpiredSessions(ctx: AppContext): Promise<number> {
  const result = await ctx.db.deleteFrom("sessions").where("expires_at", "<=", ctx.now()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
