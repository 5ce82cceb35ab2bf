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
import { Notice } from "../../ui/alert.tsx";
import { announce } from "../../ui/announcer.tsx";
import { Button } from "../../ui/button.tsx";
import { ConfirmDialog } from "../../ui/confirm-dialog.tsx";
import { downloadText } from "../../ui/download-file.ts";
import { Loadable } from "../../ui/loadable.tsx";
import { OpenedRecords } from "../../ui/opened-records.tsx";
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
      <OpenedRecords resource={opened.resource} reload={opened.reload} progress={progress} expected={petition.count + petition.pending} label={m.opening} text={m.openingProgress}>
        {(signatures) => <Opened org={org} petition={petition} signatures={signatures} onDeleted={(signatureId) => opened.setResource({ status: "ready", data: signatures.filter((s) => s.id !== signatureId) })} />}
      </OpenedRecords>
    </>
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
    downloadText(`${petition.slug}-signatures-${new Date().toISOString().slice(0, 10)}.csv`, signaturesCsv(shown));
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
