/**
 * /orgs/:slug/forms/:id/results: the responses, fetched sealed and opened on this device with the
 * organization's key (a progress bar moves while thousands open), summed up per question — counts
 * and bar charts that are tables underneath — listed one by one, deleted, or exported as CSV: all
 * made here, never on the server.
 */
import { formSummary, responsesCsv, type OpenProgress, type OpenedResponse, type QuestionSummary } from "@commune/client";
import { formTextIn, type Form, type FormText, type Language, type OrganizationSummary } from "@commune/protocol";
import { useMemo, useState } from "react";
import { client } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Link, paths } from "../../router.tsx";
import { Notice } from "../../ui/alert.tsx";
import { announce } from "../../ui/announcer.tsx";
import { Button } from "../../ui/button.tsx";
import { ConfirmDialog } from "../../ui/confirm-dialog.tsx";
import { downloadText } from "../../ui/download-file.ts";
import { Loadable } from "../../ui/loadable.tsx";
import { OpenedRecords } from "../../ui/opened-records.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { useResource } from "../../ui/use-async.ts";
import { keyPage } from "../petitions/key-missing-notice.tsx";
import { BarChart, type BarRow } from "./bar-chart.tsx";
import { formTitle } from "./form-draft.ts";
import { ResponseList } from "./response-list.tsx";

export function FormResults({ org, id }: { org: OrganizationSummary; id: string }) {
  const { t } = useI18n();
  const { resource, reload } = useResource(() => client.forms.get(org.slug, id), [org.slug, id]);
  return (
    <div className="stack">
      {resource.status !== "ready" && <PageHeading title={t.forms.org.resultsTitle}>{t.forms.org.resultsTitle}</PageHeading>}
      <Loadable resource={resource} reload={reload}>
        {(form) => <Results org={org} form={form} />}
      </Loadable>
    </div>
  );
}

function Results({ org, form }: { org: OrganizationSummary; form: Form }) {
  const { t } = useI18n();
  const m = t.forms.org;
  const title = formTitle(form);
  const [progress, setProgress] = useState<OpenProgress>({ done: 0, total: null });
  // in the order they arrived (the server pages them by id, which says nothing of time)
  const opened = useResource(async () => (await client.forms.openResponses(org.slug, form, setProgress)).sort((x, y) => x.createdAt - y.createdAt), [org.slug, form]);
  return (
    <>
      <p className="back-link">
        <Link href={paths.form(org.slug, form.id)} dir="auto">
          {title}
        </Link>
      </p>
      <PageHeading title={`${m.resultsTitle} · ${title}`}>{m.resultsTitle}</PageHeading>
      <p className="muted">{m.sealedNote}</p>
      <OpenedRecords resource={opened.resource} reload={opened.reload} progress={progress} expected={form.responses} label={m.opening} text={m.openingProgress}>
        {(responses) => <Opened org={org} form={form} responses={responses} onDeleted={(responseId) => opened.setResource({ status: "ready", data: responses.filter((r) => r.id !== responseId) })} />}
      </OpenedRecords>
    </>
  );
}

function Opened({ org, form, responses, onDeleted }: { org: OrganizationSummary; form: Form; responses: OpenedResponse[]; onDeleted: (id: string) => void }) {
  const { t, language } = useI18n();
  const m = t.forms.org;
  const [deleting, setDeleting] = useState<{ id: string; index: number } | null>(null);
  const summary = useMemo(() => formSummary(form, responses), [form, responses]);
  const { text, language: textLanguage } = formTextIn(form, language);
  const readable = responses.filter((r) => r.ok).length;
  const noKey = readable === 0 && responses.some((r) => !r.ok && r.problem === "no_key");

  const exportCsv = () => {
    downloadText(`${form.slug}-responses-${new Date().toISOString().slice(0, 10)}.csv`, responsesCsv(form, responses, textLanguage));
    announce(m.exported);
  };

  return (
    <div className="stack form-results" data-opened={responses.length}>
      {noKey && (
        <Notice tone="warning">
          <h2>{m.noKeyTitle}</h2>
          <p>{m.noKeyBody}</p>
          <p>
            <Link href={keyPage(org.slug)}>{m.noKeyLink}</Link>
          </p>
        </Notice>
      )}
      {!noKey && summary.unreadable > 0 && <Notice tone="warning">{m.unreadable(summary.unreadable)}</Notice>}
      {summary.invalid > 0 && <Notice tone="info">{m.invalidNote(summary.invalid)}</Notice>}
      {summary.pending > 0 && <Notice tone="info">{m.pendingNote(summary.pending)}</Notice>}
      {responses.length === 0 ? (
        <p className="empty">{m.noneYet}</p>
      ) : (
        readable > 0 && (
          <>
            <section className="stack" aria-labelledby="summary-title">
              <h2 id="summary-title">{m.summary}</h2>
              <p data-counted={summary.counted}>{m.counted(summary.counted)}</p>
              {summary.questions.map((question) => (
                <QuestionResult key={question.id} summary={question} total={summary.counted} text={text} lang={textLanguage} />
              ))}
            </section>
            <div className="stack">
              <div className="actions">
                <Button variant="primary" onClick={exportCsv} aria-describedby="export-hint">
                  {m.exportCsv(readable)}
                </Button>
              </div>
              <p id="export-hint" className="field-hint">
                {m.exportHint}
              </p>
            </div>
            <ResponseList form={form} responses={responses} text={text} lang={textLanguage} onDelete={(id, index) => setDeleting({ id, index })} />
          </>
        )
      )}
      <ConfirmDialog
        open={deleting !== null}
        title={m.deleteResponseTitle}
        confirmLabel={m.deleteResponse}
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await client.forms.deleteResponse(org.slug, form.id, deleting.id);
          onDeleted(deleting.id);
          announce(m.responseDeleted);
        }}
      >
        <p>{m.deleteResponseBody}</p>
        {deleting && <p>{m.responseN(deleting.index)}</p>}
      </ConfirmDialog>
    </div>
  );
}

