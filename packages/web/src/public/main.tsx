/**
 * The light entry for the public's pages (/p/…): React, the public client (sealing and proof of
 * work) and the petition messages — no account, no MLS. Built by Vite as its own page (public.html).
 */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { PublicApp } from "./public-app.tsx";

const root = document.getElementById("root");
if (!root) throw new Error("#root missing from public.html");
createRoot(root).render(
  <StrictMode>
    <PublicApp />
  </StrictMode>,
);
