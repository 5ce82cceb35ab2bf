import { useI18n } from "../../i18n/index.tsx";
import { useSession } from "../../session.tsx";
import { Notice } from "../../ui/alert.tsx";

/** Whether this instance can mail confirmation links; unknown (still loading) counts as yes. */
export function useMailWorks(): boolean {
  return useSession().instance?.mail !== false;
}

/** Said on every petition page when confirmation mail cannot go out: signatures then never count. */
export function NoMailNotice() {
  const { t } = useI18n();
  if (useMailWorks()) return null;
  return <Notice tone="warning">{t.petitions.org.noMail}</Notice>;
}
