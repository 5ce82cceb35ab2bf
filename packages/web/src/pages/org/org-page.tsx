/**
 * /orgs/:slug[/section]: loads the organization once and shows the sections this person's role
 * opens: everyone sees the overview, members and circles; organizers also invites; admins also
 * the activity log.
 */
import type { OrganizationSummary, Role } from "@commune/protocol";
import { client } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Link, paths, type FormRoute, type OrgSection, type PetitionRoute } from "../../router.tsx";
import { Loadable } from "../../ui/loadable.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { useResource } from "../../ui/use-async.ts";
import { AuditSection } from "./audit.tsx";
import { CircleDetailSection } from "./circle-detail.tsx";
import { CirclesSection } from "./circles.tsx";
import { InvitesSection } from "./invites.tsx";
import { MembersSection } from "./members.tsx";
import { OverviewSection } from "./overview.tsx";
import { OrganizationKeySection } from "./organization-key.tsx";
import { OrganizationKeySharer } from "./organization-key-notices.tsx";
import { PetitionsSection } from "../petitions/petitions-section.tsx";
import { FormsSection } from "../forms/forms-section.tsx";

export interface OrgSectionProps {
  readonly org: OrganizationSummary;
  /** Loads the organization again (after a change of name, role or member count). */
  readonly reloadOrg: () => Promise<void>;
}

export const canInvite = (role: Role | null) => role === "admin" || role === "organizer";
export const canManageCircles = canInvite;
export const isAdmin = (role: Role | null) => role === "admin";

function visibleSections(role: Role | null): OrgSection[] {
  const sections: OrgSection[] = ["overview", "members", "circles"];
  if (canInvite(role)) sections.splice(2, 0, "invites");
  if (canInvite(role)) sections.push("petitions", "forms");
  if (isAdmin(role)) sections.push("key", "audit");
  return sections;
}

export function OrgPage({ slug, section, circleId, petition, form }: { slug: string; section: OrgSection; circleId?: string; petition?: PetitionRoute; form?: FormRoute }) {
  const { t } = useI18n();
  const { resource, reload } = useResource(() => client.organization(slug), [slug]);
  const labels: Record<OrgSection, string> = {
    overview: t.org.overview,
    members: t.org.members,
    invites: t.org.invites,
    circles: t.org.circles,
    audit: t.org.audit,
    key: t.orgKey.nav,
    petitions: t.petitions.org.title,
    forms: t.forms.org.title,
  };
  return (
    <div className="stack">
      {resource.status !== "ready" && <PageHeading title={labels[section]}>{labels[section]}</PageHeading>}
      <Loadable resource={resource} reload={reload}>
        {(org) => (
          <>
            <div className="org-header">
              <p className="eyebrow">
                <Link href={paths.org(org.slug)} dir="auto">
                  {org.name}
                </Link>
              </p>
              <nav aria-label={t.org.sections} className="subnav">
                <ul>
                  {visibleSections(org.role).map((s) => (
                    <li key={s}>
                      <Link href={paths.org(org.slug, s)} aria-current={s === section ? (circleId || petition || form ? "true" : "page") : undefined}>
                        {labels[s]}
                      </Link>
                    </li>
                  ))}
                </ul>
              </nav>
            </div>
            <OrganizationKeySharer org={org} />
            <Section org={org} reloadOrg={reload} section={section} circleId={circleId} petition={petition} form={form} />
          </>
        )}
      </Loadable>
    </div>
  );
}

function Section({ section, circleId, petition, form, ...props }: OrgSectionProps & { section: OrgSection; circleId?: string; petition?: PetitionRoute; form?: FormRoute }) {
  switch (section) {
    case "overview":
      return <OverviewSection {...props} />;
    case "members":
      return <MembersSection {...props} />;
    case "invites":
      return <InvitesSection {...props} />;
    case "circles":
      return circleId ? <CircleDetailSection {...props} circleId={circleId} /> : <CirclesSection {...props} />;
    case "audit":
      return <AuditSection {...props} />;
    case "key":
      return <OrganizationKeySection {...props} />;
    case "petitions":
      return <PetitionsSection {...props} petition={petition} />;
    case "forms":
      return <FormsSection {...props} form={form} />;
  }
}