const TEXTS_SHOWN = 10;

/** One question's results: a chart for choices, numbers and dates, a sentence for consent, the texts given. */
function QuestionResult({ summary, total, text, lang }: { summary: QuestionSummary; total: number; text: FormText; lang: Language }) {
  const { t, format, language } = useI18n();
  const m = t.forms.org;
  const [all, setAll] = useState(false);
  const words = text.questions[summary.id];
  const label = words?.label ?? summary.id;
  const headingId = `result-${summary.id}`;
  let body;
  switch (summary.kind) {
    case "singleChoice":
    case "multipleChoice": {
      const rows: BarRow[] = summary.counts.map((c) => ({ key: c.choice, label: words?.choices?.[c.choice] ?? c.choice, lang, count: c.count }));
      body = <BarChart caption={label} rows={rows} total={summary.kind === "singleChoice" ? summary.answered : total} />;
      break;
    }
    case "number": {
      const rows: BarRow[] = summary.bins.map((b) => ({
        key: `${b.from}-${b.to}`,
        label: b.from === b.to ? format.number(b.from) : m.range(format.number(round(b.from)), format.number(round(b.to))),
        count: b.count,
      }));
      body = (
        <>
          {summary.min !== null && summary.max !== null && summary.mean !== null && <p>{m.numberStats(format.number(summary.min), format.number(summary.max), format.number(round(summary.mean)))}</p>}
          {rows.length > 0 && <BarChart caption={label} rows={rows} total={summary.answered} />}
        </>
      );
      break;
    }
    case "date": {
      const month = new Intl.DateTimeFormat(language, { year: "numeric", month: "long", timeZone: "UTC" });
      const rows: BarRow[] = summary.counts.map((c) => ({ key: c.month, label: month.format(new Date(`${c.month}-01T00:00:00Z`)), count: c.count }));
      body = rows.length > 0 ? <BarChart caption={label} rows={rows} total={summary.answered} /> : null;
      break;
    }
    case "consent":
      body = <BarChart caption={label} rows={[{ key: "yes", label: m.yes, count: summary.answered }]} total={total} />;
      break;
    default: {
      const shown = all ? summary.values : summary.values.slice(0, TEXTS_SHOWN);
      body = (
        <>
          <ul className="text-answers" aria-label={m.textAnswers(summary.values.length)}>
            {shown.map((value, i) => (
              <li key={i} dir="auto">
                {value}
              </li>
            ))}
          </ul>
          {summary.values.length > TEXTS_SHOWN && !all && <Button onClick={() => setAll(true)}>{m.showAll(summary.values.length)}</Button>}
        </>
      );
    }
  }
  return (
    <section className="card stack question-result" aria-labelledby={headingId} data-question={summary.id}>
      <h3 id={headingId} dir="auto" lang={lang}>
        {label}
      </h3>
      <p className="muted">{summary.kind === "consent" ? m.ticked(summary.answered, total) : m.answered(summary.answered, total)}</p>
      {body}
    </section>
  );
}

/** Bin edges and averages to at most two decimals: enough to read, no float noise. */
const round = (x: number) => Math.round(x * 100) / 100;
