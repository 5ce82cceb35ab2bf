/**
 * /orgs/:slug/forms[/new | /:id[/results]]: the organization's forms, for organizers and
 * administrators.
 */
import type { Form } from "@commune/protocol";
import { client } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Link, paths, type FormRoute } from "../../router.tsx";
import { Loadable } from "../../ui/loadable.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { useResource } from "../../ui/use-async.ts";
import { NotFoundPage } from "../not-found.tsx";
import { canInvite, type OrgSectionProps } from "../org/org-page.tsx";
import { FormDetail } from "./form-detail.tsx";
import { formTitle } from "./form-draft.ts";
import { NewForm } from "./form-editor.tsx";
import { FormResults } from "./form-results.tsx";
import { FormStateBadge } from "./forms-notices.tsx";
import "./forms.css";

export function FormsSection({ org, form, ...props }: OrgSectionProps & { form?: FormRoute | undefined }) {
  if (!canInvite(org.role)) return <NotFoundPage />;
  if (!form) return <FormList org={org} {...props} />;
  if (form.id === "new") return <NewForm org={org} />;
  if ("view" in form && form.view === "results") return <FormResults key={form.id} org={org} id={form.id} />;
  return <FormDetail key={form.id} org={org} id={form.id} />;
}

function FormList({ org }: OrgSectionProps) {
  const { t } = useI18n();
  const m = t.forms.org;
  const { resource, reload } = useResource(() => client.forms.list(org.slug), [org.slug]);
  return (
    <div className="stack">
      <div className="page-title-row">
        <PageHeading title={`${m.title} · ${org.name}`}>{m.title}</PageHeading>
        <Link href={paths.newForm(org.slug)} className="button button-primary">
          {m.create}
        </Link>
      </div>
      <p className="muted">{m.intro}</p>
      <Loadable resource={resource} reload={reload}>
        {(forms) =>
          forms.length === 0 ? (
            <p className="empty">{m.none}</p>
          ) : (
            <ul className="card-list" aria-label={m.title}>
              {forms.map((form) => (
                <FormCard key={form.id} orgSlug={org.slug} form={form} />
              ))}
            </ul>
          )
        }
      </Loadable>
    </div>
  );
}

function FormCard({ orgSlug, form }: { orgSlug: string; form: Form }) {
  const { t } = useI18n();
  const m = t.forms.org;
  return (
    <li className="card form-card" data-slug={form.slug}>
      <h2 className="card-title">
        <Link href={paths.form(orgSlug, form.id)} dir="auto">
          {formTitle(form)}
        </Link>
      </h2>
      <p className="meta">
        <FormStateBadge state={form.state} />
        <span>{form.responseLimit === null ? m.responses(form.responses) : m.responsesOfLimit(form.responses, form.responseLimit)}</span>
        {form.pending > 0 && <span>{m.pending(form.pending)}</span>}
      </p>
      <p className="meta" dir="ltr">
        <span>/f/{form.slug}</span>
      </p>
    </li>
  );
}
