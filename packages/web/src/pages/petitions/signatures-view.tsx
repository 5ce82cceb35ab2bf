/**
 * /orgs/:slug/petitions/:id/signatures: the signatures, fetched sealed and opened on this device
 * with the organization's key (a progress bar moves while thousands open), then filtered, deleted
 * one by one, or exported as CSV — made here, never on the server.
 */
import { signaturesCsv, type OpenProgress, type OpenedSignature } from "@commune/client";
import type { OrganizationSummary, Petition } from "@commune/protocol";
import { useMemo, useState } from "react";
import { client } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Link, paths } from "../../router.tsx";
import { ErrorAlert, Notice } from "../../ui/alert.tsx";
import { announce } from "../../ui/announcer.tsx";
import { Button } from "../../ui/button.tsx";
import { ConfirmDialog } from "../../ui/confirm-dialog.tsx";
import { Loadable } from "../../ui/loadable.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { useResource } from "../../ui/use-async.ts";
import { keyPage } from "./key-missing-notice.tsx";
import { petitionTitle } from "./petition-draft.ts";
import { SignatureFilters, matches, type Filter } from "./signature-filters.tsx";
import { SignatureTable } from "./signature-table.tsx";
import { who, type ReadableSignature } from "./readable-signature.ts";

export function SignaturesView({ org, id }: { org: OrganizationSummary; id: string }) {
  const { t } = useI18n();
  const { resource, reload } = useResource(() => client.petitions.get(org.slug, id), [org.slug, id]);
  return (
    <div className="stack">
      {resource.status !== "ready" && <PageHeading title={t.petitions.org.signaturesTitle}>{t.petitions.org.signaturesTitle}</PageHeading>}
      <Loadable resource={resource} reload={reload}>
        {(petition) => <Signatures org={org} petition={petition} />}
      </Loadable>
    </div>
  );
}

function Signatures({ org, petition }: { org: OrganizationSummary; petition: Petition }) {
  const { t } = useI18n();
  const m = t.petitions.org;
  const title = petitionTitle(petition);
  const [progress, setProgress] = useState<OpenProgress>({ done: 0, total: null });
  const opened = useResource(() => client.petitions.openSignatures(org.slug, petition, setProgress), [org.slug, petition]);
  return (
    <>
      <p className="back-link">
        <Link href={paths.petition(org.slug, petition.id)} dir="auto">
          {title}
        </Link>
      </p>
      <PageHeading title={`${m.signaturesTitle} · ${title}`}>{m.signaturesTitle}</PageHeading>
      <p className="muted">{m.sealedNote}</p>
      {opened.resource.status === "loading" ? (
        <Opening progress={progress} expected={petition.count + petition.pending} />
      ) : opened.resource.status === "error" ? (
        <div className="stack">
          <ErrorAlert error={opened.resource.error} />
          <Button onClick={() => void opened.reload()}>{t.common.tryAgain}</Button>
        </div>
      ) : (
        <Opened
          org={org}
          petition={petition}
          signatures={opened.resource.data}
          onDeleted={(signatureId) => opened.setResource({ status: "ready", data: (opened.resource.status === "ready" ? opened.resource.data : []).filter((s) => s.id !== signatureId) })}
        />
      )}
    </>
  );
}

/** The bar while signatures are fetched and opened; the total is the petition's count until the last page arrives. */
function Opening({ progress, expected }: { progress: OpenProgress; expected: number }) {
  const { t } = useI18n();
  const m = t.petitions.org;
  const max = Math.max(1, progress.total ?? Math.max(expected, progress.done));
  return (
    <div className="stack opening" aria-busy="true">
      <label className="field-label" htmlFor="opening-progress">
        {m.opening}
      </label>
      <progress id="opening-progress" max={max} value={progress.done} />
      <p role="status" className="muted">
        {m.openingProgress(progress.done, progress.total)}
      </p>
    </div>
  );
}

function Opened({ org, petition, signatures, onDeleted }: { org: OrganizationSummary; petition: Petition; signatures: OpenedSignature[]; onDeleted: (id: string) => void }) {
  const { t } = useI18n();
  const m = t.petitions.org;
  const [filter, setFilter] = useState<Filter>({ text: "", status: "all" });
  const [deleting, setDeleting] = useState<ReadableSignature | null>(null);
  const readable = useMemo(() => signatures.filter((s): s is ReadableSignature => s.ok), [signatures]);
  const shown = useMemo(() => readable.filter((s) => matches(s, filter)), [readable, filter]);
  const unread = signatures.filter((s) => !s.ok && s.problem !== "invalid").length;
  const invalid = signatures.filter((s) => !s.ok && s.problem === "invalid").length;
  const noKey = readable.length === 0 && signatures.some((s) => !s.ok && s.problem === "no_key");

  const exportCsv = () => {
    download(`${petition.slug}-signatures-${new Date().toISOString().slice(0, 10)}.csv`, signaturesCsv(shown));
    announce(m.exported);
  };

  return (
    <div className="stack signatures" data-opened={signatures.length}>
      {noKey && (
        <Notice tone="warning">
          <h2>{m.noKeyTitle}</h2>
          <p>{m.noKeyBody}</p>
          <p>
            <Link href={keyPage(org.slug)}>{m.noKeyLink}</Link>
          </p>
        </Notice>
      )}
      {!noKey && unread > 0 && <Notice tone="warning">{m.unreadable(unread)}</Notice>}
      {invalid > 0 && <Notice tone="info">{m.invalidNote(invalid)}</Notice>}
      {signatures.length === 0 ? (
        <p className="empty">{m.noneYet}</p>
      ) : (
        readable.length > 0 && (
          <>
            <SignatureFilters filter={filter} onChange={setFilter} />
            <p role="status" className="muted">
              {m.shown(shown.length, readable.length)}
            </p>
            {shown.length === 0 ? <p className="empty">{m.noMatch}</p> : <SignatureTable petition={petition} signatures={shown} onDelete={setDeleting} />}
            <div className="stack">
              <div className="actions">
                <Button variant="primary" onClick={exportCsv} aria-describedby="export-hint">
                  {m.exportCsv(shown.length)}
                </Button>
              </div>
              <p id="export-hint" className="field-hint">
                {m.exportHint}
              </p>
            </div>
          </>
        )
      )}
      <ConfirmDialog
        open={deleting !== null}
        title={m.deleteSignatureTitle}
        confirmLabel={m.deleteSignature}
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await client.petitions.deleteSignature(org.slug, petition.id, deleting.id);
          onDeleted(deleting.id);
          announce(m.signatureDeleted);
        }}
      >
        <p>{m.deleteSignatureBody}</p>
        {deleting && <p dir="auto">{who(deleting.payload)}</p>}
      </ConfirmDialog>
    </div>
  );
}

/** Saves text as a file through a temporary link; with a byte-order mark so spreadsheets read UTF-8. */
function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob(["\uFEFF", text], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // the download has started reading the blob by then; the address need not live on
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
