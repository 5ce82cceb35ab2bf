import { ApiError } from "@commune/client";
import { SLUG_PATTERN, type Language, type OrganizationSummary } from "@commune/protocol";
import { useRef, useState, type FormEvent } from "react";
import { client } from "../api.ts";
import { fieldIssues } from "../errors.ts";
import { useI18n } from "../i18n/index.tsx";
import { ErrorAlert, Notice } from "../ui/alert.tsx";
import { announce } from "../ui/announcer.tsx";
import { Button } from "../ui/button.tsx";
import { Choice, ChoiceGroup, TextArea, TextField, focusFirstInvalid } from "../ui/fields.tsx";
import { PageHeading } from "../ui/page-heading.tsx";
import { useAction } from "../ui/use-async.ts";
import { LanguageChoices } from "./language-choices.tsx";
import { OrganizationKeySetup } from "./org/organization-key-setup.tsx";

type Errors = { name?: string; slug?: string; languages?: string; description?: string };

export function CreateOrganizationPage() {
  const { t, language } = useI18n();
  const form = useRef<HTMLFormElement>(null);
  const [welcome] = useState(() => new URLSearchParams(location.search).has("welcome"));
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [visibility, setVisibility] = useState<"public" | "private">("private");
  const [languages, setLanguages] = useState<Language[]>([language]);
  const [description, setDescription] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [created, setCreated] = useState<OrganizationSummary | null>(null);
  const action = useAction(() =>
    client.createOrganization({
      name: name.trim(),
      visibility,
      languages,
      ...(slug.trim() ? { slug: slug.trim() } : {}),
      ...(description.trim() ? { description: description.trim() } : {}),
    }),
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Errors = {};
    if (!name.trim()) found.name = t.fieldProblems.required;
    if (slug.trim() && !SLUG_PATTERN.test(slug.trim())) found.slug = t.fieldProblems.slug;
    if (languages.length === 0) found.languages = t.fieldProblems.languages;
    setErrors(found);
    if (Object.keys(found).length) return focusFirstInvalid(form.current);
    const result = await action.run();
    if (result.ok) {
      announce(t.createOrg.created(result.value.name));
      // next: this browser makes the organization's key and shows its recovery key once
      setCreated(result.value);
      return;
    }
    const next: Errors = {};
    if (result.error instanceof ApiError) {
      if (result.error.code === "slug_taken") next.slug = t.errors.slug_taken;
      const issues = fieldIssues(result.error);
      if (issues.name) next.name = t.fieldProblems.invalid;
      if (issues.slug) next.slug ??= t.fieldProblems.slug;
      if (issues.description) next.description = t.fieldProblems.invalid;
    }
    if (Object.keys(next).length) {
      setErrors(next);
      action.setError(null);
      focusFirstInvalid(form.current);
    }
  };

  const example = `${location.origin}/orgs/${slug.trim() || "riverside-tenants"}`;
  if (created) {
    return (
      <div className="narrow stack">
        <PageHeading title={created.name}>
          <span dir="auto">{created.name}</span>
        </PageHeading>
        <OrganizationKeySetup org={created} />
      </div>
    );
  }
  return (
    <div className="narrow stack">
      <PageHeading title={t.createOrg.title}>{t.createOrg.title}</PageHeading>
      {welcome && <Notice tone="success">{t.createOrg.welcome}</Notice>}
      <form ref={form} className="card stack" onSubmit={submit} noValidate aria-busy={action.busy || undefined}>
        <TextField label={t.createOrg.name} hint={t.createOrg.nameHint} name="name" dir="auto" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
        <TextField
          label={t.createOrg.slug}
          hint={t.createOrg.slugHint(example)}
          optional
          name="slug"
          dir="ltr"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={48}
          value={slug}
          onChange={(e) => setSlug(e.target.value.toLowerCase())}
          error={errors.slug}
        />
        <ChoiceGroup legend={t.createOrg.visibility}>
          <Choice type="radio" name="visibility" value="private" label={t.createOrg.private} hint={t.createOrg.privateHint} checked={visibility === "private"} onChange={() => setVisibility("private")} />
          <Choice type="radio" name="visibility" value="public" label={t.createOrg.public} hint={t.createOrg.publicHint} checked={visibility === "public"} onChange={() => setVisibility("public")} />
        </ChoiceGroup>
        <LanguageChoices legend={t.createOrg.languages} hint={t.createOrg.languagesHint} error={errors.languages} value={languages} onChange={setLanguages} />
        <TextArea label={t.createOrg.description} hint={t.createOrg.descriptionHint} optional name="description" dir="auto" maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} error={errors.description} />
        <ErrorAlert error={action.error} />
        <div className="actions">
          <Button type="submit" variant="primary" busy={action.busy}>
            {t.createOrg.submit}
          </Button>
        </div>
      </form>
    </div>
  );
}
