import type { Language } from "@commune/protocol";
import { lazy, Suspense } from "react";

// The Markdown renderer is the largest part of the page; it loads beside the page's own code and
// the petition (the import starts when this module runs), so the title, counter and form do not
// wait for it.
const loading = import("../markdown/markdown.tsx");
const Markdown = lazy(() => loading.then((m) => ({ default: m.Markdown })));

/** The petition's text: Markdown, rendered inert (raw HTML shown as text, links only to http(s) and mail). */
export function PetitionBody({ source, lang }: { source: string; lang: Language }) {
  return (
    <Suspense fallback={<div className="petition-body" aria-busy="true" />}>
      <Markdown source={source} lang={lang} className="petition-body" />
    </Suspense>
  );
}
