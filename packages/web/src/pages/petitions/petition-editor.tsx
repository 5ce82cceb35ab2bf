/**
 * Writing a petition: its address, its text in each chosen language (Markdown, with a preview),
 * its goal and dates, what signers fill in, and how long signatures are kept after it closes.
 */
import { FIELD_SETTINGS, PETITION_BODY_MAX, PETITION_GOAL_MAX, PETITION_TEXT_FIELDS, RETENTION_DAYS_MAX, type FieldSetting, type Language, type OrganizationSummary, type Petition } from "@commune/protocol";
import { useRef, useState, type FormEvent } from "react";
import { client } from "../../api.ts";
import { isCode } from "../../errors.ts";
import { AUTONYMS, useI18n } from "../../i18n/index.tsx";
import { navigate, paths } from "../../router.tsx";
import { ErrorAlert } from "../../ui/alert.tsx";
import { announce } from "../../ui/announcer.tsx";
import { Button } from "../../ui/button.tsx";
import { Choice, ChoiceGroup, SelectField, TextField, focusFirstInvalid } from "../../ui/fields.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { useAction } from "../../ui/use-async.ts";
import { AddressAndLanguages } from "../address-and-languages.tsx";
import { MarkdownField } from "../markdown-field.tsx";
import { draftOf, draftProblems, newDraft, petitionInput, type Draft, type DraftProblems, type TextDraft } from "./petition-draft.ts";
import { NoMailNotice } from "./no-mail-notice.tsx";

export function NewPetition({ org }: { org: OrganizationSummary }) {
  const { t } = useI18n();
  const m = t.petitions.org;
  return (
    <div className="stack">
      <PageHeading title={`${m.newTitle} · ${org.name}`}>{m.newTitle}</PageHeading>
      <NoMailNotice />
      <PetitionEditor
        org={org}
        onSaved={(petition) => {
          announce(m.created);
          navigate(paths.petition(org.slug, petition.id));
        }}
      />
    </div>
  );
}

