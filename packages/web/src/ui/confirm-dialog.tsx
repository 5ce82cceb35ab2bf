import { useEffect, useId, useRef, type ReactNode } from "react";
import { useI18n } from "../i18n/index.tsx";
import { ErrorAlert } from "./alert.tsx";
import { Button } from "./button.tsx";
import { useAction } from "./use-async.ts";

/**
 * A modal question before something hard to undo. The native <dialog> traps focus, closes on
 * Escape and gives focus back to the button that opened it.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  danger = true,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();
  const action = useAction(onConfirm);
  const { setError } = action;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setError(null);
      dialog.showModal();
    } else if (!open && dialog.open) dialog.close();
  }, [open, setError]);

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={children ? bodyId : undefined}
      onClose={onClose}
      onCancel={(event) => {
        if (action.busy) event.preventDefault();
      }}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      {children && (
        <div id={bodyId} className="dialog-body">
          {children}
        </div>
      )}
      <ErrorAlert error={action.error} />
      <div className="actions">
        <Button
          variant={danger ? "danger" : "primary"}
          busy={action.busy}
          onClick={async () => {
            const result = await action.run();
            if (result.ok) onClose();
          }}
        >
          {confirmLabel}
        </Button>
        <Button variant="secondary" onClick={onClose} disabled={action.busy}>
          {t.common.cancel}
        </Button>
      </div>
    </dialog>
  );
}
