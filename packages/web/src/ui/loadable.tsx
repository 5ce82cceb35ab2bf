import type { ReactNode } from "react";
import { useI18n } from "../i18n/index.tsx";
import { ErrorAlert } from "./alert.tsx";
import { Button } from "./button.tsx";
import type { Resource } from "./use-async.ts";

/** Shows a resource's loading and error states, or its content once ready. */
export function Loadable<T>({ resource, reload, children }: { resource: Resource<T>; reload?: () => void; children: (data: T) => ReactNode }) {
  const { t } = useI18n();
  if (resource.status === "loading") {
    return (
      <p className="loading" aria-busy="true">
        <span className="spinner" aria-hidden="true" /> {t.app.loading}
      </p>
    );
  }
  if (resource.status === "error") {
    return (
      <div className="stack">
        <ErrorAlert error={resource.error} />
        {reload && <Button onClick={reload}>{t.common.tryAgain}</Button>}
      </div>
    );
  }
  return <>{children(resource.data)}</>;
}
