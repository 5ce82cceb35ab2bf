/**
 * /orgs/:slug/petitions/:id: one petition — where it stands, publish / close / delete, the share
 * link and embed code once it is public, and its editor.
 */
import type { OrganizationSummary, Petition } from "@commune/protocol";
import { client } from "../../api.ts";
import { isCode } from "../../errors.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Link, navigate, paths } from "../../router.tsx";
import { ErrorAlert } from "../../ui/alert.tsx";
import { announce } from "../../ui/announcer.tsx";
import { Button } from "../../ui/button.tsx";
import { Loadable } from "../../ui/loadable.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { useAction, useResource } from "../../ui/use-async.ts";
import { CloseAndDelete } from "../close-and-delete.tsx";
import { KeyMissingNotice } from "./key-missing-notice.tsx";
import { PetitionEditor } from "./petition-editor.tsx";
import { petitionTitle } from "./petition-draft.ts";
import { NoMailNotice } from "./no-mail-notice.tsx";
import { SharePanel } from "./share-panel.tsx";
import { StateBadge } from "./state-badge.tsx";

export function PetitionDetail({ org, id }: { org: OrganizationSummary; id: string }) {
  const { t } = useI18n();
  const { resource, reload, setResource } = useResource(() => client.petitions.get(org.slug, id), [org.slug, id]);
  return (
    <div className="stack">
      {resource.status !== "ready" && <PageHeading title={t.petitions.org.title}>{t.petitions.org.title}</PageHeading>}
      <Loadable resource={resource} reload={reload}>
        {(petition) => <Detail org={org} petition={petition} onChange={(next) => setResource({ status: "ready", data: next })} />}
      </Loadable>
    </div>
  );
}

function Detail({ org, petition, onChange }: { org: OrganizationSummary; petition: Petition; onChange: (petition: Petition) => void }) {
  const { t, format } = useI18n();
  const m = t.petitions.org;
  const title = petitionTitle(petition);
  const publish = useAction(async () => {
    onChange(await client.petitions.publish(org.slug, petition.id));
    announce(m.published);
  });
  return (
    <>
      <p className="back-link">
        <Link href={paths.org(org.slug, "petitions")}>{m.back}</Link>
      </p>
      <PageHeading title={`${title} · ${org.name}`}>
        <span dir="auto">{title}</span>
      </PageHeading>
      <NoMailNotice />
      <section className="card stack" aria-labelledby="petition-facts">
        <h2 id="petition-facts" className="visually-hidden">
          {m.facts}
        </h2>
        <p className="meta">
          <StateBadge state={petition.state} />
        </p>
        <dl className="facts">
          <dt>{m.confirmed}</dt>
          <dd data-count={petition.count}>{m.countOfGoal(petition.count, petition.goal)}</dd>
          <dt>{m.waiting}</dt>
          <dd>{format.number(petition.pending)}</dd>
          {petition.startsAt !== null && (
            <>
              <dt>{m.startsAt}</dt>
              <dd>{format.dateTime(petition.startsAt)}</dd>
            </>
          )}
          {petition.endsAt !== null && (
            <>
              <dt>{m.endsAt}</dt>
              <dd>{format.dateTime(petition.endsAt)}</dd>
            </>
          )}
          {petition.status !== "draft" && (
            <>
              <dt>{m.publicAddress}</dt>
              <dd dir="ltr">
                <a href={`/p/${encodeURIComponent(petition.slug)}`} target="_blank" rel="noopener">
                  /p/{petition.slug}
                </a>
              </dd>
            </>
          )}
        </dl>
        <div className="actions">
          {petition.status === "draft" && (
            <Button variant="primary" busy={publish.busy} onClick={() => void publish.run()}>
              {m.publish}
            </Button>
          )}
          {petition.status !== "draft" && (
            <Link href={paths.petitionSignatures(org.slug, petition.id)} className="button button-primary">
              {m.viewSignatures}
            </Link>
          )}
          <CloseAndDelete
            canClose={petition.status === "published"}
            words={m}
            onClose={async () => onChange(await client.petitions.close(org.slug, petition.id))}
            onDelete={async () => {
              await client.petitions.delete(org.slug, petition.id);
              navigate(paths.org(org.slug, "petitions"), { replace: true });
            }}
          />
        </div>
        {isCode(publish.error, "organization_key_missing") ? <KeyMissingNotice org={org} /> : <ErrorAlert error={publish.error} />}
      </section>
      {petition.status !== "draft" && <SharePanel petition={petition} title={title} />}
      <PetitionEditor
        key={`${petition.id}-${petition.status}`}
        org={org}
        petition={petition}
        onSaved={(saved) => {
          onChange(saved);
          announce(m.saved);
        }}
      />
    </>
  );
}
