/**
 * Serves the built web app: hashed assets with a long cache, and index.html for every other GET so
 * the app's own router handles the path.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import type { AppEnv } from "../api/env.ts";

export function webApp(dist: string): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const indexPath = join(dist, "index.html");
  // cached, but re-read when the file changes: a rebuild while the server runs must not leave the
  // page pointing at assets that no longer exist
  let index: { html: string; mtimeMs: number } | null = null;
  const loadIndex = (): string | null => {
    const stat = statSync(indexPath, { throwIfNoEntry: false });
    if (!stat) return null;
    if (index?.mtimeMs !== stat.mtimeMs) index = { html: readFileSync(indexPath, "utf8"), mtimeMs: stat.mtimeMs };
    return index.html;
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
    const html = loadIndex();
    if (html === null) {
      return c.text("The web app is not built. Run `npm run build` (npm install does it), then restart.", 503);
    }
    c.header("cache-control", "no-cache");
    return c.html(html);
  });
  return app;
}