/** The form, empty for a new petition or filled from `petition`; `onSaved` gets what the server kept. */
export function PetitionEditor({ org, petition, onSaved }: { org: OrganizationSummary; petition?: Petition; onSaved: (petition: Petition) => void | Promise<void> }) {
  const { t } = useI18n();
  const m = t.petitions.org;
  const form = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState<Draft>(() => (petition ? draftOf(petition) : newDraft(org.languages)));
  const [problems, setProblems] = useState<DraftProblems>({});
  const locked = petition !== undefined && petition.status !== "draft";
  const action = useAction(async () => {
    const input = petitionInput(draft);
    try {
      if (!petition) return await onSaved(await client.petitions.create(org.slug, input));
      // once published, the address and the fields are what signers saw: they are not sent again
      const { slug: _slug, fields: _fields, ...changes } = input;
      await onSaved(await client.petitions.update(org.slug, petition.id, locked ? changes : input));
    } catch (error) {
      if (isCode(error, "slug_taken")) {
        setProblems({ slug: m.slugTaken });
        focusFirstInvalid(form.current);
      }
      throw error;
    }
  });

  const change = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const changeText = (language: Language, patch: Partial<TextDraft>) => setDraft((d) => ({ ...d, texts: { ...d.texts, [language]: { ...d.texts[language], ...patch } } }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = draftProblems(draft, t);
    setProblems(found);
    if (Object.keys(found).length > 0) return focusFirstInvalid(form.current);
    await action.run();
  };

  const example = `${location.origin}/p/${draft.slug || "…"}`;
  return (
    <form ref={form} className="card stack petition-editor" onSubmit={submit} noValidate aria-busy={action.busy || undefined} aria-label={petition ? m.editTitle : m.newTitle}>
      {petition && <h2>{m.editTitle}</h2>}
      <AddressAndLanguages words={m} name="petition-slug" addressHint={locked ? m.addressLocked : m.addressHint(example)} locked={locked} value={draft} problems={problems} onChange={change} />
      {draft.languages.map((language) => (
        <TextFields key={language} language={language} text={draft.texts[language]} problems={problems} onChange={(patch) => changeText(language, patch)} />
      ))}
      <CountField label={m.goal} hint={m.goalHint} name="petition-goal" max={PETITION_GOAL_MAX} value={draft.goal} onChange={(goal) => change({ goal })} error={problems.goal} />
      <fieldset className="field" aria-describedby="petition-dates-hint">
        <legend className="field-label">{m.dates}</legend>
        <p id="petition-dates-hint" className="field-hint">
          {m.datesHint}
        </p>
        <div className="inline-fields">
          <TextField label={m.startsAt} optional name="petition-starts" type="datetime-local" value={draft.startsAt} onChange={(e) => change({ startsAt: e.target.value })} error={problems.startsAt} />
          <TextField label={m.endsAt} optional name="petition-ends" type="datetime-local" value={draft.endsAt} onChange={(e) => change({ endsAt: e.target.value })} error={problems.endsAt} />
        </div>
      </fieldset>
      <fieldset className="field petition-fields" aria-describedby="petition-fields-hint">
        <legend className="field-label">{m.fields}</legend>
        <p id="petition-fields-hint" className="field-hint">
          {locked ? m.addressLocked : m.fieldsHint}
        </p>
        <div className="field-settings">
          {PETITION_TEXT_FIELDS.map((field) => (
            <SelectField
              key={field}
              label={m.fieldLabels[field]}
              name={`field-${field}`}
              disabled={locked}
              value={draft.fields[field]}
              onChange={(e) => change({ fields: { ...draft.fields, [field]: e.target.value as FieldSetting } })}
            >
              {FIELD_SETTINGS.map((setting) => (
                <option key={setting} value={setting}>
                  {m.settings[setting]}
                </option>
              ))}
            </SelectField>
          ))}
        </div>
      </fieldset>
      <ChoiceGroup legend={m.offers}>
        <Choice
          type="checkbox"
          name="offer-show-publicly"
          label={m.offerShowPublicly}
          hint={m.offerShowPubliclyHint}
          disabled={locked}
          checked={draft.fields.showPublicly}
          onChange={(e) => change({ fields: { ...draft.fields, showPublicly: e.target.checked } })}
        />
        <Choice
          type="checkbox"
          name="offer-keep-informed"
          label={m.offerKeepInformed}
          hint={m.offerKeepInformedHint}
          disabled={locked}
          checked={draft.fields.keepInformed}
          onChange={(e) => change({ fields: { ...draft.fields, keepInformed: e.target.checked } })}
        />
      </ChoiceGroup>
      <div className="stack">
        <Choice type="checkbox" name="retention" label={m.retention} hint={m.retentionHint} checked={draft.retention} onChange={(e) => change({ retention: e.target.checked })} />
        {draft.retention && (
          <CountField label={m.retentionDays} name="retention-days" max={RETENTION_DAYS_MAX} value={draft.retentionDays} onChange={(retentionDays) => change({ retentionDays })} error={problems.retentionDays} />
        )}
      </div>
      <ErrorAlert error={isCode(action.error, "slug_taken") ? null : action.error} />
      <div className="actions">
        <Button type="submit" variant="primary" busy={action.busy}>
          {petition ? m.save : m.createSubmit}
        </Button>
      </div>
    </form>
  );
}

/** One language's title, target and text, with a preview of the text as the public will see it. */
function TextFields({ language, text, problems, onChange }: { language: Language; text: TextDraft; problems: DraftProblems; onChange: (patch: Partial<TextDraft>) => void }) {
  const { t } = useI18n();
  const m = t.petitions.org;
  const name = AUTONYMS[language];
  return (
    <fieldset className="field petition-language">
      <legend className="field-label">{m.textIn(name)}</legend>
      <TextField label={m.petitionTitle} name={`title-${language}`} lang={language} dir="auto" maxLength={200} value={text.title} onChange={(e) => onChange({ title: e.target.value })} error={problems[`${language}.title`]} />
      <TextField label={m.target} hint={m.targetHint} name={`target-${language}`} lang={language} dir="auto" maxLength={200} value={text.target} onChange={(e) => onChange({ target: e.target.value })} error={problems[`${language}.target`]} />
      <MarkdownField
        label={m.body}
        hint={m.bodyHint}
        name={`body-${language}`}
        language={language}
        rows={10}
        maxLength={PETITION_BODY_MAX}
        value={text.body}
        error={problems[`${language}.body`]}
        previewLabel={m.previewOf(name)}
        previewEmpty={m.previewEmpty}
        onChange={(body) => onChange({ body })}
      />
    </fieldset>
  );
}

/** A whole number from 1 to `max`, kept as typed (checked on submit). */
function CountField({ max, onChange, ...field }: { label: string; hint?: string; name: string; max: number; value: string; error: string | undefined; onChange: (value: string) => void }) {
  return <TextField {...field} type="number" inputMode="numeric" min={1} max={max} className="narrow-field" onChange={(e) => onChange(e.target.value)} />;
}
