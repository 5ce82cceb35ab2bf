import { useCallback, useEffect, useLayoutEffect, useRef, useState, type DependencyList } from "react";

export type Resource<T> =
  | { readonly status: "loading" }
  | { readonly status: "error"; readonly error: unknown }
  | { readonly status: "ready"; readonly data: T };

/**
 * Loads data for a page. `reload` keeps the current data on screen while fetching again, so lists
 * don't flash after an action.
 */
export function useResource<T>(load: () => Promise<T>, deps: DependencyList) {
  const [resource, setResource] = useState<Resource<T>>({ status: "loading" });
  const generation = useRef(0);
  // The caller's deps decide when to load again, as with useEffect.
  const stableLoad = useCallback(load, deps);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const data = await stableLoad();
      if (mine === generation.current) setResource({ status: "ready", data });
    } catch (error) {
      if (mine === generation.current) setResource({ status: "error", error });
    }
  }, [stableLoad]);

  useEffect(() => {
    setResource({ status: "loading" });
    void reload();
    return () => {
      generation.current++;
    };
  }, [reload]);

  return { resource, reload, setResource };
}

export type ActionResult<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown };

/** A button's or form's operation: busy while it runs, its error kept for display. */
export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const running = useRef(false);
  const actionRef = useRef(action);
  useLayoutEffect(() => {
    actionRef.current = action;
  });

  const run = useCallback(async (...args: A): Promise<ActionResult<R>> => {
    if (running.current) return { ok: false, error: new Error("already running") };
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      return { ok: true, value: await actionRef.current(...args) };
    } catch (caught) {
      setError(caught);
      return { ok: false, error: caught };
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);

  return { run, busy, error, setError };
}
