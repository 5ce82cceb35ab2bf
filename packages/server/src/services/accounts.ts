import {
  PASSWORD_MIN,
  type Account,
  type ChangePassword,
  type DeletionPreview,
  type Language,
  type SignedIn,
  type SignUp,
  type UpdateAccount,
} from "@commune/protocol";
import { checkUsername } from "../auth/usernames.ts";
import { newId } from "../auth/tokens.ts";
import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { isUniqueViolation } from "../store/errors.ts";
import type { AccountsTable } from "../store/schema/accounts.ts";
import { recordAudit } from "./audit.ts";
import { redeemInvite } from "./invites.ts";
import { announceRemoval } from "./organizations.ts";
import { createSession, type Authenticated } from "./sessions.ts";

const USERNAME_HELP: Record<string, string> = {
  too_short: "A username has at least 2 characters.",
  too_long: "A username has at most 32 characters.",
  invisible_or_control: "A username cannot contain invisible, spacing or direction-control characters.",
  bad_character: "Use letters, digits, and _ . - only.",
  bad_edge: "_ . - may only stand between letters or digits, one at a time.",
  mixed_scripts: "A username cannot mix alphabets that look alike (such as Latin and Cyrillic).",
};

export function toAccount(row: AccountsTable): Account {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    language: (row.language as Language | null) ?? null,
    instanceAdmin: row.instance_admin === 1,
    createdAt: Number(row.created_at),
  };
}

function checkPassword(password: string, username: string): void {
  if ([...password].length < PASSWORD_MIN) {
    throw new AppError("password_too_weak", `Choose a password of at least ${PASSWORD_MIN} characters; a few unrelated words work well.`, {
      issues: [{ path: "password", message: "too short" }],
    });
  }
  if (password.toLowerCase().includes(username.toLowerCase())) {
    throw new AppError("password_too_weak", "The password must not contain the username.", { issues: [{ path: "password", message: "contains username" }] });
  }
}

/** Creates an account through an invite (the only way in), signs it in, and redeems the invite. */
export async function signUp(ctx: AppContext, input: SignUp, client: string): Promise<SignedIn> {
  const name = checkUsername(input.username);
  if (!name.ok) {
    throw new AppError("username_invalid", USERNAME_HELP[name.problem] ?? "This username is not allowed.", { issues: [{ path: "username", message: name.problem }] });
  }
  checkPassword(input.password, name.key);
  const passwordHash = await ctx.passwords.hash(input.password);
  const now = ctx.now();
  const account: AccountsTable = {
    id: newId(),
    username: name.display,
    username_key: name.key,
    username_skeleton: name.skeleton,
    password_hash: passwordHash,
    email: input.email ?? null,
    language: null,
    instance_admin: 0,
    created_at: now,
  };
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const clash = await trx
        .selectFrom("accounts")
        .select(["username_key"])
        .where((eb) => eb.or([eb("username_key", "=", name.key), eb("username_skeleton", "=", name.skeleton)]))
        .executeTakeFirst();
      if (clash) throw usernameClash(clash.username_key === name.key);
      await trx.insertInto("accounts").values(account).execute();
      const redeemed = await redeemInvite(trx, ctx, input.invite, account.id);
      const session = await createSession(trx, ctx, account.id, client);
      const final = redeemed.kind === "instance-admin" ? { ...account, instance_admin: 1 } : account;
      return {
        account: toAccount(final),
        token: session.token,
        sessionId: session.sessionId,
        ...(redeemed.kind === "organization" ? { joined: redeemed.organization } : {}),
      };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw usernameClash(true);
    throw error;
  }
}

function usernameClash(exact: boolean): AppError {
  return exact
    ? new AppError("username_taken", "This username is taken; choose another.", { issues: [{ path: "username", message: "taken" }] })
    : new AppError("username_confusable", "This username looks too much like an existing one; choose another.", { issues: [{ path: "username", message: "confusable" }] });
}

/**
 * Checks a password. The reply is the same whether the name exists or not, and takes as long:
 * an unknown name still costs one argon2 verification.
 */
export async function signIn(ctx: AppContext, username: string, password: string, client: string, address: string): Promise<SignedIn> {
  const name = checkUsername(username);
  const key = name.ok ? name.key : username.normalize("NFKC").toLowerCase();
  for (const [limiter, k] of [
    [ctx.limits.signInPerAddress, address],
    [ctx.limits.signInPerAccount, key],
  ] as const) {
    const wait = limiter.hit(k);
    if (wait !== null) throw new AppError("rate_limited", `Too many sign-in attempts. Try again in ${wait} seconds.`, { retryAfter: wait });
  }
  const row = name.ok ? await ctx.db.selectFrom("accounts").selectAll().where("username_key", "=", name.key).executeTakeFirst() : undefined;
  if (!row) {
    await ctx.passwords.burn(password);
    throw new AppError("invalid_credentials", "This username and password do not match.");
  }
  if (!(await ctx.passwords.verify(row.password_hash, password))) {
    throw new AppError("invalid_credentials", "This username and password do not match.");
  }
  ctx.limits.signInPerAccount.reset(key);
  const session = await createSession(ctx.db, ctx, row.id, client);
  return { account: toAccount(row), token: session.token, sessionId: session.sessionId };
}

