import type { ReactNode } from "react";
import { errorText } from "../errors.ts";
import { useI18n } from "../i18n/index.tsx";

/**
 * A failed operation, in words that tell the person what to do. The alert container stays mounted
 * so screen readers announce the sentence when it is filled in.
 */
export function ErrorAlert({ error, id }: { error: unknown; id?: string }) {
  const { t } = useI18n();
  return (
    <div role="alert" id={id} className="alert-slot">
      {error ? <p className="alert alert-error">{errorText(t, error)}</p> : null}
    </div>
  );
}

export function Notice({ children, tone = "info" }: { children: ReactNode; tone?: "info" | "success" | "warning" }) {
  return <div className={`alert alert-${tone}`}>{children}</div>;
}
