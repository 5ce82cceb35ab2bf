import { ApiError } from "@commune/client";
import { LANGUAGES, PASSWORD_MIN, type DeletionPreview, type Language } from "@commune/protocol";
import { useRef, useState, type FormEvent } from "react";
import { client } from "../api.ts";
import { AUTONYMS, useI18n } from "../i18n/index.tsx";
import { navigate, paths } from "../router.tsx";
import { useAccount, useSession } from "../session.tsx";
import { ErrorAlert, Notice } from "../ui/alert.tsx";
import { announce } from "../ui/announcer.tsx";
import { Button } from "../ui/button.tsx";
import { SelectField, TextField, focusFirstInvalid } from "../ui/fields.tsx";
import { PageHeading } from "../ui/page-heading.tsx";
import { useAction } from "../ui/use-async.ts";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function AccountPage() {
  const { t, format } = useI18n();
  const account = useAccount();
  return (
    <div className="narrow stack">
      <PageHeading title={t.account.title}>{t.account.title}</PageHeading>
      <dl className="facts card">
        <div>
          <dt>{t.account.username}</dt>
          <dd>
            <bdi>{account.username}</bdi>
          </dd>
        </div>
      </dl>
      <p className="muted">{t.account.since(format.date(account.createdAt))}</p>
      {account.instanceAdmin && <p className="muted">{t.account.instanceAdmin}</p>}
      <LanguageSection />
      <EmailSection />
      <PasswordSection />
      <DeleteSection />
    </div>
  );
}

function LanguageSection() {
  const { t, language, setLanguage } = useI18n();
  const session = useSession();
  const save = useAction(async (next: Language) => {
    setLanguage(next, { remember: true });
    session.setAccount(await client.updateAccount({ language: next }));
    announce(t.account.languageSaved);
  });
  return (
    <section className="stack" aria-labelledby="account-language">
      <h2 id="account-language">{t.account.languageTitle}</h2>
      <div className="card stack" aria-busy={save.busy || undefined}>
        <SelectField label={t.account.languageTitle} hint={t.account.languageHint} name="language" value={language} onChange={(e) => void save.run(e.target.value as Language)}>
          {LANGUAGES.map((l) => (
            <option key={l} value={l} lang={l}>
              {AUTONYMS[l]}
            </option>
          ))}
        </SelectField>
        <ErrorAlert error={save.error} />
      </div>
    </section>
  );
}

function EmailSection() {
  const { t } = useI18n();
  const account = useAccount();
  const session = useSession();
  const [email, setEmail] = useState(account.email ?? "");
  const [problem, setProblem] = useState<string | null>(null);
  const save = useAction(async () => {
    const value = email.trim();
    session.setAccount(await client.updateAccount({ email: value || null }));
    announce(value ? t.account.emailSaved : t.account.emailRemoved);
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = email.trim();
    const found = value && !EMAIL.test(value) ? t.fieldProblems.email : null;
    setProblem(found);
    if (!found) await save.run();
  };
  return (
    <section className="stack" aria-labelledby="account-email">
      <h2 id="account-email">{t.account.emailTitle}</h2>
      <form className="card stack" onSubmit={submit} noValidate aria-busy={save.busy || undefined}>
        <TextField label={t.fields.email} hint={`${t.fields.emailHint} ${t.account.emailHint}`} name="email" type="email" autoComplete="email" dir="ltr" value={email} onChange={(e) => setEmail(e.target.value)} error={problem} />
        <ErrorAlert error={save.error} />
        <div className="actions">
          <Button type="submit" busy={save.busy}>
            {t.account.emailSave}
          </Button>
        </div>
      </form>
    </section>
  );
}

function PasswordSection() {
  const { t } = useI18n();
  const account = useAccount();
  const form = useRef<HTMLFormElement>(null);
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [errors, setErrors] = useState<{ current?: string; next?: string }>({});
  const change = useAction(async () => {
    await client.changePassword({ currentPassword: current, newPassword: next });
    setCurrent("");
    setNext("");
    announce(t.account.passwordChanged);
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: typeof errors = {};
    if (!current) found.current = t.fieldProblems.required;
    if (!next) found.next = t.fieldProblems.required;
    else if (next.length < PASSWORD_MIN) found.next = t.fieldProblems.passwordShort;
    setErrors(found);
    if (Object.keys(found).length) return focusFirstInvalid(form.current);
    const result = await change.run();
    if (!result.ok && result.error instanceof ApiError) {
      if (result.error.code === "invalid_credentials") setErrors({ current: t.errors.invalid_credentials });
      if (result.error.code === "password_too_weak") setErrors({ next: t.errors.password_too_weak });
      if (result.error.code === "invalid_credentials" || result.error.code === "password_too_weak") {
        change.setError(null);
        focusFirstInvalid(form.current);
      }
    }
  };
  return (
    <section className="stack" aria-labelledby="account-password">
      <h2 id="account-password">{t.account.passwordTitle}</h2>
      <form ref={form} className="card stack" onSubmit={submit} noValidate aria-busy={change.busy || undefined}>
        {/* Lets password managers file the change under the right account. */}
        <input type="text" name="username" autoComplete="username" value={account.username} readOnly hidden />
        <TextField label={t.fields.currentPassword} name="current-password" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} error={errors.current} />
        <TextField label={t.fields.newPassword} hint={t.fields.passwordHint} name="new-password" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} error={errors.next} />
        <ErrorAlert error={change.error} />
        <div className="actions">
          <Button type="submit" busy={change.busy}>
            {t.account.passwordSubmit}
          </Button>
        </div>
      </form>
    </section>
  );
}

