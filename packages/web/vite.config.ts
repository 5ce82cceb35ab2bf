import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));
// The dev server forwards API calls to a Commune server started with `npm start -- --port 8080`.
const backend = process.env.COMMUNE_BACKEND ?? "http://127.0.0.1:8080";

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The server's CSP forbids inline script; keep every asset a file.
    assetsInlineLimit: 0,
    sourcemap: true,
    // Two pages: the account app, and the light public entry for petitions (/p/…) that loads
    // neither MLS nor the account code (the server sends public.html for those paths).
    rollupOptions: {
      input: { main: fileURLToPath(new URL("index.html", import.meta.url)), public: fileURLToPath(new URL("public.html", import.meta.url)) },
    },
  },
  server: {
    proxy: {
      "/api": { target: backend, changeOrigin: false },
      "/healthz": { target: backend, changeOrigin: false },
    },
  },
});
