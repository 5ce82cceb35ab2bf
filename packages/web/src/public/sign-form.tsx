/**
 * The signing form: only the fields the petition asks for, checked here before any work is done;
 * then sealed to the organization's key on this device, the proof of work solved in workers with
 * a progress bar, and sent. The stages are spoken through a live region.
 */
import { SignerInputError, signPetition, type SignerAnswers, type SigningStage } from "@commune/client/public";
import type { PetitionTextField, PublicPetition } from "@commune/protocol";
import { PETITION_TEXT_FIELDS, SIGNER_FIELD_MAX } from "@commune/protocol/public";
import { useRef, useState, type FormEvent } from "react";
import { useAction } from "../ui/use-async.ts";
import { api } from "./api.ts";
import { codeOf, publicErrorText } from "./errors.ts";
import { PublicCheckbox, PublicTextArea, PublicTextField } from "./fields.tsx";
import { usePublicI18n, type PublicMessages } from "./i18n.tsx";
import { solveChallenge } from "./solver.ts";
import { SubmitFooter, focusFirstInvalid } from "./submit-footer.tsx";

export type SignOutcome =
  | { readonly kind: "sent"; readonly email: string; readonly mailed: boolean; readonly resent: boolean }
  | { readonly kind: "already-signed" };

type FieldName = PetitionTextField | "email" | "showPublicly";
type Answers = Record<PetitionTextField | "email", string> & { showPublicly: boolean; keepInformed: boolean };

const EMPTY: Answers = { email: "", name: "", postalCode: "", country: "", comment: "", showPublicly: false, keepInformed: false };
// a light check (the server's is strict): something@something.something, no spaces
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const AUTOCOMPLETE: Record<PetitionTextField, string> = { name: "name", postalCode: "postal-code", country: "country-name", comment: "off" };

function problems(petition: PublicPetition, answers: Answers, t: PublicMessages): Partial<Record<FieldName, string>> {
  const found: Partial<Record<FieldName, string>> = {};
  for (const field of PETITION_TEXT_FIELDS) {
    const rule = petition.fields[field];
    const value = answers[field].trim();
    if (rule === "off") continue;
    if (rule === "required" && value === "") found[field] = t.fieldProblems.required;
    else if (value.length > SIGNER_FIELD_MAX[field]) found[field] = t.fieldProblems.tooLong(SIGNER_FIELD_MAX[field]);
  }
  const email = answers.email.trim();
  if (email === "") found.email = t.fieldProblems.required;
  else if (!EMAIL.test(email) || email.length > 254) found.email = t.fieldProblems.email;
  if (answers.showPublicly && petition.fields.name !== "off" && answers.name.trim() === "") found.showPublicly = t.showPubliclyNeedsName;
  return found;
}

export function SignForm({ petition, onSigned, onStale }: { petition: PublicPetition; onSigned: (outcome: SignOutcome) => void; onStale: () => Promise<void> }) {
  const { t, language } = usePublicI18n();
  const form = useRef<HTMLFormElement>(null);
  const [answers, setAnswers] = useState<Answers>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [stage, setStage] = useState<SigningStage | null>(null);
  const [solved, setSolved] = useState(0);

  const action = useAction(async () => {
    const given: SignerAnswers = {
      email: answers.email.trim(),
      ...Object.fromEntries(PETITION_TEXT_FIELDS.filter((f) => petition.fields[f] !== "off" && answers[f].trim() !== "").map((f) => [f, answers[f].trim()])),
      showPublicly: petition.fields.showPublicly && answers.showPublicly,
      keepInformed: petition.fields.keepInformed && answers.keepInformed,
    };
    setSolved(0);
    try {
      const receipt = await signPetition(api, petition, given, {
        language,
        solve: (challenge) => solveChallenge(challenge, setSolved),
        onStage: setStage,
      });
      onSigned({ kind: "sent", email: given.email, mailed: receipt.mailed, resent: receipt.resent === true });
    } catch (error) {
      if (codeOf(error) === "already_signed") return onSigned({ kind: "already-signed" });
      if (error instanceof SignerInputError) {
        setErrors(Object.fromEntries(error.fields.map((f) => [f, t.fieldProblems.required])));
        focusFirstInvalid(form.current);
      }
      throw error;
    } finally {
      setStage(null);
    }
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = problems(petition, answers, t);
    setErrors(found);
    if (Object.keys(found).length > 0) return focusFirstInvalid(form.current);
    await action.run();
  };

  const set = (field: keyof Answers) => (event: { target: HTMLInputElement | HTMLTextAreaElement }) => {
    const target = event.target;
    setAnswers((a) => ({ ...a, [field]: target instanceof HTMLInputElement && target.type === "checkbox" ? target.checked : target.value }));
  };

  const shown = (field: PetitionTextField) => petition.fields[field] !== "off";
  const required = (field: PetitionTextField) => petition.fields[field] === "required";
  const text = (field: PetitionTextField) => ({
    name: `signer-${field}`,
    label: t.fieldLabels[field],
    hint: t.fieldHints[field] || undefined,
    required: required(field),
    error: errors[field] ?? null,
    maxLength: SIGNER_FIELD_MAX[field],
    autoComplete: AUTOCOMPLETE[field],
    dir: "auto",
    value: answers[field],
    onChange: set(field),
  });

  return (
    <form ref={form} className="card stack sign-form" onSubmit={submit} noValidate aria-labelledby="sign-title" aria-busy={action.busy || undefined}>
      <h2 id="sign-title">{t.formTitle}</h2>
      {/* the email address is always required, so the note always applies */}
      <p className="field-hint">{t.requiredNote}</p>
      {shown("name") && <PublicTextField {...text("name")} />}
      <PublicTextField
        name="signer-email"
        type="email"
        inputMode="email"
        autoComplete="email"
        dir="ltr"
        label={t.email}
        hint={t.emailHint}
        required
        maxLength={254}
        error={errors.email ?? null}
        value={answers.email}
        onChange={set("email")}
      />
      {shown("postalCode") && <PublicTextField {...text("postalCode")} />}
      {shown("country") && <PublicTextField {...text("country")} />}
      {shown("comment") && <PublicTextArea {...text("comment")} />}
      {petition.fields.showPublicly && shown("name") && (
        <PublicCheckbox label={t.showPublicly} hint={t.showPubliclyHint} name="show-publicly" checked={answers.showPublicly} onChange={set("showPublicly")} error={errors.showPublicly ?? null} />
      )}
      {petition.fields.keepInformed && (
        <PublicCheckbox label={t.keepInformed} hint={t.keepInformedHint(petition.organization.name)} name="keep-informed" checked={answers.keepInformed} onChange={set("keepInformed")} />
      )}
      <p className="field-hint privacy-note">{t.privacy}</p>
      <SubmitFooter
        errorText={action.error ? publicErrorText(t, action.error) : null}
        reload={codeOf(action.error) === "key_outdated" ? { label: t.reload, run: () => void onStale().then(() => action.setError(null)) } : null}
        submitLabel={t.submit}
        busy={action.busy}
        stage={stage}
        solved={solved}
        stageText={t.stages}
        solvingNote={t.solvingNote}
        progressLabel={t.progress}
      />
    </form>
  );
}
