/**
 * Builds a small community on a running server through the real client, the path people take:
 * the first administrator signs up with the printed invite, creates an organization and an
 * unlimited invite, and members sign up with it. Every request carries its own made-up
 * X-Forwarded-For address (10.x.y.z), which the server reads only with COMMUNE_TRUST_PROXY=true,
 * so per-address rate limits see many addresses instead of one.
 */
import { CommuneClient } from "@commune/client";

export const PASSWORD = "correct horse battery staple";

let nextAddress = 1;
/** A distinct fake client address per call: 10.0.0.1, 10.0.0.2, … (never contacted: a header value). */
export function fakeAddress(): string {
  const n = nextAddress++;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** fetch that adds a fresh X-Forwarded-For to each request. */
export function forwardingFetch(): typeof fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set("x-forwarded-for", fakeAddress());
    return fetch(input, { ...init, headers });
  };
}

export interface Community {
  readonly admin: CommuneClient;
  readonly slug: string;
  /** Everyone who can sign in, administrator first. */
  readonly usernames: readonly string[];
}

export async function buildCommunity(url: string, adminInvite: string, members: number, concurrency = 2): Promise<Community> {
  const client = () => new CommuneClient({ baseUrl: url, fetch: forwardingFetch(), userAgent: "commune-bench", deviceName: "bench" });
  const admin = client();
  await admin.signUp({ username: "bench-admin", password: PASSWORD, invite: adminInvite });
  const org = await admin.createOrganization({ name: "Bench Tenants Union", slug: "bench", visibility: "private", languages: ["en"] });
  const invite = await admin.createInvite(org.slug, { role: "member", expiresInHours: 24, maxUses: null });
  const usernames = ["bench-admin"];
  const names = Array.from({ length: members }, (_, i) => `member${String(i + 1).padStart(4, "0")}`);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, concurrency) }, async () => {
      while (next < names.length) {
        const username = names[next++]!;
        await client().signUp({ username, password: PASSWORD, invite: invite.token });
      }
    }),
  );
  usernames.push(...names);
  return { admin, slug: org.slug, usernames };
}
