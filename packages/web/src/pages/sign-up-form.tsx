import { ApiError } from "@commune/client";
import { PASSWORD_MIN, normalizeUsername, usernameProblem, type SignedIn } from "@commune/protocol";
import { useRef, useState, type FormEvent } from "react";
import { client } from "../api.ts";
import { fieldIssues } from "../errors.ts";
import { useI18n } from "../i18n/index.tsx";
import { ErrorAlert } from "../ui/alert.tsx";
import { Button } from "../ui/button.tsx";
import { Choice, TextField, focusFirstInvalid } from "../ui/fields.tsx";
import { useAction } from "../ui/use-async.ts";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type FieldErrors = { username?: string; password?: string; email?: string };

/** Username, password and optional email, checked here first with the same rules the server applies. */
export function SignUpForm({ token, submitLabel, onSignedUp }: { token: string; submitLabel: string; onSignedUp: (signedIn: SignedIn) => Promise<void> }) {
  const { t } = useI18n();
  const form = useRef<HTMLFormElement>(null);
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [email, setEmail] = useState("");
  const [showPassword, setShowPassword] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const action = useAction(async () => {
    const trimmedEmail = email.trim();
    const signedIn = await client.signUp({ username: username.trim(), password, invite: token, ...(trimmedEmail ? { email: trimmedEmail } : {}) });
    await onSignedUp(signedIn);
  });

  const check = (): FieldErrors => {
    const out: FieldErrors = {};
    const name = username.trim();
    const problem = name ? usernameProblem(normalizeUsername(name)) : null;
    if (!name) out.username = t.fieldProblems.required;
    else if (problem) out.username = t.fieldProblems[problem];
    if (!password) out.password = t.fieldProblems.required;
    else if (password.length < PASSWORD_MIN) out.password = t.fieldProblems.passwordShort;
    if (email.trim() && !EMAIL.test(email.trim())) out.email = t.fieldProblems.email;
    return out;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = check();
    setErrors(found);
    if (Object.keys(found).length) {
      focusFirstInvalid(form.current);
      return;
    }
    const result = await action.run();
    if (result.ok) return;
    // Put the server's refusal next to the field it is about, and focus it.
    const error = result.error;
    const next: FieldErrors = {};
    if (error instanceof ApiError) {
      if (error.code === "username_taken" || error.code === "username_confusable" || error.code === "username_invalid") next.username = t.errors[error.code];
      if (error.code === "password_too_weak") next.password = t.errors.password_too_weak;
      const issues = fieldIssues(error);
      if (issues.username) next.username ??= t.fieldProblems.invalid;
      if (issues.password) next.password ??= t.fieldProblems.invalid;
      if (issues.email) next.email ??= t.fieldProblems.email;
    }
    setErrors(next);
    if (Object.keys(next).length) {
      action.setError(null);
      focusFirstInvalid(form.current);
    }
  };

  return (
    <form ref={form} className="card stack" onSubmit={submit} noValidate aria-busy={action.busy || undefined}>
      <TextField
        label={t.fields.username}
        hint={t.fields.usernameHint}
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        dir="auto"
        required
        value={username}
        onChange={(e) => setUsername(e.target.value)}
        error={errors.username}
      />
      <TextField
        label={t.fields.password}
        hint={t.fields.passwordHint}
        name="password"
        type={showPassword ? "text" : "password"}
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errors.password}
      />
      <Choice type="checkbox" label={t.fields.showPassword} checked={showPassword} onChange={(e) => setShowPassword(e.target.checked)} />
      <TextField
        label={t.fields.email}
        hint={t.fields.emailHint}
        optional
        name="email"
        type="email"
        autoComplete="email"
        dir="ltr"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={errors.email}
      />
      <ErrorAlert error={action.error} />
      <div className="actions">
        <Button type="submit" variant="primary" busy={action.busy}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
