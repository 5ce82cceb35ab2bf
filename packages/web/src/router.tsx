/**
 * A small history-API router: the server answers every non-API path with index.html, so a path is
 * just state. Navigation marks the next page heading for focus, so screen-reader and keyboard users
 * land at the top of the new page.
 */
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from "react";

type Listener = () => void;
const listeners = new Set<Listener>();
let focusPending = false;

function notify(): void {
  for (const listener of listeners) listener();
}

window.addEventListener("popstate", () => {
  focusPending = true;
  notify();
});

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  focusPending = true;
  window.scrollTo(0, 0);
  notify();
}

/** Asks the next page heading that mounts to take focus. */
export function requestHeadingFocus(): void {
  focusPending = true;
}

/** True once after a navigation: the page heading that asks first takes focus. */
export function takeHeadingFocus(): boolean {
  const pending = focusPending;
  focusPending = false;
  return pending;
}

function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const currentPath = () => location.pathname;

export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath);
}

export type Route =
  | { readonly name: "home" }
  | { readonly name: "sign-in" }
  | { readonly name: "invite" }
  | { readonly name: "new-organization" }
  | { readonly name: "account" }
  | { readonly name: "devices" }
  | { readonly name: "org"; readonly slug: string; readonly section: OrgSection; readonly circleId?: string; readonly petition?: PetitionRoute; readonly form?: FormRoute }
  | { readonly name: "loops" }
  | { readonly name: "new-loop" }
  | { readonly name: "loop"; readonly id: string }
  | { readonly name: "safety"; readonly roomId: string; readonly accountId: string }
  | { readonly name: "not-found" };

export type OrgSection = "overview" | "members" | "invites" | "circles" | "audit" | "key" | "petitions" | "forms";
/** Under /orgs/:slug/petitions: a new one, one petition, or its signatures. */
export type PetitionRoute = { readonly id: "new" } | { readonly id: string; readonly view: "petition" | "signatures" };
/** Under /orgs/:slug/forms: a new one, one form, or its results. */
export type FormRoute = { readonly id: "new" } | { readonly id: string; readonly view: "form" | "results" };
const ORG_SECTIONS: readonly OrgSection[] = ["members", "invites", "circles", "audit", "key", "petitions", "forms"];

export function matchRoute(path: string): Route {
  const parts = path.split("/").filter(Boolean).map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
  const [first, second, third, fourth, ...rest] = parts;
  if (parts.length === 0) return { name: "home" };
  if (parts.length === 1 && first === "sign-in") return { name: "sign-in" };
  if (parts.length === 1 && first === "invite") return { name: "invite" };
  if (parts.length === 1 && first === "account") return { name: "account" };
  if (parts.length === 2 && first === "account" && second === "devices") return { name: "devices" };
  if (first === "loops" && second !== undefined && third === "safety" && fourth !== undefined && rest.length === 0) return { name: "safety", roomId: second, accountId: fourth };
  if (first === "loops" && third === undefined) {
    if (second === undefined) return { name: "loops" };
    if (second === "new") return { name: "new-loop" };
    return { name: "loop", id: second };
  }
  if (first === "orgs" && second !== undefined && third === "petitions" && fourth !== undefined && rest.length <= 1) {
    if (fourth === "new" && rest.length === 0) return { name: "org", slug: second, section: "petitions", petition: { id: "new" } };
    if (rest.length === 0 || rest[0] === "signatures") return { name: "org", slug: second, section: "petitions", petition: { id: fourth, view: rest.length === 0 ? "petition" : "signatures" } };
  }
  if (first === "orgs" && second !== undefined && third === "forms" && fourth !== undefined && rest.length <= 1) {
    if (fourth === "new" && rest.length === 0) return { name: "org", slug: second, section: "forms", form: { id: "new" } };
    if (rest.length === 0 || rest[0] === "results") return { name: "org", slug: second, section: "forms", form: { id: fourth, view: rest.length === 0 ? "form" : "results" } };
  }
  if (first === "orgs" && second !== undefined && rest.length === 0) {
    if (second === "new" && third === undefined) return { name: "new-organization" };
    if (third === undefined) return { name: "org", slug: second, section: "overview" };
    const section = ORG_SECTIONS.find((s) => s === third);
    if (section === "circles" && fourth !== undefined) return { name: "org", slug: second, section, circleId: fourth };
    if (section && fourth === undefined) return { name: "org", slug: second, section };
  }
  return { name: "not-found" };
}

export const paths = {
  home: () => "/",
  signIn: () => "/sign-in",
  account: () => "/account",
  devices: () => "/account/devices",
  newOrganization: () => "/orgs/new",
  org: (slug: string, section: OrgSection = "overview") =>
    section === "overview" ? `/orgs/${encodeURIComponent(slug)}` : `/orgs/${encodeURIComponent(slug)}/${section}`,
  circle: (slug: string, id: string) => `/orgs/${encodeURIComponent(slug)}/circles/${encodeURIComponent(id)}`,
  newPetition: (slug: string) => `/orgs/${encodeURIComponent(slug)}/petitions/new`,
  petition: (slug: string, id: string) => `/orgs/${encodeURIComponent(slug)}/petitions/${encodeURIComponent(id)}`,
  petitionSignatures: (slug: string, id: string) => `/orgs/${encodeURIComponent(slug)}/petitions/${encodeURIComponent(id)}/signatures`,
  newForm: (slug: string) => `/orgs/${encodeURIComponent(slug)}/forms/new`,
  form: (slug: string, id: string) => `/orgs/${encodeURIComponent(slug)}/forms/${encodeURIComponent(id)}`,
  formResults: (slug: string, id: string) => `/orgs/${encodeURIComponent(slug)}/forms/${encodeURIComponent(id)}/results`,
  loops: () => "/loops",
  newLoop: (kind: "group" | "direct", slug?: string) => `/loops/new?${new URLSearchParams({ kind, ...(slug ? { org: slug } : {}) })}`,
  loop: (id: string) => `/loops/${encodeURIComponent(id)}`,
  safety: (roomId: string, accountId: string) => `/loops/${encodeURIComponent(roomId)}/safety/${encodeURIComponent(accountId)}`,
};

export function Link({ href, onClick, ...props }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handle} {...props} />;
}
