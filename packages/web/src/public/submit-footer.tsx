/**
 * The end of a public form (signing a petition, answering a form): what went wrong — with a way to
 * reload when the organization's key changed —, the submit button, and the stages of sealing and
 * proof of work spoken through a live region, with a bar that solving fills most of.
 */
import { Button } from "../ui/button.tsx";

export type SubmitStage = "sealing" | "challenge" | "solving" | "sending";

/** Where the bar stands at each stage; solving fills most of it, as it takes most of the time. */
const STAGE_AT: Record<SubmitStage, number> = { sealing: 0.02, challenge: 0.06, solving: 0.1, sending: 0.95 };

export interface SubmitFooterProps {
  /** The sentence for the last failure, or null. */
  readonly errorText: string | null;
  /** Offered with the error when the page must load again (the organization's key changed). */
  readonly reload: { readonly label: string; readonly run: () => void } | null;
  readonly submitLabel: string;
  readonly busy: boolean;
  readonly stage: SubmitStage | null;
  /** How far the proof of work is, 0 to 1. */
  readonly solved: number;
  readonly stageText: Record<SubmitStage, string>;
  readonly solvingNote: string;
  readonly progressLabel: string;
}

export function SubmitFooter({ errorText, reload, submitLabel, busy, stage, solved, stageText, solvingNote, progressLabel }: SubmitFooterProps) {
  const progress = stage === null ? 0 : stage === "solving" ? STAGE_AT.solving + (STAGE_AT.sending - STAGE_AT.solving) * solved : STAGE_AT[stage];
  return (
    <>
      <div role="alert" className="alert-slot">
        {errorText !== null ? (
          <div className="alert alert-error stack">
            <p>{errorText}</p>
            {reload && (
              <Button variant="secondary" onClick={reload.run}>
                {reload.label}
              </Button>
            )}
          </div>
        ) : null}
      </div>
      <div className="actions">
        <Button type="submit" variant="primary" busy={busy}>
          {submitLabel}
        </Button>
      </div>
      <div className="sign-progress" role="status" aria-live="polite">
        {stage && (
          <>
            <p>{stageText[stage]}</p>
            {stage === "solving" && <p className="field-hint">{solvingNote}</p>}
          </>
        )}
      </div>
      {stage && <progress className="sign-progress-bar" max={1} value={progress} aria-label={progressLabel} />}
    </>
  );
}

/** Moves focus to the first control marked invalid, once its error is on screen. */
export function focusFirstInvalid(form: HTMLFormElement | null): void {
  requestAnimationFrame(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}
