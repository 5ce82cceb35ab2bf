/**
 * Sealed records being opened on this device: the progress bar while they open, the failure with a
 * way to try again, then the records themselves.
 */
import type { ReactNode } from "react";
import { useI18n } from "../i18n/index.tsx";
import { ErrorAlert } from "./alert.tsx";
import { Button } from "./button.tsx";
import { OpeningProgress } from "./opening-progress.tsx";
import type { Resource } from "./use-async.ts";

export function OpenedRecords<T>({
  resource,
  reload,
  progress,
  expected,
  label,
  text,
  children,
}: {
  resource: Resource<T>;
  reload: () => Promise<void>;
  progress: { readonly done: number; readonly total: number | null };
  /** How many the server counted, for the bar until the last page arrives. */
  expected: number;
  label: string;
  text: (done: number, total: number | null) => string;
  children: (data: T) => ReactNode;
}) {
  const { t } = useI18n();
  if (resource.status === "loading") return <OpeningProgress label={label} done={progress.done} total={progress.total} expected={expected} text={text(progress.done, progress.total)} />;
  if (resource.status === "error")
    return (
      <div className="stack">
        <ErrorAlert error={resource.error} />
        <Button onClick={() => void reload()}>{t.common.tryAgain}</Button>
      </div>
    );
  return <>{children(resource.data)}</>;
}
