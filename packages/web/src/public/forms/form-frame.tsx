import type { Language } from "@commune/protocol";
import type { ReactNode } from "react";
import { PublicFrame } from "../public-frame.tsx";
import type { PublicFormMessages } from "./form-messages.ts";

/** The public frame, with a form's byline and footer once the form messages are loaded. */
export function FormFrame({ m, organization, languages, children }: { m: PublicFormMessages | null | undefined; organization?: string | undefined; languages?: readonly Language[]; children: ReactNode }) {
  return (
    <PublicFrame {...(organization ? { organization } : {})} {...(languages ? { languages } : {})} {...(m ? { byline: m.by, footer: m.footer } : {})}>
      {children}
    </PublicFrame>
  );
}
