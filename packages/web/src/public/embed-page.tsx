/**
 * /p/<slug>/embed: the widget organizations put on their own website in an iframe (the server
 * allows framing for this path only). Title, live counter, and a link that opens the petition in
 * a new tab, where signing happens on the instance's own origin.
 */
import type { PublicPetition } from "@commune/protocol";
import { useLayoutEffect } from "react";
import { usePublicI18n } from "./i18n.tsx";
import { useLiveProgress } from "./live-progress.ts";
import { ProgressMeter } from "./progress-meter.tsx";
import { useTitle } from "./public-frame.tsx";
import { publicPaths } from "./routes.ts";
import { textIn, usePetition } from "./use-petition.ts";

export function EmbedPage({ slug }: { slug: string }) {
  const { t } = usePublicI18n();
  const { resource } = usePetition(slug);
  useLayoutEffect(() => {
    document.body.classList.add("embedded");
  }, []);
  return (
    <main className="embed" id="main">
      {resource.status === "loading" ? (
        <p className="loading" aria-busy="true">
          <span className="spinner" aria-hidden="true" /> {t.loading}
        </p>
      ) : resource.status === "error" ? (
        <p>{t.notFound}</p>
      ) : (
        <Widget petition={resource.data} />
      )}
    </main>
  );
}

function Widget({ petition }: { petition: PublicPetition }) {
  const { t, language } = usePublicI18n();
  const { text, language: textLanguage } = textIn(petition, language);
  const [progress] = useLiveProgress(petition);
  useTitle(text.title);
  return (
    <div className="embed-widget stack" lang={textLanguage}>
      <h1 className="embed-title" dir="auto">
        {text.title}
      </h1>
      <ProgressMeter compact count={progress.count} goal={petition.goal} text={t.count(progress.count, petition.goal)} label={t.signatures} />
      <p className="embed-actions">
        <a className="button button-primary" href={publicPaths.petition(petition.slug)} target="_blank" rel="noopener">
          {t.signHere}
          <span className="visually-hidden"> {t.opensInNewTab}</span>
        </a>
        <span className="embed-by" dir="auto">
          {t.by(petition.organization.name)}
        </span>
      </p>
    </div>
  );
}
