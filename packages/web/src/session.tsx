/**
 * Who is signed in. On load the page asks the server (the cookie decides); when that succeeds the
 * device key is registered or proven once for this session, as the client requires.
 */
import { ApiError } from "@commune/client";
import type { Account, InstanceInfo, SignedIn } from "@commune/protocol";
import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { client, onUnauthenticated } from "./api.ts";
import { storedLanguage, useI18n } from "./i18n/index.tsx";

/** Why the person is looking at the sign-in page, to say so there. */
export type SignedOutReason = "signed-out" | "session-ended" | "deleted";

export type SessionState =
  | { readonly status: "loading" }
  | { readonly status: "signed-out"; readonly reason?: SignedOutReason }
  | { readonly status: "signed-in"; readonly account: Account };

export interface Session {
  readonly state: SessionState;
  readonly instance: InstanceInfo | null;
  /** The signed-in account; only call where the page is guarded. */
  readonly account: Account | null;
  /** This browser's device id once its key is registered or proven for the session; loops need it. */
  readonly deviceId: string | null;
  adopt(signedIn: SignedIn): void;
  setAccount(account: Account): void;
  signOut(): Promise<void>;
  /** After the account was deleted, or the server said the session is gone. */
  end(reason: SignedOutReason): void;
  refreshInstance(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const { setLanguage } = useI18n();
  const [state, setState] = useState<SessionState>({ status: "loading" });
  const [instance, setInstance] = useState<InstanceInfo | null>(null);
  const [deviceId, setDeviceId] = useState<string | null>(null);

  const applyAccountLanguage = useCallback(
    (account: Account) => {
      // An explicit choice in this browser wins; otherwise follow the account's saved language.
      if (account.language && !storedLanguage()) setLanguage(account.language);
    },
    [setLanguage],
  );

  const refreshInstance = useCallback(async () => {
    try {
      setInstance(await client.instance());
    } catch {
      // The page still works without it; only the setup hint and the create button depend on it.
    }
  }, []);

  useEffect(() => {
    let cancelled = false;
    void refreshInstance();
    (async () => {
      try {
        const account = await client.me();
        if (cancelled) return;
        applyAccountLanguage(account);
        setState({ status: "signed-in", account });
        // Prove (or register) this browser's device key for the restored session.
        const device = await client.ensureDevice(account.id).catch((error: unknown) => {
          console.warn("device registration failed", error);
          return null;
        });
        if (!cancelled && device) setDeviceId(device.deviceId);
      } catch (error) {
        if (cancelled) return;
        if (!(error instanceof ApiError)) console.warn("could not reach the server", error);
        setState({ status: "signed-out" });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [applyAccountLanguage, refreshInstance]);

  useEffect(
    () =>
      onUnauthenticated(() => {
        setDeviceId(null);
        setState((current) => (current.status === "signed-in" ? { status: "signed-out", reason: "session-ended" } : current));
      }),
    [],
  );

  const value = useMemo<Session>(
    () => ({
      state,
      instance,
      account: state.status === "signed-in" ? state.account : null,
      deviceId: state.status === "signed-in" ? deviceId : null,
      adopt(signedIn) {
        applyAccountLanguage(signedIn.account);
        // signing in through the client registered (or proved) the device already
        const device = client.device;
        setDeviceId(device && device.accountId === signedIn.account.id ? device.deviceId : null);
        setState({ status: "signed-in", account: signedIn.account });
        void refreshInstance();
      },
      setAccount(account) {
        setState({ status: "signed-in", account });
      },
      async signOut() {
        try {
          await client.signOut();
        } catch (error) {
          // Already gone on the server is as good as signed out.
          if (!(error instanceof ApiError) || error.code !== "unauthenticated") throw error;
        }
        setDeviceId(null);
        setState({ status: "signed-out", reason: "signed-out" });
      },
      end(reason) {
        setDeviceId(null);
        setState({ status: "signed-out", reason });
      },
      refreshInstance,
    }),
    [state, instance, deviceId, applyAccountLanguage, refreshInstance],
  );
  return <SessionContext value={value}>{children}</SessionContext>;
}

export function useSession(): Session {
  const value = use(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}

/** For pages behind sign-in: the router only renders them with an account. */
export function useAccount(): Account {
  const { account } = useSession();
  if (!account) throw new Error("useAccount on a signed-out page");
  return account;
}
