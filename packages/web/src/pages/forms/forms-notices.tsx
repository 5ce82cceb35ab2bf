/** Small parts every form page shares: its state as a badge, and the notices about mail and the key. */
import type { FormState, OrganizationSummary } from "@commune/protocol";
import { useI18n } from "../../i18n/index.tsx";
import { Link } from "../../router.tsx";
import { Notice } from "../../ui/alert.tsx";
import { isAdmin } from "../org/org-page.tsx";
import { keyPage } from "../petitions/key-missing-notice.tsx";
import { useMailWorks } from "../petitions/no-mail-notice.tsx";

/** Draft, open, full or closed, as a badge. */
export function FormStateBadge({ state }: { state: FormState }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge-form-${state}`} data-state={state}>
      {t.forms.org.states[state]}
    </span>
  );
}

/** Said where confirmation by mail is chosen and the instance cannot send mail. */
export function FormsNoMailNotice({ when }: { when: boolean }) {
  const { t } = useI18n();
  const works = useMailWorks();
  if (!when || works) return null;
  return <Notice tone="warning">{t.forms.org.noMail}</Notice>;
}

/** Publishing needs the organization's key: administrators get a link to set it up, organizers are told whom to ask. */
export function FormKeyMissingNotice({ org }: { org: OrganizationSummary }) {
  const { t } = useI18n();
  const m = t.forms.org;
  return (
    <div role="alert">
      <Notice tone="warning">
        <p>{m.keyMissing}</p>
        <p>{isAdmin(org.role) ? <Link href={keyPage(org.slug)}>{m.keyMissingLink}</Link> : m.keyMissingAskAdmin}</p>
      </Notice>
    </div>
  );
}
