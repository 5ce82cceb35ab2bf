import { useRef, useState, type FormEvent } from "react";
import { client } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Link, paths } from "../../router.tsx";
import { ErrorAlert } from "../../ui/alert.tsx";
import { announce } from "../../ui/announcer.tsx";
import { Button } from "../../ui/button.tsx";
import { TextArea, TextField, focusFirstInvalid } from "../../ui/fields.tsx";
import { Loadable } from "../../ui/loadable.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { useAction, useResource } from "../../ui/use-async.ts";
import { canManageCircles, type OrgSectionProps } from "./org-page.tsx";

export function CirclesSection({ org }: OrgSectionProps) {
  const { t } = useI18n();
  const { resource, reload } = useResource(() => client.circles(org.slug), [org.slug]);
  return (
    <div className="stack">
      <PageHeading title={`${t.circles.title} · ${org.name}`}>{t.circles.title}</PageHeading>
      <p className="muted">{t.circles.intro}</p>
      <Loadable resource={resource} reload={reload}>
        {(circles) =>
          circles.length === 0 ? (
            <p className="empty">{t.circles.none}</p>
          ) : (
            <ul className="card-list" aria-label={t.circles.title}>
              {circles.map((circle) => (
                <li key={circle.id} className="card">
                  <h2 className="card-title">
                    <Link href={paths.circle(org.slug, circle.id)} dir="auto">
                      {circle.name}
                    </Link>
                  </h2>
                  {circle.description && (
                    <p className="card-text" dir="auto">
                      {circle.description}
                    </p>
                  )}
                  <p className="meta">
                    <span>{t.circles.memberCount(circle.memberCount)}</span>
                    {circle.isMember && <span className="badge badge-member">{t.circles.youAreIn}</span>}
                  </p>
                </li>
              ))}
            </ul>
          )
        }
      </Loadable>
      {canManageCircles(org.role) && <CreateCircleForm slug={org.slug} onCreated={reload} />}
    </div>
  );
}

function CreateCircleForm({ slug, onCreated }: { slug: string; onCreated: () => Promise<void> }) {
  const { t } = useI18n();
  const form = useRef<HTMLFormElement>(null);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [nameError, setNameError] = useState<string | null>(null);
  const action = useAction(async () => {
    const circle = await client.createCircle(slug, { name: name.trim(), ...(description.trim() ? { description: description.trim() } : {}) });
    announce(t.circles.created(circle.name));
    setName("");
    setDescription("");
    await onCreated();
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = name.trim() ? null : t.fieldProblems.required;
    setNameError(problem);
    if (problem) return focusFirstInvalid(form.current);
    await action.run();
  };
  return (
    <section className="stack" aria-labelledby="circles-create">
      <h2 id="circles-create">{t.circles.createTitle}</h2>
      <form ref={form} className="card stack" onSubmit={submit} noValidate aria-busy={action.busy || undefined}>
        <TextField label={t.circles.name} name="circle-name" dir="auto" maxLength={80} value={name} onChange={(e) => setName(e.target.value)} error={nameError} />
        <TextArea label={t.circles.description} optional name="circle-description" dir="auto" maxLength={1000} value={description} onChange={(e) => setDescription(e.target.value)} />
        <ErrorAlert error={action.error} />
        <div className="actions">
          <Button type="submit" variant="primary" busy={action.busy}>
            {t.circles.submit}
          </Button>
        </div>
      </form>
    </section>
  );
}
