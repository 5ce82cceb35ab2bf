/**
 * /orgs/:slug/forms/:id: one form — where it stands, publish / close / delete, its public address
 * once it is out, a link to the results, and its builder.
 */
import type { Form, OrganizationSummary } from "@commune/protocol";
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
import { formTitle } from "./form-draft.ts";
import { FormEditor } from "./form-editor.tsx";
import { FormKeyMissingNotice, FormStateBadge, FormsNoMailNotice } from "./forms-notices.tsx";

export function FormDetail({ org, id }: { org: OrganizationSummary; id: string }) {
  const { t } = useI18n();
  const { resource, reload, setResource } = useResource(() => client.forms.get(org.slug, id), [org.slug, id]);
  return (
    <div className="stack">
      {resource.status !== "ready" && <PageHeading title={t.forms.org.title}>{t.forms.org.title}</PageHeading>}
      <Loadable resource={resource} reload={reload}>
        {(form) => <Detail org={org} form={form} onChange={(next) => setResource({ status: "ready", data: next })} />}
      </Loadable>
    </div>
  );
}

function Detail({ org, form, onChange }: { org: OrganizationSummary; form: Form; onChange: (form: Form) => void }) {
  const { t, format } = useI18n();
  const m = t.forms.org;
  const title = formTitle(form);
  const publish = useAction(async () => {
    onChange(await client.forms.publish(org.slug, form.id));
    announce(m.published);
  });
  return (
    <>
      <p className="back-link">
        <Link href={paths.org(org.slug, "forms")}>{m.back}</Link>
      </p>
      <PageHeading title={`${title} · ${org.name}`}>
        <span dir="auto">{title}</span>
      </PageHeading>
      <FormsNoMailNotice when={form.confirmEmail} />
      <section className="card stack" aria-labelledby="form-facts">
        <h2 id="form-facts" className="visually-hidden">
          {m.facts}
        </h2>
        <p className="meta">
          <FormStateBadge state={form.state} />
        </p>
        <dl className="facts">
          <dt>{m.responsesLabel}</dt>
          <dd data-count={form.responses}>{format.number(form.responses)}</dd>
          {form.confirmEmail && (
            <>
              <dt>{m.waiting}</dt>
              <dd>{format.number(form.pending)}</dd>
            </>
          )}
          {form.responseLimit !== null && (
            <>
              <dt>{m.limitLabel}</dt>
              <dd>{format.number(form.responseLimit)}</dd>
            </>
          )}
          {form.closesAt !== null && (
            <>
              <dt>{m.closesAt}</dt>
              <dd>{format.dateTime(form.closesAt)}</dd>
            </>
          )}
          {form.status !== "draft" && (
            <>
              <dt>{m.publicAddress}</dt>
              <dd dir="ltr">
                <a href={`/f/${encodeURIComponent(form.slug)}`} target="_blank" rel="noopener">
                  {location.origin}/f/{form.slug}
                </a>
              </dd>
            </>
          )}
        </dl>
        <div className="actions">
          {form.status === "draft" && (
            <Button variant="primary" busy={publish.busy} onClick={() => void publish.run()}>
              {m.publish}
            </Button>
          )}
          {form.status !== "draft" && (
            <Link href={paths.formResults(org.slug, form.id)} className="button button-primary">
              {m.viewResults}
            </Link>
          )}
          <CloseAndDelete
            canClose={form.status === "published"}
            words={m}
            onClose={async () => onChange(await client.forms.close(org.slug, form.id))}
            onDelete={async () => {
              await client.forms.delete(org.slug, form.id);
              navigate(paths.org(org.slug, "forms"), { replace: true });
            }}
          />
        </div>
        {isCode(publish.error, "organization_key_missing") ? <FormKeyMissingNotice org={org} /> : <ErrorAlert error={publish.error} />}
      </section>
      <FormEditor
        key={`${form.id}-${form.status}`}
        org={org}
        form={form}
        onSaved={(saved) => {
          onChange(saved);
          announce(m.saved);
        }}
      />
    </>
  );
}
