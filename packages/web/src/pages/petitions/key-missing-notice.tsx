import type { OrganizationSummary } from "@commune/protocol";
import { useI18n } from "../../i18n/index.tsx";
import { Link, paths } from "../../router.tsx";
import { Notice } from "../../ui/alert.tsx";
import { isAdmin } from "../org/org-page.tsx";

/** Publishing needs the organization's key: administrators get a link to set it up, organizers are told whom to ask. */
export function KeyMissingNotice({ org }: { org: OrganizationSummary }) {
  const { t } = useI18n();
  const m = t.petitions.org;
  return (
    <div role="alert">
      <Notice tone="warning">
        <p>{m.keyMissing}</p>
        <p>{isAdmin(org.role) ? <Link href={keyPage(org.slug)}>{m.keyMissingLink}</Link> : m.keyMissingAskAdmin}</p>
      </Notice>
    </div>
  );
}

/** The organization key page, where administrators set up, rotate or restore the key. */
export function keyPage(slug: string): string {
  return paths.org(slug, "key");
}
