/**
 * The public entry's paths. The server sends public.html for /p/* and /f/*; everything else
 * belongs to the account app (index.html).
 */
export type PublicRoute =
  | { readonly page: "petition" | "confirm" | "withdraw" | "embed"; readonly slug: string }
  | { readonly page: "form" | "form-confirm"; readonly slug: string }
  | { readonly page: "not-found" };

const PETITION_PAGES = ["confirm", "withdraw", "embed"] as const;

export function matchPublicRoute(path: string): PublicRoute {
  const parts = path.split("/").filter(Boolean);
  const [kind, rawSlug, sub, ...rest] = parts;
  // forms: /f/<slug> and /f/<slug>/confirm
  if (kind === "f" && rawSlug !== undefined && rest.length === 0 && (sub === undefined || sub === "confirm")) {
    try {
      return { page: sub ? "form-confirm" : "form", slug: decodeURIComponent(rawSlug) };
    } catch {
      return { page: "not-found" };
    }
  }
  if (kind !== "p" || rawSlug === undefined || rest.length > 0) return { page: "not-found" };
  let slug: string;
  try {
    slug = decodeURIComponent(rawSlug);
  } catch {
    return { page: "not-found" };
  }
  if (sub === undefined) return { page: "petition", slug };
  const page = PETITION_PAGES.find((p) => p === sub);
  return page ? { page, slug } : { page: "not-found" };
}

export const publicPaths = {
  petition: (slug: string) => `/p/${encodeURIComponent(slug)}`,
  embed: (slug: string) => `/p/${encodeURIComponent(slug)}/embed`,
};