export async function updateAccount(ctx: AppContext, auth: Authenticated, input: UpdateAccount): Promise<Account> {
  const changes: Partial<AccountsTable> = {};
  if (input.email !== undefined) changes.email = input.email;
  if (input.language !== undefined) changes.language = input.language;
  if (Object.keys(changes).length > 0) await ctx.db.updateTable("accounts").set(changes).where("id", "=", auth.account.id).execute();
  return toAccount({ ...auth.account, ...changes });
}

/** Changes the password and ends every other session of the account. */
export async function changePassword(ctx: AppContext, auth: Authenticated, input: ChangePassword): Promise<void> {
  if (!(await ctx.passwords.verify(auth.account.password_hash, input.currentPassword))) {
    throw new AppError("invalid_credentials", "The current password is not right.", { issues: [{ path: "currentPassword", message: "wrong" }] });
  }
  checkPassword(input.newPassword, auth.account.username_key);
  const hash = await ctx.passwords.hash(input.newPassword);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable("accounts").set({ password_hash: hash }).where("id", "=", auth.account.id).execute();
    await trx.deleteFrom("sessions").where("account_id", "=", auth.account.id).where("id", "!=", auth.sessionId).execute();
  });
}

export async function deletionPreview(ctx: AppContext, accountId: string): Promise<DeletionPreview> {
  const memberships = await ctx.db
    .selectFrom("memberships as m")
    .innerJoin("organizations as o", "o.id", "m.organization_id")
    .select(["o.id", "o.slug", "o.name", "m.role"])
    .select((eb) => [
      eb.selectFrom("memberships as c").select(eb.fn.countAll<number>().as("n")).whereRef("c.organization_id", "=", "o.id").as("members"),
      eb
        .selectFrom("memberships as a")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("a.organization_id", "=", "o.id")
        .where("a.role", "=", "admin")
        .as("admins"),
    ])
    .where("m.account_id", "=", accountId)
    .execute();
  const count = async (table: "devices" | "sessions") =>
    Number((await ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).where("account_id", "=", accountId).executeTakeFirstOrThrow()).n);
  return {
    blockingOrganizations: memberships
      .filter((m) => m.role === "admin" && Number(m.admins) === 1 && Number(m.members) > 1)
      .map(({ slug, name }) => ({ slug, name })),
    organizationsDeleted: memberships.filter((m) => Number(m.members) === 1).map(({ slug, name }) => ({ slug, name })),
    memberships: memberships.length,
    devices: await count("devices"),
    sessions: await count("sessions"),
  };
}

/**
 * Deletes the account for real: the row, its devices, sessions, memberships and circle places, and
 * the organizations it was alone in. Audit entries stay, with the actor blanked.
 */
export async function deleteAccount(ctx: AppContext, auth: Authenticated, password: string): Promise<void> {
  if (!(await ctx.passwords.verify(auth.account.password_hash, password))) {
    throw new AppError("invalid_credentials", "The password is not right.", { issues: [{ path: "password", message: "wrong" }] });
  }
  const now = ctx.now();
  let loops: string[] = [];
  await ctx.db.transaction().execute(async (trx) => {
    const preview = await deletionPreview({ ...ctx, db: trx }, auth.account.id);
    if (preview.blockingOrganizations.length > 0) {
      throw new AppError(
        "last_admin",
        `You are the last admin of ${preview.blockingOrganizations.map((o) => o.name).join(", ")}: make someone else admin there first.`,
      );
    }
    const deleted = new Set(preview.organizationsDeleted.map((o) => o.slug));
    if (deleted.size > 0) await trx.deleteFrom("organizations").where("slug", "in", [...deleted]).execute();
    const remaining = await trx.selectFrom("memberships").select(["organization_id", "role"]).where("account_id", "=", auth.account.id).execute();
    loops = (await trx.selectFrom("room_members").select("room_id").where("account_id", "=", auth.account.id).execute()).map((r) => r.room_id);
    for (const m of remaining) {
      await recordAudit(trx, now, { organizationId: m.organization_id, actorId: null, action: "member.account_deleted", details: { role: m.role } });
    }
    await trx.deleteFrom("accounts").where("id", "=", auth.account.id).execute();
  });
  await announceRemoval(ctx, loops, auth.account.id);
}
