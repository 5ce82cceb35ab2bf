/**
 * Sending a file: picked with a button, dropped on the conversation or pasted; checked against
 * the instance's limit before anything happens (the limit is shown beforehand), then encrypted
 * here and uploaded with a progress bar that can be cancelled.
 */
import { useRef, useState, type ClipboardEvent, type DragEvent } from "react";
import { useI18n } from "../i18n/index.tsx";
import { Button } from "../ui/button.tsx";
import { ACCEPTED_FILES, fileProblem, formatFileSize } from "./attachment-rules.ts";
import type { LoopSession } from "./loop-session.tsx";

export interface Upload {
  readonly name: string;
  readonly done: number;
  readonly total: number;
}

/** The file chosen to send, what is wrong with it, and the upload under way. */
export function useAttachment(loops: LoopSession | null, roomId: string, maxAttachmentBytes: number | null) {
  const { t, language } = useI18n();
  const [pending, setPending] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [upload, setUpload] = useState<Upload | null>(null);
  const abort = useRef<AbortController | null>(null);

  const choose = (file: File | null | undefined) => {
    if (!file) return;
    const wrong = fileProblem(file, maxAttachmentBytes);
    if (!wrong) {
      setProblem(null);
      setPending(file);
      return;
    }
    setPending(null);
    setProblem(wrong.kind === "type" ? t.loops.fileWrongType(file.name) : t.loops.fileTooBig(file.name, formatFileSize(language, file.size), formatFileSize(language, wrong.limit)));
  };

  /** Encrypts, uploads with progress, and sends; throws what went wrong (a cancel included). */
  const send = async (caption: string): Promise<void> => {
    if (!loops || !pending) return;
    const file = pending;
    const controller = new AbortController();
    abort.current = controller;
    setUpload({ name: file.name, done: 0, total: file.size });
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      await loops.sendFile(
        roomId,
        { name: file.name, mime: file.type, bytes, ...(caption ? { caption } : {}) },
        { signal: controller.signal, onProgress: (done, total) => setUpload({ name: file.name, done, total }) },
      );
      setPending(null);
    } finally {
      abort.current = null;
      setUpload(null);
    }
  };

  return {
    pending,
    problem,
    upload,
    choose,
    send,
    clear: () => {
      setPending(null);
      setProblem(null);
    },
    cancel: () => abort.current?.abort(),
  };
}

/** Drop and paste handlers for the conversation, and whether a file is being dragged over it. */
export function useFileDrop(choose: (file: File | undefined) => void, enabled: boolean) {
  const [over, setOver] = useState(false);
  const hasFiles = (e: DragEvent) => [...e.dataTransfer.types].includes("Files");
  return {
    over,
    handlers: {
      onDragOver: (e: DragEvent<HTMLElement>) => {
        if (!enabled || !hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = "copy";
        setOver(true);
      },
      onDragLeave: (e: DragEvent<HTMLElement>) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
      },
      onDrop: (e: DragEvent<HTMLElement>) => {
        setOver(false);
        if (!enabled || !hasFiles(e)) return;
        e.preventDefault();
        choose(e.dataTransfer.files[0]);
      },
      onPaste: (e: ClipboardEvent<HTMLElement>) => {
        const file = enabled ? e.clipboardData.files[0] : undefined;
        if (!file) return;
        e.preventDefault();
        choose(file);
      },
    },
  };
}

/** The button that opens the file picker. */
export function AttachButton({ onFile, disabled, describedBy }: { onFile: (file: File | undefined) => void; disabled: boolean; describedBy: string }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={input}
        type="file"
        accept={ACCEPTED_FILES}
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        onChange={(e) => {
          onFile(e.target.files?.[0]);
          e.target.value = "";
        }}
      />
      <Button variant="secondary" className="attach-button" aria-disabled={disabled || undefined} aria-describedby={describedBy} onClick={() => !disabled && input.current?.click()}>
        <span aria-hidden="true">📎</span> {t.loops.attach}
      </Button>
    </>
  );
}

export function UploadProgress({ upload, onCancel }: { upload: Upload; onCancel: () => void }) {
  const { t, format } = useI18n();
  const percent = upload.total > 0 ? Math.min(100, Math.floor((upload.done / upload.total) * 100)) : 0;
  return (
    <div className="transfer upload">
      <span className="transfer-name" aria-hidden="true">
        {t.loops.uploading(upload.name)}
      </span>
      <progress className="transfer-bar" max={100} value={percent} aria-label={t.loops.uploading(upload.name)} />
      <span className="transfer-text">{upload.done >= upload.total && upload.total > 0 ? t.loops.sending : t.loops.percent(format.number(percent))}</span>
      <Button variant="quiet" onClick={onCancel}>
        {t.loops.cancelUpload}
      </Button>
    </div>
  );
}
