import type { Language } from "@commune/protocol";
import { Markdown } from "../../markdown/markdown.tsx";

/** The petition text as the public page will show it. */
export function MarkdownPreview({ source, lang }: { source: string; lang: Language }) {
  return <Markdown source={source} lang={lang} className="petition-body" />;
}
