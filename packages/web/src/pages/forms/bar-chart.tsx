/**
 * A bar chart that is a table first: each row names an answer, its count and its share in words
 * and numbers, so screen readers and people who do not tell colours apart read the same thing; the
 * bar beside the share only draws it.
 */
import { useI18n } from "../../i18n/index.tsx";

export interface BarRow {
  readonly key: string;
  readonly label: string;
  /** The language of the label, when it is the organizer's own words. */
  readonly lang?: string;
  readonly count: number;
}

export function BarChart({ caption, rows, total }: { caption: string; rows: readonly BarRow[]; total: number }) {
  const { t, format } = useI18n();
  const m = t.forms.org;
  const widest = Math.max(1, ...rows.map((r) => r.count));
  return (
    <table className="bar-chart">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{m.answer}</th>
          <th scope="col" className="numeric">
            {m.count}
          </th>
          <th scope="col">{m.share}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const share = total > 0 ? row.count / total : 0;
          return (
            <tr key={row.key} data-answer={row.key} data-count={row.count}>
              <th scope="row" dir="auto" lang={row.lang}>
                {row.label}
              </th>
              <td className="numeric">{format.number(row.count)}</td>
              <td className="bar-cell">
                <div className="bar-line">
                  <span className="bar" aria-hidden="true">
                    <span className="bar-fill" style={{ inlineSize: `${((row.count / widest) * 100).toFixed(1)}%` }} />
                  </span>
                  <span className="bar-share">{m.percent(share)}</span>
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
