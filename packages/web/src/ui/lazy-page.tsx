/** A page loaded on first use (its own chunk), with the app's loading line while it arrives. */
import { Suspense, type ReactNode } from "react";
import { useI18n } from "../i18n/index.tsx";

export function LazyPage({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  return (
    <Suspense
      fallback={
        <p className="loading" role="status">
          <span className="spinner" aria-hidden="true" /> {t.app.loading}
        </p>
      }
    >
      {children}
    </Suspense>
  );
}
