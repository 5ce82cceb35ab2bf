/**
 * The close and delete buttons of something published to the public (a petition, a form), each
 * asking first in a dialog, and saying when it is done.
 */
import { useState } from "react";
import { announce } from "../ui/announcer.tsx";
import { Button } from "../ui/button.tsx";
import { ConfirmDialog } from "../ui/confirm-dialog.tsx";

export interface CloseAndDeleteWords {
  readonly close: string;
  readonly closeTitle: string;
  readonly closeBody: string;
  readonly closedDone: string;
  readonly delete: string;
  readonly deleteTitle: string;
  readonly deleteBody: string;
  readonly deleted: string;
}

/** `onClose` runs after the person confirms closing (offered when `canClose`); `onDelete` after deleting. */
export function CloseAndDelete({ canClose, words, onClose, onDelete }: { canClose: boolean; words: CloseAndDeleteWords; onClose: () => Promise<void>; onDelete: () => Promise<void> }) {
  const [closing, setClosing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  return (
    <>
      {canClose && <Button onClick={() => setClosing(true)}>{words.close}</Button>}
      <Button variant="danger" onClick={() => setDeleting(true)}>
        {words.delete}
      </Button>
      <ConfirmDialog
        open={closing}
        title={words.closeTitle}
        confirmLabel={words.close}
        onClose={() => setClosing(false)}
        onConfirm={async () => {
          await onClose();
          announce(words.closedDone);
        }}
      >
        <p>{words.closeBody}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={deleting}
        title={words.deleteTitle}
        confirmLabel={words.delete}
        onClose={() => setDeleting(false)}
        onConfirm={async () => {
          await onDelete();
          announce(words.deleted);
        }}
      >
        <p>{words.deleteBody}</p>
      </ConfirmDialog>
    </>
  );
}
