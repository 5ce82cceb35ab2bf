import type { Petition } from "@commune/protocol";
import { useI18n } from "../../i18n/index.tsx";
import { CopyField } from "../../public/copy-field.tsx";
import { publicPaths } from "../../public/routes.ts";

/** What to put in the escaping quotes of an HTML attribute. */
function attribute(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** The iframe an organization pastes into its own website; the server lets only /embed be framed. */
export function embedCode(origin: string, slug: string, title: string): string {
  return `<iframe src="${origin}${publicPaths.embed(slug)}" title="${attribute(title)}" width="100%" height="200" style="border:0;max-width:480px" loading="lazy"></iframe>`;
}

/** The share link (no tracking parameters) and the embed code, each with a copy button. */
export function SharePanel({ petition, title }: { petition: Petition; title: string }) {
  const { t } = useI18n();
  const m = t.petitions.org;
  const labels = { copied: m.copied, copyFailed: m.copyFailed };
  return (
    <section className="card stack" aria-labelledby="petition-share">
      <h2 id="petition-share">{m.share}</h2>
      <CopyField label={m.shareLink} hint={m.shareHint} value={`${location.origin}${publicPaths.petition(petition.slug)}`} labels={{ ...labels, copy: m.copyLink }} />
      <CopyField label={m.embedCode} hint={m.embedHint} multiline value={embedCode(location.origin, petition.slug, title)} labels={{ ...labels, copy: m.copyCode }} />
    </section>
  );
}
