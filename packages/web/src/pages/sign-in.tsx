import { useRef, useState, type FormEvent } from "react";
import type { SignedIn } from "@commune/protocol";
import { client } from "../api.ts";
import { useI18n } from "../i18n/index.tsx";
import { navigate } from "../router.tsx";
import { useSession } from "../session.tsx";
import { ErrorAlert, Notice } from "../ui/alert.tsx";
import { Button } from "../ui/button.tsx";
import { TextField, focusFirstInvalid } from "../ui/fields.tsx";
import { PageHeading } from "../ui/page-heading.tsx";
import { useAction } from "../ui/use-async.ts";
import { takeNext } from "./next-path.ts";

export function SignInPage() {
  const { t } = useI18n();
  const session = useSession();
  const reason = session.state.status === "signed-out" ? session.state.reason : undefined;
  return (
    <div className="narrow stack">
      <PageHeading title={t.signIn.title}>{t.signIn.title}</PageHeading>
      {reason === "deleted" && <Notice tone="success">{t.signIn.deleted}</Notice>}
      {reason === "signed-out" && <Notice tone="success">{t.app.signedOut}</Notice>}
      {reason === "session-ended" && <Notice tone="warning">{t.app.sessionEnded}</Notice>}
      {session.instance?.setupRequired && <Notice tone="warning">{t.signIn.setupRequired}</Notice>}
      <p>{t.signIn.intro}</p>
      <SignInForm
        submitLabel={t.signIn.submit}
        onSignedIn={(signedIn) => {
          session.adopt(signedIn);
          navigate(takeNext() ?? "/", { replace: true });
        }}
      />
      <p className="muted">{t.signIn.noAccount}</p>
    </div>
  );
}

/** Username and password; shared with the invite page's "I already have an account". */
export function SignInForm({ submitLabel, onSignedIn }: { submitLabel: string; onSignedIn: (signedIn: SignedIn) => Promise<void> | void }) {
  const { t } = useI18n();
  const form = useRef<HTMLFormElement>(null);
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [missing, setMissing] = useState<{ username?: boolean; password?: boolean }>({});
  const action = useAction(async () => {
    const signedIn = await client.signIn(username.trim(), password);
    await onSignedIn(signedIn);
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const nextMissing = { username: !username.trim(), password: !password };
    setMissing(nextMissing);
    if (nextMissing.username || nextMissing.password) {
      focusFirstInvalid(form.current);
      return;
    }
    const result = await action.run();
    if (!result.ok) form.current?.querySelector<HTMLInputElement>('input[name="password"]')?.select();
  };

  return (
    <form ref={form} className="card stack" onSubmit={submit} noValidate aria-busy={action.busy || undefined}>
      <TextField
        label={t.fields.username}
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        dir="auto"
        required
        value={username}
        onChange={(e) => setUsername(e.target.value)}
        error={missing.username ? t.fieldProblems.required : null}
      />
      <TextField
        label={t.fields.password}
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={missing.password ? t.fieldProblems.required : null}
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
