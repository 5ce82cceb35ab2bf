import { useMemo } from "react";
import { renderMarkdown, type RenderOptions } from "./render.ts";

export interface MarkdownProps extends RenderOptions {
  /** Markdown written by an organizer (see render.ts for what it may contain). */
  readonly source: string;
  readonly className?: string;
  /** The language of the text, when it differs from the page's (it also sets the direction). */
  readonly lang?: string;
}

/** Organizer-written Markdown, rendered inert (render.ts): a `<div class="markdown">`. */
export function Markdown({ source, className, lang, headingOffset }: MarkdownProps) {
  const html = useMemo(() => renderMarkdown(source, headingOffset === undefined ? {} : { headingOffset }), [source, headingOffset]);
  return (
    <div
      className={className ? `markdown ${className}` : "markdown"}
      lang={lang}
      dir={lang ? (lang === "ar" ? "rtl" : "ltr") : undefined}
      // safe by construction: render.ts emits no raw HTML and only allow-listed elements
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