function DeleteSection() {
  const { t } = useI18n();
  const session = useSession();
  const [preview, setPreview] = useState<DeletionPreview | null>(null);
  const [password, setPassword] = useState("");
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const previewHeading = useRef<HTMLHeadingElement>(null);
  const load = useAction(async () => {
    setPreview(await client.deletionPreview());
    requestAnimationFrame(() => previewHeading.current?.focus());
  });
  const remove = useAction(async () => {
    await client.deleteAccount(password);
    session.end("deleted");
    navigate(paths.signIn(), { replace: true });
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!password) {
      setPasswordError(t.fieldProblems.required);
      return;
    }
    setPasswordError(null);
    const result = await remove.run();
    if (!result.ok && result.error instanceof ApiError && result.error.code === "invalid_credentials") {
      setPasswordError(t.errors.invalid_credentials);
      remove.setError(null);
    }
  };
  const blocked = (preview?.blockingOrganizations.length ?? 0) > 0;
  return (
    <section className="stack danger-zone" aria-labelledby="account-delete">
      <h2 id="account-delete">{t.account.deleteTitle}</h2>
      <p>{t.account.deleteIntro}</p>
      {!preview ? (
        <>
          <ErrorAlert error={load.error} />
          <div className="actions">
            <Button variant="danger" busy={load.busy} onClick={() => void load.run()}>
              {t.account.deleteStart}
            </Button>
          </div>
        </>
      ) : (
        <div className="card stack deletion-preview">
          <h3 ref={previewHeading} tabIndex={-1}>
            {t.account.previewTitle}
          </h3>
          {blocked ? (
            <Notice tone="warning">
              <p>{t.account.blocking}</p>
              <ul>
                {preview.blockingOrganizations.map((org) => (
                  <li key={org.slug}>
                    <bdi>{org.name}</bdi>
                  </li>
                ))}
              </ul>
            </Notice>
          ) : null}
          {blocked ? (
            <div className="actions">
              <Button variant="secondary" onClick={() => setPreview(null)}>
                {t.common.close}
              </Button>
            </div>
          ) : (
            <>
              <ul className="bullets">
                <li>{t.account.memberships(preview.memberships)}</li>
                <li>{t.account.devices(preview.devices)}</li>
                <li>{t.account.sessions(preview.sessions)}</li>
              </ul>
              {preview.organizationsDeleted.length > 0 && (
                <>
                  <p>{t.account.orgsDeleted}</p>
                  <ul className="bullets">
                    {preview.organizationsDeleted.map((org) => (
                      <li key={org.slug}>
                        <bdi>{org.name}</bdi>
                      </li>
                    ))}
                  </ul>
                </>
              )}
              <form className="stack" onSubmit={submit} noValidate aria-busy={remove.busy || undefined}>
                <TextField label={t.account.confirmPassword} name="delete-password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} error={passwordError} />
                <ErrorAlert error={remove.error} />
                <div className="actions">
                  <Button type="submit" variant="danger" busy={remove.busy}>
                    {t.account.deleteSubmit}
                  </Button>
                  <Button variant="secondary" onClick={() => setPreview(null)}>
                    {t.common.cancel}
                  </Button>
                </div>
              </form>
            </>
          )}
        </div>
      )}
    </section>
  );
}
