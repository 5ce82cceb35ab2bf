/**
 * /invite#<token>: the token stays in the fragment so it never reaches the server's logs. One page
 * for both kinds of invite: joining an organization, and setting up the instance's first admin.
 */
import type { InvitePreview, SignedIn } from "@commune/protocol";
import { useEffect, useState } from "react";
import { client } from "../api.ts";
import { isCode } from "../errors.ts";
import { useI18n } from "../i18n/index.tsx";
import { Link, navigate, paths } from "../router.tsx";
import { useSession } from "../session.tsx";
import { ErrorAlert, Notice } from "../ui/alert.tsx";
import { announce } from "../ui/announcer.tsx";
import { Button } from "../ui/button.tsx";
import { Loadable } from "../ui/loadable.tsx";
import { PageHeading } from "../ui/page-heading.tsx";
import { useAction, useResource } from "../ui/use-async.ts";
import { SignInForm } from "./sign-in.tsx";
import { SignUpForm } from "./sign-up-form.tsx";

function readToken(): string {
  return decodeURIComponent(location.hash.replace(/^#/, "")).trim();
}

export function InvitePage() {
  const { t, format } = useI18n();
  const session = useSession();
  const [token, setToken] = useState(readToken);
  // Pasting another invite link into this tab changes only the fragment: no page load happens.
  useEffect(() => {
    const onHash = () => setToken(readToken());
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);
  const [mode, setMode] = useState<"sign-up" | "sign-in">("sign-up");
  const { resource, reload } = useResource(async () => {
    if (!/^[A-Za-z0-9_-]{16,128}$/.test(token)) throw new MissingToken();
    return client.previewInvite(token);
  }, [token]);

  const finish = async (preview: InvitePreview, joined: { slug: string; name: string } | null) => {
    if (preview.kind === "instance-admin") {
      session.setAccount(await client.me());
      await session.refreshInstance();
      navigate(`${paths.newOrganization()}?welcome`, { replace: true });
      return;
    }
    const org = joined ?? preview.organization;
    if (org) {
      announce(t.invite.joined(org.name));
      navigate(paths.org(org.slug), { replace: true });
    } else navigate(paths.home(), { replace: true });
  };

  // Accepting again as an existing member is harmless: the server answers with the organization.
  const join = useAction(async (preview: InvitePreview) => finish(preview, await client.acceptInvite(token)));

  const afterSignIn = async (preview: InvitePreview, signedIn: SignedIn) => {
    let org: Awaited<ReturnType<typeof client.acceptInvite>>;
    try {
      org = await client.acceptInvite(token);
    } catch (error) {
      // Signed in but not joined: the page now shows the Join button, with the reason above it.
      session.adopt(signedIn);
      join.setError(error);
      return;
    }
    session.adopt(signedIn);
    await finish(preview, org);
  };

  const heading = (() => {
    if (resource.status === "loading") return t.invite.checking;
    if (resource.status === "error") return t.invite.invalidTitle;
    const preview = resource.data;
    if (preview.kind === "instance-admin") return t.invite.setupTitle;
    return t.invite.joinTitle(preview.organization?.name ?? "");
  })();

  return (
    <div className="narrow stack">
      <PageHeading title={heading}>{heading}</PageHeading>
      {resource.status === "error" && resource.error instanceof MissingToken ? (
        <Notice tone="warning">{t.invite.missingToken}</Notice>
      ) : (
        <Loadable resource={resource} reload={resource.status === "error" && !isCode(resource.error, "invite_invalid") ? reload : undefined}>
          {(preview) => {
            const setup = preview.kind === "instance-admin";
            const account = session.account;
            return (
              <>
                {setup ? (
                  <p className="lead">{t.invite.setupIntro}</p>
                ) : (
                  <>
                    <p className="lead">{t.invite.joinIntro(preview.organization?.name ?? "", preview.role ?? "member")}</p>
                    {preview.organization?.description && <p className="org-description" dir="auto">{preview.organization.description}</p>}
                  </>
                )}
                <p className="muted">{t.invite.expires(format.relative(preview.expiresAt))}</p>

                {account ? (
                  <section className="card stack" aria-labelledby="invite-join">
                    <h2 id="invite-join" className="visually-hidden">
                      {setup ? t.invite.becomeAdmin : t.invite.join}
                    </h2>
                    <p>{setup ? t.invite.setupSignedIn : t.invite.signedInAs(account.username)}</p>
                    <ErrorAlert error={join.error} />
                    <div className="actions">
                      <Button variant="primary" busy={join.busy} onClick={() => void join.run(preview)}>
                        {setup ? t.invite.becomeAdmin : t.invite.join}
                      </Button>
                      <Button variant="quiet" onClick={() => void session.signOut().then(() => navigate(location.pathname + location.hash, { replace: true }))}>
                        {t.invite.notYou}
                      </Button>
                    </div>
                  </section>
                ) : mode === "sign-up" ? (
                  <section className="stack" aria-labelledby="invite-sign-up">
                    <h2 id="invite-sign-up">{t.invite.createAccount}</h2>
                    <SignUpForm
                      token={token}
                      submitLabel={setup ? t.invite.submitSetup : t.invite.submitJoin}
                      onSignedUp={async (signedIn) => {
                        session.adopt(signedIn);
                        await finish(preview, signedIn.joined ?? null);
                      }}
                    />
                    <p className="muted">{t.invite.keyNote}</p>
                    {!setup && (
                      <p>
                        <button type="button" className="link-button" onClick={() => setMode("sign-in")}>
                          {t.invite.haveAccount}
                        </button>
                      </p>
                    )}
                  </section>
                ) : (
                  <section className="stack" aria-labelledby="invite-sign-in">
                    <h2 id="invite-sign-in">{t.invite.signInTitle}</h2>
                    <ErrorAlert error={join.error} />
                    <SignInForm submitLabel={t.invite.signInAndJoin} onSignedIn={(signedIn) => afterSignIn(preview, signedIn)} />
                    <p>
                      <button type="button" className="link-button" onClick={() => setMode("sign-up")}>
                        {t.invite.needAccount}
                      </button>
                    </p>
                  </section>
                )}
              </>
            );
          }}
        </Loadable>
      )}
      {resource.status === "error" && (
        <p>
          {session.account ? <Link href={paths.home()}>{t.notFound.home}</Link> : <Link href={paths.signIn()}>{t.signIn.title}</Link>}
        </p>
      )}
    </div>
  );
}

/** The link lost its fragment (or part of it) on the way: nothing to ask the server about. */
class MissingToken extends Error {}
