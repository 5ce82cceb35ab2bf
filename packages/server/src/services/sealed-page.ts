/** One page of records sealed to an organization's key, as organizers' listings return them. */

/** The columns every sealed-record table shares. */
export interface SealedRow<S extends string> {
  readonly id: string;
  readonly key_id: string;
  readonly sealed: string | null;
  readonly status: S;
  readonly created_at: number;
  readonly confirmed_at: number | null;
}

/**
 * Turns `limit + 1` rows ordered by id into a page and the cursor of the next one (null at the
 * end); `statusOf` maps the stored status to the one the API shows.
 */
export function sealedPage<S extends string, T extends string>(
  rows: readonly SealedRow<S>[],
  limit: number,
  statusOf: (status: S) => T,
): { items: { id: string; keyId: string; sealed: string; status: T; createdAt: number; confirmedAt: number | null }[]; next: string | null } {
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      keyId: r.key_id,
      sealed: r.sealed ?? "",
      status: statusOf(r.status),
      createdAt: Number(r.created_at),
      confirmedAt: r.confirmed_at === null ? null : Number(r.confirmed_at),
    })),
    next: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
