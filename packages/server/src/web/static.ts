/**
 * Serves the built web app: hashed assets with a long cache, and index.html for every other GET so
 * the app's own router handles the path.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import type { AppEnv } from "../api/env.ts";

/** Paths served by the public entry (`public.html`). */
const PUBLIC_PAGE = /^\/(p|f)\/[^/]+(\/[^/]*)?$/;

export function webApp(dist: string): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // cached, but re-read when the file changes: a rebuild while the server runs must not leave the
  // page pointing at assets that no longer exist
  const pages = new Map<string, { html: string; mtimeMs: number }>();
  const loadPage = (name: string): string | null => {
    const path = join(dist, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return null;
    let page = pages.get(name);
    if (page?.mtimeMs !== stat.mtimeMs) {
      page = { html: readFileSync(path, "utf8"), mtimeMs: stat.mtimeMs };
      pages.set(name, page);
    }
    return page.html;
  };

  // serveStatic warns on every request when its root is missing; the fallback below explains instead
  if (existsSync(dist)) {
    app.use(
      "/assets/*",
      serveStatic({
        root: dist,
        onFound: (_path, c) => {
          c.header("cache-control", "public, max-age=31536000, immutable");
        },
      }),
    );
    app.use("*", serveStatic({ root: dist, index: "__none__" }));
  }
  app.get("*", (c) => {
    // the public pages of petitions and forms are a separate, light entry: no MLS, no account code
    const html = loadPage(PUBLIC_PAGE.test(c.req.path) ? "public.html" : "index.html");
    if (html === null) {
      return c.text("The web app is not built. Run `npm run build` (npm install does it), then restart.", 503);
    }
    c.header("cache-control", "no-cache");
    return c.html(html);
  });
  return app;
}
