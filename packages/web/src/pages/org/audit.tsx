import type { AuditEntry, Page } from "@commune/protocol";
import { useState } from "react";
import { client } from "../../api.ts";
import { isolate } from "../../i18n/format.ts";
import { useI18n, type Messages } from "../../i18n/index.tsx";
import { isRole } from "../../roles.ts";
import { ErrorAlert } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { Loadable } from "../../ui/loadable.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { useAction, useResource } from "../../ui/use-async.ts";
import type { OrgSectionProps } from "./org-page.tsx";

const PAGE_SIZE = 50;

/** One log entry as a sentence in the page language; unknown actions fall back to their code. */
export function auditSentence(t: Messages, entry: AuditEntry): string {
  const sentence = t.audit.actions[entry.action];
  const name = (value: string | null) => isolate(value ?? t.common.deletedAccount);
  const detail = (key: string) => {
    const value = entry.details[key];
    return value === null || value === undefined ? "" : isolate(String(value));
  };
  const role = (key: string) => {
    const value = entry.details[key];
    return isRole(value) ? t.audit.roleNames[value] : "";
  };
  if (!sentence) return `${entry.action} ${name(entry.actor)} ${entry.subject ?? ""}`;
  return sentence({ actor: entry.actor === null ? isolate(t.audit.someone) : name(entry.actor), subject: name(entry.subject), role, detail });
}

export function AuditSection({ org }: OrgSectionProps) {
  const { t, format } = useI18n();
  const { resource, reload } = useResource(() => client.audit(org.slug, { limit: PAGE_SIZE }), [org.slug]);
  const [older, setOlder] = useState<Page<AuditEntry>[]>([]);
  const more = useAction(async (before: string) => {
    const page = await client.audit(org.slug, { before, limit: PAGE_SIZE });
    setOlder((pages) => [...pages, page]);
  });
  return (
    <div className="stack">
      <PageHeading title={`${t.audit.title} · ${org.name}`}>{t.audit.title}</PageHeading>
      <p className="muted">{t.audit.intro}</p>
      <Loadable resource={resource} reload={reload}>
        {(first) => {
          const pages = [first, ...older];
          const entries = pages.flatMap((page) => page.items);
          const next = pages[pages.length - 1]?.next ?? null;
          if (entries.length === 0) return <p className="empty">{t.audit.empty}</p>;
          return (
            <>
              <ol className="audit-list" aria-label={t.audit.title}>
                {entries.map((entry) => (
                  <li key={entry.id} className="audit-entry" data-action={entry.action}>
                    <p>{auditSentence(t, entry)}</p>
                    <time className="meta" dateTime={new Date(entry.createdAt).toISOString()}>
                      {format.dateTime(entry.createdAt)}
                    </time>
                  </li>
                ))}
              </ol>
              <ErrorAlert error={more.error} />
              {next ? (
                <div className="actions">
                  <Button busy={more.busy} onClick={() => void more.run(next)}>
                    {t.audit.loadMore}
                  </Button>
                </div>
              ) : (
                <p className="muted">{t.audit.end}</p>
              )}
            </>
          );
        }}
      </Loadable>
    </div>
  );
}
