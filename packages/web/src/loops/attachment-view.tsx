/**
 * A file in a message. Images are fetched, decrypted on this device and shown inline (with a
 * progress bar while that happens); other files are offered for download by name and size, with
 * the same progress while they are fetched and decrypted, then saved by the browser.
 */
import { FILE_CACHE_MAX, type LoopContent } from "@commune/client";
import { useEffect, useRef, useState } from "react";
import { isCode } from "../errors.ts";
import { useI18n } from "../i18n/index.tsx";
import { ErrorAlert } from "../ui/alert.tsx";
import { Button } from "../ui/button.tsx";
import { formatFileSize, inlineImage } from "./attachment-rules.ts";
import type { LoopSession } from "./loop-session.tsx";

type FileContent = Extract<LoopContent, { type: "file" }>;

type Transfer =
  | { readonly phase: "idle" }
  | { readonly phase: "loading"; readonly done: number; readonly total: number }
  | { readonly phase: "ready"; readonly url: string }
  | { readonly phase: "failed"; readonly error: unknown };

/** Fetches and decrypts, keeping the progress; the object URL lives as long as the component. */
function useTransfer(loops: LoopSession | null, roomId: string, file: FileContent, auto: boolean) {
  const [transfer, setTransfer] = useState<Transfer>({ phase: "idle" });
  const [attempt, setAttempt] = useState(auto ? 1 : 0);
  // the same attachment, whichever copy of its message the screen holds
  const latest = useRef(file);
  latest.current = file;
  useEffect(() => {
    const file = latest.current;
    if (!loops || attempt === 0) return;
    const abort = new AbortController();
    let url: string | null = null;
    setTransfer({ phase: "loading", done: 0, total: file.size });
    loops
      .openFile(roomId, file, { signal: abort.signal, onProgress: (done, total) => !abort.signal.aborted && setTransfer({ phase: "loading", done, total: total || file.size }) })
      .then(
        (bytes) => {
          if (abort.signal.aborted) return;
          url = URL.createObjectURL(new Blob([bytes], { type: inlineImage(file.mime) ? file.mime : "application/octet-stream" }));
          setTransfer({ phase: "ready", url });
        },
        (error: unknown) => !abort.signal.aborted && setTransfer({ phase: "failed", error }),
      );
    return () => {
      abort.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [loops, roomId, file.attachment, attempt]);
  return { transfer, start: () => setAttempt((n) => n + 1) };
}

function TransferProgress({ transfer, name }: { transfer: Extract<Transfer, { phase: "loading" }>; name: string }) {
  const { t, format } = useI18n();
  const decrypting = transfer.total > 0 && transfer.done >= transfer.total;
  const percent = transfer.total > 0 ? Math.min(100, Math.floor((transfer.done / transfer.total) * 100)) : 0;
  return (
    <div className="transfer">
      <progress className="transfer-bar" max={100} value={percent} aria-label={t.loops.downloading(name)} />
      <span className="transfer-text" aria-hidden="true">
        {decrypting ? t.loops.decrypting : t.loops.percent(format.number(percent))}
      </span>
    </div>
  );
}

export function AttachmentView({ loops, roomId, file }: { loops: LoopSession | null; roomId: string; file: FileContent }) {
  const { t, language } = useI18n();
  const image = inlineImage(file.mime) && file.size <= FILE_CACHE_MAX;
  const { transfer, start } = useTransfer(loops, roomId, file, image);
  const size = formatFileSize(language, file.size);
  const [saved, setSaved] = useState(false);

  // a download the person asked for: hand it to the browser once decrypted
  useEffect(() => {
    if (image || transfer.phase !== "ready" || saved) return;
    const a = document.createElement("a");
    a.href = transfer.url;
    a.download = file.name;
    a.click();
    setSaved(true);
  }, [image, transfer, saved, file.name]);

  const gone = transfer.phase === "failed" && isCode(transfer.error, "not_found");
  return (
    <div className="message-file" data-file={file.name}>
      {image && transfer.phase === "ready" && (
        <figure className="message-image">
          <img src={transfer.url} alt={file.caption || t.loops.imageAlt(file.name)} />
        </figure>
      )}
      {transfer.phase === "loading" && <TransferProgress transfer={transfer} name={file.name} />}
      {image && transfer.phase === "ready" ? (
        <a className="file-save" href={transfer.url} download={file.name}>
          {t.loops.download(file.name)} <span className="muted">({size})</span>
        </a>
      ) : (
        !image && (
          <Button
            variant="secondary"
            busy={transfer.phase === "loading"}
            onClick={() => {
              setSaved(false);
              start();
            }}
            aria-label={`${t.loops.download(file.name)} (${size})`}
          >
            <span aria-hidden="true">⬇</span> <bdi>{file.name}</bdi> <span className="muted">({size})</span>
          </Button>
        )
      )}
      {image && transfer.phase !== "ready" && transfer.phase !== "loading" && (
        <Button variant="secondary" onClick={start} aria-label={`${t.loops.download(file.name)} (${size})`}>
          <bdi>{file.name}</bdi> <span className="muted">({size})</span>
        </Button>
      )}
      {gone ? <p className="alert alert-error">{t.loops.fileGone}</p> : <ErrorAlert error={transfer.phase === "failed" ? transfer.error : null} />}
    </div>
  );
}
