import { type Language } from "@commune/protocol";
import { useState, type FormEvent } from "react";
import { client } from "../../api.ts";
import { errorText, isCode } from "../../errors.ts";
import { AUTONYMS, useI18n } from "../../i18n/index.tsx";
import { navigate, paths } from "../../router.tsx";
import { ErrorAlert } from "../../ui/alert.tsx";
import { announce } from "../../ui/announcer.tsx";
import { Button } from "../../ui/button.tsx";
import { ConfirmDialog } from "../../ui/confirm-dialog.tsx";
import { Choice, ChoiceGroup, TextArea, TextField } from "../../ui/fields.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { useAction } from "../../ui/use-async.ts";
import { LanguageChoices } from "../language-choices.tsx";
import { isAdmin, type OrgSectionProps } from "./org-page.tsx";
import { LoopSuiteSettings } from "./settings-loops.tsx";

export function OverviewSection({ org, reloadOrg }: OrgSectionProps) {
  const { t, format } = useI18n();
  const [leaving, setLeaving] = useState(false);
  const [leaveError, setLeaveError] = useState<unknown>(null);
  return (
    <div className="stack">
      <PageHeading title={org.name}>
        <span dir="auto">{org.name}</span>
      </PageHeading>
      {org.description ? (
        <p className="org-description" dir="auto">
          {org.description}
        </p>
      ) : (
        <p className="muted">{t.org.noDescription}</p>
      )}
      <dl className="facts card">
        <div>
          <dt>{t.org.yourRole}</dt>
          <dd>{org.role ? t.roles[org.role] : "—"}</dd>
        </div>
        <div>
          <dt>{t.org.memberCount}</dt>
          <dd>{format.number(org.memberCount)}</dd>
        </div>
        <div>
          <dt>{t.org.visibility}</dt>
          <dd>{org.visibility === "public" ? t.createOrg.public : t.createOrg.private}</dd>
        </div>
        <div>
          <dt>{t.org.languages}</dt>
          <dd>
            {format.list(org.languages.map((l) => AUTONYMS[l]))}
          </dd>
        </div>
        <div>
          <dt>{t.org.created}</dt>
          <dd>{format.date(org.createdAt)}</dd>
        </div>
      </dl>

      {isAdmin(org.role) && <SettingsForm key={`${org.name}|${org.description}|${org.visibility}|${org.languages.join()}`} org={org} reloadOrg={reloadOrg} />}

      <LoopSuiteSettings org={org} reloadOrg={reloadOrg} />

      <section className="stack" aria-labelledby="org-leave">
        <h2 id="org-leave">{t.org.leave}</h2>
        {/* Always mounted, so the reason is announced when the dialog closes on it. */}
        <div role="alert" className="alert-slot">
          {leaveError ? <p className={isCode(leaveError, "last_admin") ? "alert alert-warning" : "alert alert-error"}>{isCode(leaveError, "last_admin") ? t.org.lastAdminHint : errorText(t, leaveError)}</p> : null}
        </div>
        <div className="actions">
          <Button variant="danger" onClick={() => setLeaving(true)}>
            {t.org.leave}
          </Button>
        </div>
      </section>
      <ConfirmDialog
        open={leaving}
        title={t.org.leaveTitle(org.name)}
        confirmLabel={t.org.leave}
        onClose={() => setLeaving(false)}
        onConfirm={async () => {
          setLeaveError(null);
          try {
            await client.leave(org.slug);
          } catch (error) {
            // Shown on the page, where the hint about promoting someone has room.
            setLeaveError(error);
            return;
          }
          announce(t.org.left(org.name));
          navigate(paths.home());
        }}
      >
        <p>{t.org.leaveBody}</p>
      </ConfirmDialog>
    </div>
  );
}

function SettingsForm({ org, reloadOrg }: OrgSectionProps) {
  const { t } = useI18n();
  const [name, setName] = useState(org.name);
  const [description, setDescription] = useState(org.description);
  const [visibility, setVisibility] = useState(org.visibility);
  const [languages, setLanguages] = useState<Language[]>([...org.languages]);
  const [nameError, setNameError] = useState<string | null>(null);
  const action = useAction(async () => {
    await client.updateOrganization(org.slug, { name: name.trim(), description: description.trim(), visibility, languages });
    await reloadOrg();
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setNameError(name.trim() ? null : t.fieldProblems.required);
    if (!name.trim() || languages.length === 0) return;
    const result = await action.run();
    if (result.ok) announce(t.org.saved);
  };
  return (
    <section className="stack" aria-labelledby="org-settings">
      <h2 id="org-settings">{t.org.settings}</h2>
      <form className="card stack" onSubmit={submit} noValidate aria-busy={action.busy || undefined}>
        <TextField label={t.createOrg.name} name="name" dir="auto" maxLength={100} value={name} onChange={(e) => setName(e.target.value)} error={nameError} />
        <ChoiceGroup legend={t.createOrg.visibility}>
          <Choice type="radio" name="visibility" label={t.createOrg.private} hint={t.createOrg.privateHint} checked={visibility === "private"} onChange={() => setVisibility("private")} />
          <Choice type="radio" name="visibility" label={t.createOrg.public} hint={t.createOrg.publicHint} checked={visibility === "public"} onChange={() => setVisibility("public")} />
        </ChoiceGroup>
        <LanguageChoices legend={t.createOrg.languages} error={languages.length === 0 ? t.fieldProblems.languages : null} value={languages} onChange={setLanguages} />
        <TextArea label={t.createOrg.description} optional name="description" dir="auto" maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} />
        <ErrorAlert error={action.error} />
        <div className="actions">
          <Button type="submit" variant="primary" busy={action.busy}>
            {t.org.saveSettings}
          </Button>
        </div>
      </form>
    </section>
  );
}
