import type { Language } from "@commune/protocol";
import { useEffect, type ReactNode } from "react";
import { usePublicI18n } from "./i18n.tsx";
import { LanguageSwitcher } from "./language-switcher.tsx";

/**
 * The page around a public page: who publishes it, the language switcher, the content, a footer.
 * `byline` and `footer` replace the petition's words on other public pages (forms).
 */
export function PublicFrame({
  organization,
  languages = [],
  byline,
  footer,
  children,
}: {
  organization?: string;
  languages?: readonly Language[];
  byline?: (organization: string) => string;
  footer?: string;
  children: ReactNode;
}) {
  const { t } = usePublicI18n();
  return (
    <>
      <header className="site-header public-header">
        <div className="header-bar">
          <p className="public-org" dir="auto">
            {organization ? (byline ?? t.by)(organization) : ""}
          </p>
          <div className="header-tools">
            <LanguageSwitcher languages={languages} />
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="public-main">
        {children}
      </main>
      <footer className="site-footer">
        <p>{footer ?? t.footer}</p>
      </footer>
    </>
  );
}

/** Names the browser tab. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title.replace(/[\u2068\u2069]/g, "");
  }, [title]);
}

let taken: string | null | undefined;

/**
 * The one-time token after `#` in a mailed link. It is taken off the address bar so it is not
 * shared by mistake along with the page; read once per page load (React may render twice).
 */
export function takeToken(): string | null {
  if (taken !== undefined) return taken;
  const token = location.hash.slice(1);
  if (location.hash) history.replaceState(null, "", location.pathname + location.search);
  taken = /^[A-Za-z0-9_-]{16,128}$/.test(token) ? token : null;
  return taken;
}
