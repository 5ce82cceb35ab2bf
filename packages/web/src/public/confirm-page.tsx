/**
 * /p/<slug>/confirm#<token>: the link from the confirmation mail. Confirms once on arrival (a
 * second visit is harmless), thanks the signer, shows the count and the share link.
 */
import { confirmSignature } from "@commune/client/public";
import type { PublicPetition, SignatureConfirmation } from "@commune/protocol";
import { useResource } from "../ui/use-async.ts";
import { api } from "./api.ts";
import { publicErrorText } from "./errors.ts";
import { usePublicI18n } from "./i18n.tsx";
import { useLiveProgress } from "./live-progress.ts";
import { ProgressMeter } from "./progress-meter.tsx";
import { PublicFrame, takeToken, useTitle } from "./public-frame.tsx";
import { publicPaths } from "./routes.ts";
import { ShareSection } from "./share-section.tsx";
import { petitionLanguages, textIn, usePetition } from "./use-petition.ts";

export class MissingToken extends Error {
  override readonly name = "MissingToken";
}

export function ConfirmPage({ slug }: { slug: string }) {
  const { t, language } = usePublicI18n();
  const loaded = usePetition(slug);
  const petition = loaded.resource.status === "ready" ? loaded.resource.data : null;
  const confirmation = useResource(async () => {
    const token = takeToken();
    if (!token) throw new MissingToken();
    return confirmSignature(api, token);
  }, []);
  const state = confirmation.resource;
  const title = state.status === "ready" ? t.confirmedTitle : state.status === "error" ? t.confirmFailedTitle : t.confirmingTitle;
  useTitle(petition ? `${title} · ${textIn(petition, language).text.title}` : title);
  return (
    <PublicFrame organization={petition?.organization.name} languages={petition ? petitionLanguages(petition) : []}>
      <div className="stack narrow confirm-page">
        <h1 className="page-heading">{title}</h1>
        {petition && (
          <p className="petition-name" dir="auto">
            <a href={publicPaths.petition(slug)}>{textIn(petition, language).text.title}</a>
          </p>
        )}
        <div role="status" aria-live="polite">
          {state.status === "loading" && <span className="spinner" aria-hidden="true" />}
          {state.status === "error" && (
            <p className="alert alert-error">{state.error instanceof MissingToken ? t.missingToken : publicErrorText(t, state.error)}</p>
          )}
        </div>
        {state.status === "ready" && petition && <Confirmed petition={petition} confirmation={state.data} />}
        {state.status === "error" && (
          <p>
            <a href={publicPaths.petition(slug)}>{t.backToPetition}</a>
          </p>
        )}
      </div>
    </PublicFrame>
  );
}

function Confirmed({ petition, confirmation }: { petition: PublicPetition; confirmation: SignatureConfirmation }) {
  const { t } = usePublicI18n();
  const [progress] = useLiveProgress(petition);
  // the confirmation's count is fresher than the cached public view the page loaded
  const count = Math.max(progress.count, confirmation.count);
  return (
    <>
      <ProgressMeter count={count} goal={petition.goal} text={t.count(count, petition.goal)} label={t.signatures} />
      <ShareSection slug={petition.slug} intro={t.confirmedShare} />
    </>
  );
}
