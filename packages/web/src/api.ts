/**
 * The one CommuneClient of the page. Authentication rides on the HttpOnly session cookie the server
 * sets at sign-in; nothing here stores a token.
 */
import { CommuneClient } from "@commune/client";
import { IndexedDbDeviceStore } from "@commune/client/browser";
import { describeClient } from "@commune/protocol";

type Listener = () => void;
const unauthenticatedListeners = new Set<Listener>();

/** Called when any request answers `unauthenticated`: the session was revoked or expired elsewhere. */
export function onUnauthenticated(listener: Listener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

const watchingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  if (response.status === 401) {
    // invalid_credentials is a wrong password, not a lost session; only the latter signs the page out.
    const body = (await response.clone().json().catch(() => null)) as { code?: unknown } | null;
    if (body?.code === "unauthenticated") for (const listener of unauthenticatedListeners) listener();
  }
  return response;
};

/** "Firefox on Android" — how this browser names itself among the account's devices. */
export function describeBrowser(userAgent: string = navigator.userAgent): string {
  const described = describeClient(userAgent);
  return described === "unknown" ? "Browser" : described;
}

export const client = new CommuneClient({
  baseUrl: "",
  deviceStore: new IndexedDbDeviceStore(),
  deviceName: describeBrowser(),
  fetch: watchingFetch,
});
