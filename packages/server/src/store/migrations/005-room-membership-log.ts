import { sql, type Kysely } from "kysely";
import type { Dialect } from "../database.ts";

/**
 * The history of who was in each loop, in the order of the loop's event log, so that a client
 * can check every commit against the member list *as it was at that commit* (a client catching up
 * after a week must not refuse the add of someone who has left since).
 *
 * Every change to `room_members` is recorded by a database trigger, not by the services: rows
 * leave that table through several services and through foreign-key cascades (a deleted account,
 * organization or circle), and a trigger sees them all. Each change also bumps
 * `rooms.membership_version`, which a commit may name so that the server refuses one built on a
 * member list that has changed since (see services/rooms.ts submitCommit).
 *
 * `seq` is the room's `last_seq` when the change happened: the change sits between event `seq`
 * and event `seq + 1`. The trigger takes the room's row lock (its UPDATE) before reading
 * `last_seq`, so on PostgreSQL too it is ordered with the commits and messages of that room.
 * `membership_log_from` is where the history starts: rooms that existed before this migration
 * have no history of their earlier events, and clients do not check commits from before it.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema.alterTable("rooms").addColumn("membership_version", "bigint", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("rooms").addColumn("membership_log_from", "bigint", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable("room_membership_log")
    .addColumn("id", dialect === "postgres" ? "bigserial" : "integer", (c) => (dialect === "postgres" ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn("room_id", "text", (c) => c.notNull().references("rooms.id").onDelete("cascade"))
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("added", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("room_membership_log_room").on("room_membership_log").columns(["room_id", "id"]).execute();

  // the rooms that already exist: their members now, from their current position on
  await sql`update rooms set membership_log_from = last_seq, membership_version = (select count(*) from room_members m where m.room_id = rooms.id)`.execute(db);
  await sql`insert into room_membership_log (room_id, seq, account_id, added) select r.id, r.last_seq, m.account_id, 1 from room_members m join rooms r on r.id = m.room_id order by r.id, m.added_at`.execute(db);

  if (dialect === "postgres") {
    await sql`
      create function room_members_logged() returns trigger language plpgsql as $$
      declare
        changed_room text;
        changed_account text;
        is_add integer;
      begin
        if tg_op = 'INSERT' then
          changed_room := new.room_id; changed_account := new.account_id; is_add := 1;
        else
          changed_room := old.room_id; changed_account := old.account_id; is_add := 0;
        end if;
        -- a room being deleted is gone already: nothing is recorded
        with moved as (
          update rooms set membership_version = membership_version + 1 where id = changed_room returning id, last_seq
        )
        insert into room_membership_log (room_id, seq, account_id, added) select id, last_seq, changed_account, is_add from moved;
        return null;
      end
      $$`.execute(db);
    await sql`create trigger room_members_logged after insert or delete on room_members for each row execute function room_members_logged()`.execute(db);
  } else {
    // SQLite runs one writer at a time: the update and the insert see the same last_seq
    await sql`
      create trigger room_members_logged_insert after insert on room_members begin
        update rooms set membership_version = membership_version + 1 where id = new.room_id;
        insert into room_membership_log (room_id, seq, account_id, added) select id, last_seq, new.account_id, 1 from rooms where id = new.room_id;
      end`.execute(db);
    await sql`
      create trigger room_members_logged_delete after delete on room_members begin
        update rooms set membership_version = membership_version + 1 where id = old.room_id;
        insert into room_membership_log (room_id, seq, account_id, added) select id, last_seq, old.account_id, 0 from rooms where id = old.room_id;
      end`.execute(db);
  }
}

export async function down(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect === "postgres") {
    await sql`drop trigger room_members_logged on room_members`.execute(db);
    await sql`drop function room_members_logged()`.execute(db);
  } else {
    await sql`drop trigger room_members_logged_insert`.execute(db);
    await sql`drop trigger room_members_logged_delete`.execute(db);
  }
  await db.schema.dropTable("room_membership_log").execute();
  await db.schema.alterTable("rooms").dropColumn("membership_log_from").execute();
  await db.schema.alterTable("rooms").dropColumn("membership_version").execute();
}
