import { useEffect } from "react";
import { Header } from "./header.tsx";
import { LoopsProvider } from "./loops/loop-session.tsx";
import { I18nProvider, useI18n } from "./i18n/index.tsx";
import { AccountPage } from "./pages/account.tsx";
import { CreateOrganizationPage } from "./pages/create-organization.tsx";
import { DevicesPage } from "./pages/devices.tsx";
import { HomePage, canCreateOrganizations } from "./pages/home.tsx";
import { InvitePage } from "./pages/invite.tsx";
import { LoopPage } from "./pages/loops/loop.tsx";
import { LoopsPage } from "./pages/loops/loops.tsx";
import { NewLoopPage } from "./pages/loops/new-loop.tsx";
import { SafetyPage } from "./pages/safety/safety-page.tsx";
import { rememberNext } from "./pages/next-path.ts";
import { NotFoundPage } from "./pages/not-found.tsx";
import { OrgPage } from "./pages/org/org-page.tsx";
import { SignInPage } from "./pages/sign-in.tsx";
import { matchRoute, navigate, paths, usePath } from "./router.tsx";
import { SessionProvider, useSession } from "./session.tsx";
import { Announcer } from "./ui/announcer.tsx";

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <LoopsProvider>
          <Shell />
        </LoopsProvider>
      </SessionProvider>
    </I18nProvider>
  );
}

function Shell() {
  const { t } = useI18n();
  const session = useSession();
  return (
    <>
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          // Focus without touching the fragment: on /invite the fragment is the invite token.
          event.preventDefault();
          document.getElementById("main")?.focus();
        }}
      >
        {t.app.skipToContent}
      </a>
      <Header />
      <main id="main" tabIndex={-1} aria-busy={session.state.status === "loading" || undefined}>
        <Routes />
      </main>
      <footer className="site-footer">
        <p>{t.app.tagline}</p>
      </footer>
      <Announcer />
    </>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function Routes() {
  const { t } = useI18n();
  const path = usePath();
  const session = useSession();
  const route = matchRoute(path);
  const status = session.state.status;

  if (status === "loading") {
    return (
      <p className="loading">
        <span className="spinner" aria-hidden="true" /> {t.app.loading}
      </p>
    );
  }
  if (route.name === "invite") return <InvitePage />;
  if (route.name === "sign-in") return status === "signed-in" ? <Redirect to={paths.home()} /> : <SignInPage />;
  if (status === "signed-out") {
    const reason = session.state.status === "signed-out" ? session.state.reason : undefined;
    if (reason !== "deleted" && reason !== "signed-out") rememberNext(path + location.search);
    return <Redirect to={paths.signIn()} />;
  }
  switch (route.name) {
    case "home":
      return <HomePage />;
    case "new-organization":
      return canCreateOrganizations(session) ? <CreateOrganizationPage /> : <NotFoundPage />;
    case "account":
      return <AccountPage />;
    case "devices":
      return <DevicesPage />;
    case "org":
      return <OrgPage key={route.slug} slug={route.slug} section={route.section} {...(route.circleId ? { circleId: route.circleId } : {})} {...(route.petition ? { petition: route.petition } : {})} {...(route.form ? { form: route.form } : {})} />;
    case "loops":
      return <LoopsPage />;
    case "new-loop":
      return <NewLoopPage key={location.search} />;
    case "loop":
      return <LoopPage key={route.id} id={route.id} />;
    case "safety":
      return <SafetyPage key={`${route.roomId}/${route.accountId}`} roomId={route.roomId} accountId={route.accountId} />;
    case "not-found":
      return <NotFoundPage />;
  }
}
