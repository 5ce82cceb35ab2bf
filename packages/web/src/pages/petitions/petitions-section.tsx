/**
 * /orgs/:slug/petitions[/new | /:id[/signatures]]: the organization's petitions, for organizers and
 * administrators.
 */
import type { Petition } from "@commune/protocol";
import { client } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Link, paths, type PetitionRoute } from "../../router.tsx";
import { Loadable } from "../../ui/loadable.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { useResource } from "../../ui/use-async.ts";
import { canInvite, type OrgSectionProps } from "../org/org-page.tsx";
import { NotFoundPage } from "../not-found.tsx";
import { NoMailNotice } from "./no-mail-notice.tsx";
import { NewPetition } from "./petition-editor.tsx";
import { PetitionDetail } from "./petition-detail.tsx";
import { petitionTitle } from "./petition-draft.ts";
import { StateBadge } from "./state-badge.tsx";
import { SignaturesView } from "./signatures-view.tsx";

export function PetitionsSection({ org, petition, ...props }: OrgSectionProps & { petition?: PetitionRoute | undefined }) {
  if (!canInvite(org.role)) return <NotFoundPage />;
  if (!petition) return <PetitionList org={org} {...props} />;
  if (petition.id === "new") return <NewPetition org={org} />;
  if ("view" in petition && petition.view === "signatures") return <SignaturesView key={petition.id} org={org} id={petition.id} />;
  return <PetitionDetail key={petition.id} org={org} id={petition.id} />;
}

function PetitionList({ org }: OrgSectionProps) {
  const { t } = useI18n();
  const m = t.petitions.org;
  const { resource, reload } = useResource(() => client.petitions.list(org.slug), [org.slug]);
  return (
    <div className="stack">
      <div className="page-title-row">
        <PageHeading title={`${m.title} · ${org.name}`}>{m.title}</PageHeading>
        <Link href={paths.newPetition(org.slug)} className="button button-primary">
          {m.create}
        </Link>
      </div>
      <p className="muted">{m.intro}</p>
      <NoMailNotice />
      <Loadable resource={resource} reload={reload}>
        {(petitions) =>
          petitions.length === 0 ? (
            <p className="empty">{m.none}</p>
          ) : (
            <ul className="card-list" aria-label={m.title}>
              {petitions.map((petition) => (
                <PetitionCard key={petition.id} orgSlug={org.slug} petition={petition} />
              ))}
            </ul>
          )
        }
      </Loadable>
    </div>
  );
}

function PetitionCard({ orgSlug, petition }: { orgSlug: string; petition: Petition }) {
  const { t } = useI18n();
  const m = t.petitions.org;
  return (
    <li className="card petition-card" data-slug={petition.slug}>
      <h2 className="card-title">
        <Link href={paths.petition(orgSlug, petition.id)} dir="auto">
          {petitionTitle(petition)}
        </Link>
      </h2>
      <p className="meta">
        <StateBadge state={petition.state} />
        <span>{m.countOfGoal(petition.count, petition.goal)}</span>
        {petition.pending > 0 && <span>{m.pending(petition.pending)}</span>}
      </p>
      <p className="meta" dir="ltr">
        <span>/p/{petition.slug}</span>
      </p>
    </li>
  );
}
