import { useI18n } from "../i18n/index.tsx";
import { Link, paths } from "../router.tsx";
import { PageHeading } from "../ui/page-heading.tsx";

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <div className="narrow stack">
      <PageHeading title={t.notFound.title}>{t.notFound.title}</PageHeading>
      <p>{t.notFound.body}</p>
      <p>
        <Link href={paths.home()}>{t.notFound.home}</Link>
      </p>
    </div>
  );
}
