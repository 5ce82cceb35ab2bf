/**
 * What the public page of a petition reads — its text, its counter, the latest names shown with
 * consent — served from memory for a second at a time, so a viral spike of readers costs the store
 * one query per petition per second and not one per view. The live counter's event streams share
 * one ticker per petition for the same reason.
 */
import type { PetitionProgress, PublicPetition } from "@commune/protocol";
import { PUBLIC_NAMES_SHOWN } from "@commune/protocol";
import type { AppContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { currentOrganizationKey } from "./organization-keys.ts";
import { fieldsOf, petitionState, translationsOf } from "./petitions.ts";

const FRESH_MS = 1000;

interface Entry {
  readonly at: number;
  readonly value: Promise<PublicPetition>;
}

type Listener = (progress: PetitionProgress) => void;

export class PetitionProgressCache {
  #entries = new Map<string, Entry>();
  #listeners = new Map<string, { set: Set<Listener>; timer: NodeJS.Timeout; last: string }>();

  /** The public view of a published petition; `not_found` for drafts and unknown addresses. */
  get(ctx: AppContext, slug: string): Promise<PublicPetition> {
    const now = ctx.now();
    const entry = this.#entries.get(slug);
    if (entry && now - entry.at < FRESH_MS) return entry.value;
    const value = loadPublicPetition(ctx, slug);
    this.#entries.set(slug, { at: now, value });
    // a failed load (unknown slug, store hiccup) is not remembered beyond this request
    value.catch(() => {
      if (this.#entries.get(slug)?.value === value) this.#entries.delete(slug);
    });
    if (this.#entries.size > 10_000) this.#entries.delete(this.#entries.keys().next().value as string);
    return value;
  }

  /** Drops what is cached for a petition: its text or counter changed here. */
  forget(slug: string): void {
    this.#entries.delete(slug);
  }

  /**
   * Calls `listener` with the petition's progress each time it changes (checked every second,
   * one check per petition however many pages watch it). Returns the unsubscribe function.
   */
  watch(ctx: AppContext, slug: string, listener: Listener): () => void {
    let watched = this.#listeners.get(slug);
    if (!watched) {
      const set = new Set<Listener>();
      const timer = setInterval(() => {
        this.get(ctx, slug).then(
          (view) => {
            const progress: PetitionProgress = { count: view.count, publicNames: view.publicNames };
            const key = JSON.stringify(progress);
            const current = this.#listeners.get(slug);
            if (!current || current.last === key) return;
            current.last = key;
            for (const l of current.set) l(progress);
          },
          () => undefined, // deleted meanwhile: the streams end when their clients leave
        );
      }, FRESH_MS);
      timer.unref();
      watched = { set, timer, last: "" };
      this.#listeners.set(slug, watched);
    }
    watched.set.add(listener);
    return () => {
      const current = this.#listeners.get(slug);
      if (!current) return;
      current.set.delete(listener);
      if (current.set.size === 0) {
        clearInterval(current.timer);
        this.#listeners.delete(slug);
      }
    };
  }

  close(): void {
    for (const { timer } of this.#listeners.values()) clearInterval(timer);
    this.#listeners.clear();
    this.#entries.clear();
  }
}

async function loadPublicPetition(ctx: AppContext, slug: string): Promise<PublicPetition> {
  const row = await ctx.db.selectFrom("petitions").selectAll().where("slug", "=", slug).executeTakeFirst();
  if (!row || row.status === "draft") throw new AppError("not_found", "No such petition.");
  const org = await ctx.db.selectFrom("organizations").select(["slug", "name"]).where("id", "=", row.organization_id).executeTakeFirstOrThrow();
  const names = await ctx.db
    .selectFrom("petition_signatures")
    .select("public_name")
    .where("petition_id", "=", row.id)
    .where("status", "=", "confirmed")
    .where("public_name", "is not", null)
    .orderBy("confirmed_at", "desc")
    .limit(PUBLIC_NAMES_SHOWN)
    .execute();
  const key = await currentOrganizationKey(ctx, row.organization_id);
  const state = petitionState(row, ctx.now());
  return {
    id: row.id,
    slug: row.slug,
    organization: { slug: org.slug, name: org.name },
    state: state === "draft" ? "closed" : state,
    defaultLanguage: row.default_language,
    translations: translationsOf(row),
    goal: Number(row.goal),
    startsAt: row.starts_at === null ? null : Number(row.starts_at),
    endsAt: row.ends_at === null ? null : Number(row.ends_at),
    fields: fieldsOf(row),
    count: Number(row.signature_count),
    publicNames: names.map((n) => n.public_name as string),
    key,
    mail: ctx.mailer.configured,
  };
}
