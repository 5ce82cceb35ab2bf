/**
 * Typing indicators are off until a person turns them on, on each device (it is stored in this
 * browser, not on the server). Like Signal's setting it works both ways: with it off this device
 * neither says that its person is typing nor shows others typing, so no one watches without being
 * seen. The tabs of a profile share it through localStorage.
 */
import { useCallback, useSyncExternalStore } from "react";

const key = (accountId: string) => `commune.loops.typing.${accountId}`;
const listeners = new Set<() => void>();

export function sharesTyping(accountId: string): boolean {
  try {
    return localStorage.getItem(key(accountId)) === "on";
  } catch {
    return false;
  }
}

export function setSharesTyping(accountId: string, on: boolean): void {
  try {
    if (on) localStorage.setItem(key(accountId), "on");
    else localStorage.removeItem(key(accountId));
  } catch {
    // storage disabled: the setting stays off
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // another tab changed it
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

/** The setting for this person, and a way to change it. */
export function useSharesTyping(accountId: string): [boolean, (on: boolean) => void] {
  const on = useSyncExternalStore(subscribe, () => sharesTyping(accountId));
  const set = useCallback((value: boolean) => setSharesTyping(accountId, value), [accountId]);
  return [on, set];
}
