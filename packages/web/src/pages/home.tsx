import { client } from "../api.ts";
import { useI18n } from "../i18n/index.tsx";
import { Link, paths } from "../router.tsx";
import { useAccount, useSession } from "../session.tsx";
import { Loadable } from "../ui/loadable.tsx";
import { PageHeading } from "../ui/page-heading.tsx";
import { useResource } from "../ui/use-async.ts";

export function canCreateOrganizations(session: ReturnType<typeof useSession>): boolean {
  return Boolean(session.account?.instanceAdmin || session.instance?.organizationCreation === "everyone");
}

export function HomePage() {
  const { t } = useI18n();
  const session = useSession();
  useAccount();
  const { resource, reload } = useResource(() => client.organizations(), []);
  const canCreate = canCreateOrganizations(session);
  return (
    <div className="stack">
      <div className="page-title-row">
        <PageHeading title={t.home.title}>{t.home.title}</PageHeading>
        {canCreate && (
          <Link className="button button-primary" href={paths.newOrganization()}>
            {t.home.create}
          </Link>
        )}
      </div>
      <Loadable resource={resource} reload={reload}>
        {(orgs) =>
          orgs.length === 0 ? (
            <p className="empty">{canCreate ? t.home.emptyCanCreate : t.home.empty}</p>
          ) : (
            <ul className="card-list" aria-label={t.home.title}>
              {orgs.map((org) => (
                <li key={org.id} className="card org-card">
                  <h2 className="card-title">
                    <Link href={paths.org(org.slug)} dir="auto">
                      {org.name}
                    </Link>
                  </h2>
                  {org.description && (
                    <p className="card-text" dir="auto">
                      {org.description}
                    </p>
                  )}
                  <p className="meta">
                    <span>{t.home.members(org.memberCount)}</span>
                    {org.role && <span className={`badge badge-${org.role}`}>{t.home.yourRole(org.role)}</span>}
                  </p>
                </li>
              ))}
            </ul>
          )
        }
      </Loadable>
    </div>
  );
}
