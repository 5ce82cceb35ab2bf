import { CopyField } from "./copy-field.tsx";
import { usePublicI18n } from "./i18n.tsx";
import { publicPaths } from "./routes.ts";

/** The petition's plain address (no tracking parameters), to copy. */
export function ShareSection({ slug, intro }: { slug: string; intro?: string }) {
  const { t } = usePublicI18n();
  return (
    <section className="stack share-section" aria-labelledby="share-title">
      <h2 id="share-title">{t.share}</h2>
      {intro && <p>{intro}</p>}
      <CopyField label={t.shareLink} value={`${location.origin}${publicPaths.petition(slug)}`} labels={{ copy: t.copy, copied: t.copied, copyFailed: t.copyFailed }} />
    </section>
  );
}
