/**
 * /f/<slug>/confirm#<token>: the link from the confirmation mail. Confirms once on arrival (a
 * second visit is harmless) and thanks the respondent.
 */
import { confirmResponse } from "@commune/client/public";
import { formTextIn } from "@commune/protocol";
import { useResource } from "../../ui/use-async.ts";
import { api } from "../api.ts";
import { usePublicI18n } from "../i18n.tsx";
import { takeToken, useTitle } from "../public-frame.tsx";
import { FormFrame } from "./form-frame.tsx";
import { formErrorText } from "./form-errors.ts";
import { useFormMessages } from "./form-messages.ts";
import { FormLoading } from "./form-page.tsx";
import { formLanguages, formPath, usePublicForm } from "./use-public-form.ts";

class MissingToken extends Error {
  override readonly name = "MissingToken";
}

export function FormConfirmPage({ slug }: { slug: string }) {
  const { language } = usePublicI18n();
  const m = useFormMessages();
  const loaded = usePublicForm(slug);
  const form = loaded.resource.status === "ready" ? loaded.resource.data : null;
  const confirmation = useResource(async () => {
    const token = takeToken();
    if (!token) throw new MissingToken();
    return confirmResponse(api, token);
  }, []);
  const state = confirmation.resource;
  const formTitle = form ? formTextIn(form, language).text.title : null;
  const title = !m ? "" : state.status === "ready" ? m.confirmedTitle : state.status === "error" ? m.confirmFailedTitle : m.confirmingTitle;
  useTitle(formTitle ? `${title} · ${formTitle}` : title);
  if (!m) return <FormLoading m={null} />;
  return (
    <FormFrame m={m} organization={form?.organization.name} languages={form ? formLanguages(form) : []}>
      <div className="stack narrow confirm-page">
        <h1 className="page-heading">{title}</h1>
        {formTitle && (
          <p className="petition-name" dir="auto">
            <a href={formPath(slug)}>{formTitle}</a>
          </p>
        )}
        <div role="status" aria-live="polite">
          {state.status === "loading" && <span className="spinner" aria-hidden="true" />}
          {state.status === "ready" && <p>{m.confirmedBody}</p>}
          {state.status === "error" && <p className="alert alert-error">{state.error instanceof MissingToken ? m.missingToken : formErrorText(m, state.error)}</p>}
        </div>
        {state.status === "error" && (
          <p>
            <a href={formPath(slug)}>{m.backToForm}</a>
          </p>
        )}
      </div>
    </FormFrame>
  );
}
