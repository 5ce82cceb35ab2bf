/**
 * /p/<slug>: the petition as the public sees it — its text, the live counter, the latest names
 * shown with consent, the signing form, and a plain share link.
 */
import type { PublicPetition } from "@commune/protocol";
import { useEffect, useRef, useState } from "react";
import { Button } from "../ui/button.tsx";
import { codeOf, publicErrorText } from "./errors.ts";
import { usePublicI18n } from "./i18n.tsx";
import { useLiveProgress } from "./live-progress.ts";
import { PetitionBody } from "./petition-body.tsx";
import { ProgressMeter } from "./progress-meter.tsx";
import { PublicFrame, useTitle } from "./public-frame.tsx";
import { ShareSection } from "./share-section.tsx";
import { SignForm, type SignOutcome } from "./sign-form.tsx";
import { petitionLanguages, textIn, usePetition } from "./use-petition.ts";

export function PetitionPage({ slug }: { slug: string }) {
  const { resource, reload } = usePetition(slug);
  if (resource.status === "loading") return <Loading />;
  if (resource.status === "error") return <LoadFailed error={resource.error} retry={reload} />;
  return <PetitionView petition={resource.data} reload={reload} />;
}

export function Loading() {
  const { t } = usePublicI18n();
  return (
    <PublicFrame>
      <p className="loading" aria-busy="true">
        <span className="spinner" aria-hidden="true" /> {t.loading}
      </p>
    </PublicFrame>
  );
}

/** An unknown address, or a failure to load (offline): says which, and offers to try again. */
export function LoadFailed({ error, retry }: { error: unknown; retry: () => void }) {
  const { t } = usePublicI18n();
  const missing = codeOf(error) === "not_found";
  useTitle(missing ? t.notFoundTitle : t.loadFailedTitle);
  return (
    <PublicFrame>
      <div className="stack narrow">
        <h1 className="page-heading">{missing ? t.notFoundTitle : t.loadFailedTitle}</h1>
        <p role="alert">{missing ? t.notFound : publicErrorText(t, error)}</p>
        {!missing && <Button onClick={retry}>{t.retry}</Button>}
      </div>
    </PublicFrame>
  );
}

function PetitionView({ petition, reload }: { petition: PublicPetition; reload: () => Promise<void> }) {
  const { t, language, format } = usePublicI18n();
  const { text, language: textLanguage } = textIn(petition, language);
  const [progress] = useLiveProgress(petition);
  const [outcome, setOutcome] = useState<SignOutcome | null>(null);
  useTitle(text.title);
  const open = petition.state === "open" && petition.key !== null;
  return (
    <PublicFrame organization={petition.organization.name} languages={petitionLanguages(petition)}>
      <div className="petition-layout">
        <article className="petition stack" lang={textLanguage}>
          <h1 className="page-heading" dir="auto">
            {text.title}
          </h1>
          <p className="petition-target">
            <span className="petition-target-label">{t.to}</span> <span dir="auto">{text.target}</span>
          </p>
          <ProgressMeter count={progress.count} goal={petition.goal} text={t.count(progress.count, petition.goal)} label={t.signatures} />
          {progress.count >= petition.goal && <p className="muted">{t.goalReached}</p>}
          {petition.state === "open" && petition.endsAt !== null && <p className="muted">{t.closesOn(format.dateTime(petition.endsAt))}</p>}
          {open && outcome === null && (
            <p className="jump-to-sign">
              <a href="#sign-title" className="button button-primary">
                {t.submit}
              </a>
            </p>
          )}
          <PetitionBody source={text.body} lang={textLanguage} />
        </article>
        <div className="petition-aside stack">
          {petition.state === "upcoming" ? (
            <p className="alert alert-info">{petition.startsAt === null ? t.closed : t.opensOn(format.dateTime(petition.startsAt))}</p>
          ) : petition.state === "closed" ? (
            <p className="alert alert-info">{t.closed}</p>
          ) : petition.key === null ? (
            <p className="alert alert-warning">{t.noKey}</p>
          ) : outcome ? (
            <SignedPanel outcome={outcome} mail={petition.mail} />
          ) : (
            <>
              {!petition.mail && <p className="alert alert-warning">{t.noMailWarning}</p>}
              <SignForm petition={petition} onSigned={setOutcome} onStale={reload} />
            </>
          )}
          <RecentSigners names={progress.publicNames} />
          <ShareSection slug={petition.slug} />
        </div>
      </div>
    </PublicFrame>
  );
}

/** What happens next, once the signature is sent: focus moves here, so it is read out at once. */
function SignedPanel({ outcome, mail }: { outcome: SignOutcome; mail: boolean }) {
  const { t } = usePublicI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const title = outcome.kind === "already-signed" ? t.alreadySignedTitle : mail && outcome.mailed ? t.mailboxTitle : t.noMailTitle;
  return (
    <section className="card stack sign-outcome" aria-labelledby="sign-outcome" data-outcome={outcome.kind === "sent" ? (mail && outcome.mailed ? "mailed" : "not-mailed") : outcome.kind}>
      <h2 id="sign-outcome" ref={heading} tabIndex={-1}>
        {title}
      </h2>
      {outcome.kind === "already-signed" ? (
        <p>{t.errors.already_signed}</p>
      ) : mail && outcome.mailed ? (
        <>
          <p>{t.mailboxBody(outcome.email)}</p>
          {outcome.resent && <p>{t.mailboxResent}</p>}
          <p className="muted">{t.mailboxSpam}</p>
        </>
      ) : (
        <p>{t.noMailBody}</p>
      )}
    </section>
  );
}

function RecentSigners({ names }: { names: readonly string[] }) {
  const { t } = usePublicI18n();
  if (names.length === 0) return null;
  return (
    <section className="stack recent-signers" aria-labelledby="recent-signers">
      <h2 id="recent-signers">{t.recentSigners}</h2>
      <ul className="signer-names">
        {names.map((name, i) => (
          <li key={`${i}-${name}`} dir="auto">
            {name}
          </li>
        ))}
      </ul>
    </section>
  );
}
