/**
 * /p/<slug>/withdraw#<token>: the other link of the confirmation mail. Nothing happens on arrival
 * (mail scanners open links); the signer confirms with a button.
 */
import { withdrawSignature } from "@commune/client/public";
import { useEffect, useRef, useState } from "react";
import { Button } from "../ui/button.tsx";
import { useAction } from "../ui/use-async.ts";
import { api } from "./api.ts";
import { publicErrorText } from "./errors.ts";
import { usePublicI18n } from "./i18n.tsx";
import { PublicFrame, takeToken, useTitle } from "./public-frame.tsx";
import { publicPaths } from "./routes.ts";
import { petitionLanguages, textIn, usePetition } from "./use-petition.ts";

export function WithdrawPage({ slug }: { slug: string }) {
  const { t, language } = usePublicI18n();
  const loaded = usePetition(slug);
  const petition = loaded.resource.status === "ready" ? loaded.resource.data : null;
  const [token] = useState(takeToken);
  const [done, setDone] = useState(false);
  const action = useAction(async () => {
    if (!token) return;
    await withdrawSignature(api, token);
    setDone(true);
  });
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (done) heading.current?.focus();
  }, [done]);
  const title = done ? t.withdrawnTitle : t.withdrawTitle;
  useTitle(title);
  return (
    <PublicFrame organization={petition?.organization.name} languages={petition ? petitionLanguages(petition) : []}>
      <div className="stack narrow withdraw-page">
        <h1 className="page-heading" ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {petition && (
          <p className="petition-name" dir="auto">
            {textIn(petition, language).text.title}
          </p>
        )}
        {!token ? (
          <p className="alert alert-error" role="alert">
            {t.missingToken}
          </p>
        ) : done ? (
          <p role="status">{t.withdrawnBody}</p>
        ) : (
          <>
            <p>{t.withdrawBody}</p>
            <div role="alert" className="alert-slot">
              {action.error ? <p className="alert alert-error">{publicErrorText(t, action.error)}</p> : null}
            </div>
            <div className="actions">
              <Button variant="danger" busy={action.busy} onClick={() => void action.run()}>
                {t.withdrawButton}
              </Button>
            </div>
          </>
        )}
        <p>
          <a href={publicPaths.petition(slug)}>{t.backToPetition}</a>
        </p>
      </div>
    </PublicFrame>
  );
}
