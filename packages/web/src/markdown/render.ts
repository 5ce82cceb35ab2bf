/**
 * Petition and form texts are Markdown written by organizers and shown to the public, so they are
 * rendered to HTML that can carry nothing active: markdown-it with raw HTML off (it is shown as
 * text), links only to http(s) and mailto addresses, and no attribute a writer can choose beyond a
 * link's address and title. Images are rendered as links: loading them would make every visitor's
 * browser call a third party, which Commune never does.
 *
 * React-free, so that a small public page can use it without the app.
 */
import MarkdownIt, { type MarkdownIt as Renderer, type Token } from "markdown-it";

const ALLOWED_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);
/** Written on every link: no window.opener, no Referer to the linked site, no ranking credit to spammers. */
const LINK_REL = "noopener noreferrer nofollow";

/**
 * Accepts an absolute http(s) or mailto address only. The WHATWG URL parser is the one browsers
 * use, so the scheme checked here is the scheme a click would follow, whatever the casing,
 * entities, percent-encoding, tabs or newlines it was written with.
 */
function validateLink(url: string): boolean {
  try {
    return ALLOWED_PROTOCOLS.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

export interface RenderOptions {
  /**
   * Levels added to every heading (`#` becomes `<h2>` with 1), so a text's headings sit under the
   * page's own title. Default 1; headings stop at `<h6>`.
   */
  readonly headingOffset?: number;
}

function createRenderer(): Renderer {
  const md = new MarkdownIt("default", { html: false, linkify: true, typographer: false, breaks: true });
  md.validateLink = validateLink;
  // tables write style="text-align:…" attributes; petitions do not need them
  md.disable(["table"]);
  const escape = md.utils.escapeHtml;
  const rules = md.renderer.rules;

  rules.link_open = (tokens, idx, options, _env, self) => {
    const token = tokens[idx]!;
    token.attrSet("rel", LINK_REL);
    return self.renderToken(tokens, idx, options);
  };
  // an image becomes a link to it, titled by its description; inside a link (a linked image, see
  // checkLinks) only the description, since a link may not hold another
  rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    const alt = escape(self.renderInlineAsText(token.children ?? [], options, env));
    if ((token.meta as { inLink?: boolean } | null)?.inLink) return alt;
    // (markdown-it keeps an image whose address it refused, with an empty one)
    const src = String(token.attrGet("src") ?? "");
    if (!validateLink(src)) return alt;
    return `<a href="${escape(src)}" rel="${LINK_REL}">${alt || escape(src)}</a>`;
  };
  // the info string of a fence is the writer's: it must not become a class attribute
  rules.fence = (tokens, idx) => `<pre><code>${escape(tokens[idx]!.content)}</code></pre>\n`;
  return md;
}

/**
 * CommonMark makes `[text]()` a link to an empty address (the page itself); it is not an http(s)
 * or mailto address, so the link goes and its text stays. Images inside a kept link are marked,
 * for the image rule.
 */
function checkLinks(children: Token[]): Token[] {
  const out: Token[] = [];
  const dropped: boolean[] = [];
  let open = 0;
  for (const child of children) {
    if (child.type === "link_open") {
      const drop = !validateLink(String(child.attrGet("href") ?? ""));
      dropped.push(drop);
      if (drop) continue;
      open++;
    } else if (child.type === "link_close") {
      if (dropped.pop()) continue;
      open--;
    } else if (child.type === "image" && open > 0) {
      child.meta = { inLink: true };
    }
    out.push(child);
  }
  return out;
}

let renderer: Renderer | null = null;

/** Renders Markdown to HTML without a safety net: for tests that must see any failure. */
export function renderMarkdownUnguarded(source: string, options: RenderOptions = {}): string {
  renderer ??= createRenderer();
  const offset = Math.max(0, Math.min(5, Math.trunc(options.headingOffset ?? 1)));
  const tokens = renderer.parse(source, {});
  for (const token of tokens) {
    if (token.type === "heading_open" || token.type === "heading_close") token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + offset)}`;
    if (token.children) token.children = checkLinks(token.children);
  }
  return renderer.renderer.render(tokens, renderer.options, {});
}

/**
 * Renders organizer-written Markdown to safe HTML: headings, paragraphs, line breaks, lists,
 * emphasis, strikethrough, block quotes, code, rules and http(s)/mailto links. Raw HTML shows as
 * text; anything else that is not allowed shows as the text it was written as.
 *
 * @example
 * element.innerHTML = renderMarkdown(petition.body);
 */
export function renderMarkdown(source: string, options: RenderOptions = {}): string {
  try {
    return renderMarkdownUnguarded(source, options);
  } catch {
    // never expected (the property tests look for it); still, a page that shows the text plainly
    // beats one that breaks
    return `<p>${escapeText(source)}</p>`;
  }
}

function escapeText(source: string): string {
  return source.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(/\r?\n/g, "<br>\n");
}
