/**
 * The foundation issue's story, through the headless client against a real server, on both store
 * dialects: first administrator, organization, invite, joining, roles, circles, audit log,
 * sessions and devices, leaving and deleting an account.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DIALECTS, PASSWORD, codeOf, join, orgWithMembers, startServer } from "./helpers.ts";

for (const dialect of DIALECTS) {
  describe(`foundation flow (${dialect})`, () => {
    it("the first person becomes administrator through the one-time setup link", async () => {
      await using t = await startServer(dialect);
      const anon = t.client();
      assert.equal((await anon.instance()).setupRequired, true);
      const invite = await t.server.createAdminInvite();
      assert.match(invite.url, /\/invite#[A-Za-z0-9_-]{43}$/);
      // started on port 0: the link names the port actually bound, not 0
      assert.equal(new URL(invite.url).port, new URL(t.url).port);
      assert.deepEqual((await anon.previewInvite(invite.token)).kind, "instance-admin");
      const signed = await anon.signUp({ username: "Rosa", password: PASSWORD, invite: invite.token });
      assert.equal(signed.account.instanceAdmin, true);
      assert.equal(signed.account.username, "Rosa");
      assert.equal((await anon.instance()).setupRequired, false);
      // one-time: a second person cannot use the same link
      assert.equal(await codeOf(t.client().signUp({ username: "mallory", password: PASSWORD, invite: invite.token })), "invite_invalid");
      // the device key was registered and the session bound to it
      const devices = await anon.devices();
      assert.equal(devices.length, 1);
      assert.equal(devices[0]!.publicKey, anon.device!.keyPair.publicKeyRaw);
      const sessions = await anon.sessions();
      assert.equal(sessions.length, 1);
      assert.equal(sessions[0]!.deviceId, devices[0]!.id);
      assert.equal(sessions[0]!.current, true);
    });

    it("an admin invites a comrade who joins, gets a role, a circle, and shows in the audit log", async () => {
      await using t = await startServer(dialect);
      const admin = await t.admin("rosa");
      const org = await admin.createOrganization({ name: "Tenants' Union", visibility: "private", languages: ["en", "ar"] });
      assert.equal(org.slug, "tenants-union");
      assert.equal(org.role, "admin");

      const invite = await admin.createInvite(org.slug, { role: "member", expiresInHours: 48, maxUses: 5 });
      assert.match(invite.url, /\/invite#/);
      const preview = await t.client().previewInvite(invite.token);
      assert.equal(preview.kind, "organization");
      assert.equal(preview.organization?.name, "Tenants' Union");

      const karl = t.client();
      const signed = await karl.signUp({ username: "karl", password: PASSWORD, invite: invite.token });
      assert.equal(signed.joined?.slug, org.slug);
      assert.equal(signed.account.instanceAdmin, false);
      const mine = await karl.organizations();
      assert.deepEqual(mine.map((o) => [o.slug, o.role, o.memberCount]), [[org.slug, "member", 2]]);

      const members = await admin.members(org.slug);
      assert.deepEqual(members.map((m) => [m.username, m.role]), [["rosa", "admin"], ["karl", "member"]]);
      const karlId = signed.account.id;
      assert.equal((await admin.changeRole(org.slug, karlId, "organizer")).role, "organizer");

      const circle = await karl.createCircle(org.slug, { name: "Building 7 committee" });
      await karl.addToCircle(org.slug, circle.id, karlId);
      const detail = await admin.circle(org.slug, circle.id);
      assert.deepEqual(detail.members.map((m) => m.username), ["karl"]);
      assert.equal((await karl.circles(org.slug))[0]!.isMember, true);

      const invites = await admin.invites(org.slug);
      assert.equal(invites[0]!.uses, 1);
      assert.equal(await codeOf(karl.audit(org.slug)), "forbidden");
      const audit = await admin.audit(org.slug);
      assert.deepEqual(
        audit.items.map((e) => e.action),
        ["circle.member_added", "circle.created", "member.role_changed", "member.joined", "invite.created", "organization.created"],
      );
      const roleChange = audit.items.find((e) => e.action === "member.role_changed")!;
      assert.equal(roleChange.actor, "rosa");
      assert.equal(roleChange.subject, "karl");
      assert.deepEqual(roleChange.details, { from: "member", to: "organizer" });
    });

    it("invites expire, run out and can be revoked; organizers invite only members", async () => {
      await using t = await startServer(dialect);
      const { admin, members } = await orgWithMembers(t, "local-1", ["olga"]);
      const [olga] = members;
      const olgaId = (await olga!.me()).id;
      await admin.changeRole("local-1", olgaId, "organizer");
      assert.equal(await codeOf(olga!.createInvite("local-1", { role: "admin", expiresInHours: 1, maxUses: 1 })), "forbidden");
      const once = await olga!.createInvite("local-1", { role: "member", expiresInHours: 1, maxUses: 1 });
      await t.client().signUp({ username: "first", password: PASSWORD, invite: once.token });
      assert.equal(await codeOf(t.client().signUp({ username: "second", password: PASSWORD, invite: once.token })), "invite_invalid");
      // a refused sign-up leaves no account behind: the name is still free
      const revoked = await admin.createInvite("local-1", { role: "member", expiresInHours: 1, maxUses: null });
      await admin.revokeInvite("local-1", revoked.id);
      assert.equal(await codeOf(t.client().previewInvite(revoked.token)), "invite_invalid");
      const fresh = await admin.createInvite("local-1", { role: "member", expiresInHours: 1, maxUses: null });
      await t.client().signUp({ username: "second", password: PASSWORD, invite: fresh.token });
      // time passes: the link expires
      const realNow = t.server.ctx.now;
      (t.server.ctx as { now: () => number }).now = () => realNow() + 2 * 3_600_000;
      try {
        assert.equal(await codeOf(t.client().previewInvite(fresh.token)), "invite_invalid");
      } finally {
        (t.server.ctx as { now: () => number }).now = realNow;
      }
    });

    it("two people racing for the last use of an invite: exactly one gets in", async () => {
      await using t = await startServer(dialect);
      const { admin } = await orgWithMembers(t, "race");
      const invite = await admin.createInvite("race", { role: "member", expiresInHours: 1, maxUses: 1 });
      const results = await Promise.allSettled(
        ["ana", "ben", "cleo", "dan"].map((u) => t.client().signUp({ username: u, password: PASSWORD, invite: invite.token })),
      );
      assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
      for (const r of results) if (r.status === "rejected") assert.equal((r.reason as { code: string }).code, "invite_invalid");
      assert.equal((await admin.members("race")).length, 2);
    });

    it("the last admin cannot leave or be demoted; members leave; admins remove", async () => {
      await using t = await startServer(dialect);
      const { admin, members } = await orgWithMembers(t, "coop", ["mia", "noor"]);
      const adminId = (await admin.me()).id;
      assert.equal(await codeOf(admin.leave("coop")), "last_admin");
      assert.equal(await codeOf(admin.changeRole("coop", adminId, "member")), "last_admin");
      const [mia, noor] = members;
      const noorId = (await noor!.me()).id;
      assert.equal(await codeOf(mia!.removeMember("coop", noorId)), "forbidden");
      await mia!.leave("coop");
      assert.equal(await codeOf(mia!.members("coop")), "not_found");
      await admin.removeMember("coop", noorId);
      assert.deepEqual((await admin.members("coop")).map((m) => m.username), ["admin"]);
      const actions = (await admin.audit("coop")).items.map((e) => e.action);
      assert.deepEqual(actions.slice(0, 2), ["member.removed", "member.left"]);
      // once another admin exists, the first may step down
      const sam = await join(t, admin, "coop", "sam", "admin");
      await admin.changeRole("coop", adminId, "member");
      assert.equal(await codeOf(admin.audit("coop")), "forbidden");
      assert.ok(sam);
    });

    it("a private organization does not disclose itself; a public one shows its summary", async () => {
      await using t = await startServer(dialect);
      const admin = await t.admin();
      await admin.createOrganization({ name: "Secret cell", slug: "cell", visibility: "private", languages: ["fr"] });
      await admin.createOrganization({ name: "Open union", slug: "open", visibility: "public", languages: ["en"] });
      const anon = t.client();
      assert.equal(await codeOf(anon.organization("cell")), "not_found");
      assert.equal((await anon.organization("open")).name, "Open union");
      assert.equal(await codeOf(anon.members("open")), "unauthenticated");
      assert.equal(await codeOf(admin.createOrganization({ name: "x", slug: "open", visibility: "public", languages: ["en"] })), "slug_taken");
    });

    it("only instance administrators create organizations unless the host opens it to everyone", async () => {
      await using t = await startServer(dialect);
      const { members } = await orgWithMembers(t, "first", ["zoe"]);
      assert.equal(await codeOf(members[0]!.createOrganization({ name: "Mine", visibility: "public", languages: ["en"] })), "forbidden");
      await using open = await startServer(dialect, { organizationCreation: "everyone" });
      const { members: m2 } = await orgWithMembers(open, "first", ["zoe"]);
      assert.equal((await m2[0]!.createOrganization({ name: "Mine", visibility: "public", languages: ["ja"] })).role, "admin");
    });

    it("sign in and out; sessions are listed and revocable; removing a device ends its sessions", async () => {
      await using t = await startServer(dialect);
      const { members } = await orgWithMembers(t, "s", ["lena"]);
      const phone = members[0]!;
      const laptop = t.client("laptop");
      await laptop.signIn("LENA", PASSWORD); // names are case-insensitive
      const sessions = await laptop.sessions();
      assert.equal(sessions.length, 2);
      assert.equal((await laptop.devices()).length, 2);
      const phoneSession = sessions.find((s) => !s.current)!;
      await laptop.revokeSession(phoneSession.id);
      assert.equal(await codeOf(phone.me()), "unauthenticated");
      await phone.signIn("lena", PASSWORD);
      // signing in again on the same device reuses its key: no new device
      assert.equal((await phone.devices()).length, 2);
      const phoneDevice = phone.device!.deviceId;
      await laptop.removeDevice(phoneDevice);
      assert.equal(await codeOf(phone.me()), "unauthenticated");
      await laptop.signOut();
      assert.equal(await codeOf(laptop.me()), "unauthenticated");
      assert.equal(await codeOf(t.client().signIn("lena", "wrong password!")), "invalid_credentials");
      assert.equal(await codeOf(t.client().signIn("nobody-here", "wrong password!")), "invalid_credentials");
    });

    it("changing the password ends the other sessions", async () => {
      await using t = await startServer(dialect);
      const { members } = await orgWithMembers(t, "p", ["ivo"]);
      const other = t.client();
      await other.signIn("ivo", PASSWORD);
      await members[0]!.changePassword({ currentPassword: PASSWORD, newPassword: "a much longer new passphrase" });
      assert.equal(await codeOf(other.me()), "unauthenticated");
      assert.equal((await members[0]!.me()).username, "ivo");
      assert.equal(await codeOf(t.client().signIn("ivo", PASSWORD)), "invalid_credentials");
    });

    it("deleting an account removes it for real, after saying what will happen", async () => {
      await using t = await startServer(dialect);
      const { admin, members } = await orgWithMembers(t, "union", ["yuki"]);
      const yuki = members[0]!;
      const yukiId = (await yuki.me()).id;
      const c = await yuki.createCircle("union", { name: "x" }).catch(() => null);
      assert.equal(c, null); // members cannot create circles
      const circle = await admin.createCircle("union", { name: "Press" });
      await admin.addToCircle("union", circle.id, yukiId);
      await admin.createOrganization({ name: "Admin alone", slug: "alone", visibility: "private", languages: ["en"] });

      const adminPreview = await admin.deletionPreview();
      assert.deepEqual(adminPreview.blockingOrganizations.map((o) => o.slug), ["union"]);
      assert.deepEqual(adminPreview.organizationsDeleted.map((o) => o.slug), ["alone"]);
      assert.equal(await codeOf(admin.deleteAccount(PASSWORD)), "last_admin");

      const preview = await yuki.deletionPreview();
      assert.deepEqual(preview, { blockingOrganizations: [], organizationsDeleted: [], memberships: 1, devices: 1, sessions: 1 });
      assert.equal(await codeOf(yuki.deleteAccount("not my password")), "invalid_credentials");
      await yuki.deleteAccount(PASSWORD);
      assert.equal(await codeOf(yuki.me()), "unauthenticated");
      assert.equal(await codeOf(t.client().signIn("yuki", PASSWORD)), "invalid_credentials");
      assert.deepEqual((await admin.members("union")).map((m) => m.username), ["admin"]);
      assert.equal((await admin.circle("union", circle.id)).members.length, 0);
      const accounts = await t.server.ctx.db.selectFrom("accounts").select("username").execute();
      assert.deepEqual(accounts.map((a) => a.username), ["admin"]);
      const audit = await admin.audit("union");
      assert.equal(audit.items[0]!.action, "member.account_deleted");
      // the audit log keeps what happened, but no longer names the deleted person
      assert.ok(audit.items.every((e) => e.actor !== "yuki" && e.subject !== "yuki"));
    });

    it("audit log pages from newest to oldest", async () => {
      await using t = await startServer(dialect);
      const { admin } = await orgWithMembers(t, "pages");
      for (let i = 0; i < 7; i++) await admin.createCircle("pages", { name: `circle ${i}` });
      const seen: string[] = [];
      let before: string | undefined;
      for (;;) {
        const page = await admin.audit("pages", { limit: 3, ...(before ? { before } : {}) });
        seen.push(...page.items.map((e) => e.id));
        if (!page.next) break;
        before = page.next;
      }
      assert.equal(seen.length, 8);
      assert.deepEqual([...seen].sort((a, b) => Number(b) - Number(a)), seen);
    });
  });
}
