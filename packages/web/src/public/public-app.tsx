/** The public entry's pages: a petition, its confirm and withdraw links, its embeddable widget; a form and its confirm link. */
import { lazy, Suspense } from "react";
import { Announcer } from "../ui/announcer.tsx";
import { ConfirmPage } from "./confirm-page.tsx";
import { EmbedPage } from "./embed-page.tsx";
import { PublicI18nProvider, usePublicI18n } from "./i18n.tsx";
import { Loading, PetitionPage } from "./petition-page.tsx";
import { PublicFrame, useTitle } from "./public-frame.tsx";
import { matchPublicRoute } from "./routes.ts";
import { WithdrawPage } from "./withdraw-page.tsx";

// Forms load only on their own pages: a petition page, the one that must be fast on a cheap
// phone during a viral spike, carries none of their code (nor what they load statically).
const FormPage = lazy(() => import("./forms/form-page.tsx").then((m) => ({ default: m.FormPage })));
const FormConfirmPage = lazy(() => import("./forms/form-confirm-page.tsx").then((m) => ({ default: m.FormConfirmPage })));

export function PublicApp() {
  return (
    <PublicI18nProvider>
      <Page />
      <Announcer />
    </PublicI18nProvider>
  );
}

function Page() {
  const route = matchPublicRoute(location.pathname);
  switch (route.page) {
    case "petition":
      return <PetitionPage slug={route.slug} />;
    case "confirm":
      return <ConfirmPage slug={route.slug} />;
    case "withdraw":
      return <WithdrawPage slug={route.slug} />;
    case "embed":
      return <EmbedPage slug={route.slug} />;
    case "form":
      return (
        <Suspense fallback={<Loading />}>
          <FormPage slug={route.slug} />
        </Suspense>
      );
    case "form-confirm":
      return (
        <Suspense fallback={<Loading />}>
          <FormConfirmPage slug={route.slug} />
        </Suspense>
      );
    case "not-found":
      return <NotFound />;
  }
}

function NotFound() {
  const { t } = usePublicI18n();
  useTitle(t.notFoundTitle);
  return (
    <PublicFrame>
      <div className="stack narrow">
        <h1 className="page-heading">{t.notFoundTitle}</h1>
        <p>{t.notFound}</p>
      </div>
    </PublicFrame>
  );
}
