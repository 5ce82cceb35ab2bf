import { LANGUAGES, type Language } from "@commune/protocol";
import { useId } from "react";
import { client } from "./api.ts";
import { AUTONYMS, useI18n } from "./i18n/index.tsx";
import { Link, matchRoute, navigate, paths, usePath } from "./router.tsx";
import { useSession } from "./session.tsx";
import { announce } from "./ui/announcer.tsx";
import { Button } from "./ui/button.tsx";
import { useAction } from "./ui/use-async.ts";

export function Header() {
  const { t } = useI18n();
  const session = useSession();
  const route = matchRoute(usePath());
  const signOut = useAction(async () => {
    await session.signOut();
    navigate(paths.signIn(), { replace: true });
  });
  const account = session.account;
  // "page" for the page itself; "true" for the section a deeper page (an organization) belongs to.
  const current = (name: string) =>
    route.name === name
      ? "page"
      : (name === "home" && (route.name === "org" || route.name === "new-organization")) || (name === "loops" && (route.name === "loop" || route.name === "new-loop"))
        ? "true"
        : undefined;
  return (
    <header className={account ? "site-header signed-in" : "site-header"}>
      <div className="header-bar">
        <Link href={paths.home()} className="brand">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          <span className="brand-name">{t.app.name}</span>
        </Link>
        <div className="header-tools">
          <LanguageSwitcher />
          {account && (
            <Button variant="quiet" className="sign-out" busy={signOut.busy} onClick={() => void signOut.run()} title={t.app.signedInAs(account.username)}>
              {t.app.signOut}
            </Button>
          )}
        </div>
      </div>
      {account && (
        <nav aria-label={t.app.mainNav} className="main-nav">
          <ul>
            <li>
              <Link href={paths.home()} aria-current={current("home")}>
                {t.app.home}
              </Link>
            </li>
            <li>
              <Link href={paths.loops()} aria-current={current("loops")}>
                {t.app.loops}
              </Link>
            </li>
            <li>
              <Link href={paths.account()} aria-current={current("account")}>
                {t.app.account}
              </Link>
            </li>
            <li>
              <Link href={paths.devices()} aria-current={current("devices")}>
                {t.app.devices}
              </Link>
            </li>
          </ul>
        </nav>
      )}
      {signOut.error ? (
        <p role="alert" className="alert alert-error header-alert">
          {t.errorExtra.network}
        </p>
      ) : null}
    </header>
  );
}

function LanguageSwitcher() {
  const { t, language, setLanguage } = useI18n();
  const session = useSession();
  const id = useId();
  const change = async (next: Language) => {
    setLanguage(next, { remember: true });
    if (session.account) {
      try {
        session.setAccount(await client.updateAccount({ language: next }));
      } catch {
        // The page language already changed; saving it to the account can wait for the next change.
      }
    }
    announce(AUTONYMS[next]);
  };
  return (
    <div className="language-switcher">
      <label htmlFor={id}>
        <svg className="globe" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
          <circle cx="12" cy="12" r="9" />
          <path d="M3 12h18M12 3c2.5 2.7 3.8 5.7 3.8 9s-1.3 6.3-3.8 9c-2.5-2.7-3.8-5.7-3.8-9S9.5 5.7 12 3z" />
        </svg>
        <span className="visually-hidden">{t.app.language}</span>
      </label>
      <select id={id} className="input select compact" value={language} onChange={(e) => void change(e.target.value as Language)}>
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {AUTONYMS[l]}
          </option>
        ))}
      </select>
    </div>
  );
}
