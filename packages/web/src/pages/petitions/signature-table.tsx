import { PETITION_TEXT_FIELDS, type Petition } from "@commune/protocol";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { who, type ReadableSignature } from "./readable-signature.ts";

/**
 * The opened signatures, one row each, with only the columns the petition asks for. The table
 * scrolls sideways inside a focusable region on a phone instead of squeezing its columns.
 */
export function SignatureTable({ petition, signatures, onDelete }: { petition: Petition; signatures: readonly ReadableSignature[]; onDelete: (signature: ReadableSignature) => void }) {
  const { t, format } = useI18n();
  const m = t.petitions.org;
  const extra = PETITION_TEXT_FIELDS.filter((f) => f !== "name" && petition.fields[f] !== "off");
  const named = petition.fields.name !== "off";
  return (
    <div className="table-scroll" role="region" aria-labelledby="signatures-caption" tabIndex={0}>
      <table className="data-table signature-table">
        <caption id="signatures-caption" className="visually-hidden">
          {m.tableLabel}
        </caption>
        <thead>
          <tr>
            {named && <th scope="col">{m.columns.name}</th>}
            <th scope="col">{m.columns.email}</th>
            {extra.map((f) => (
              <th scope="col" key={f}>
                {m.columns[f]}
              </th>
            ))}
            <th scope="col">{m.columns.status}</th>
            <th scope="col">{m.columns.signedAt}</th>
            <th scope="col">{m.columns.consent}</th>
            <th scope="col">
              <span className="visually-hidden">{m.columns.actions}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {signatures.map((s) => (
            <tr key={s.id} data-signature={s.id} data-status={s.status}>
              {named && (
                <th scope="row" dir="auto">
                  {s.payload.name ?? m.someone}
                </th>
              )}
              <td dir="ltr">{s.payload.email}</td>
              {extra.map((f) => (
                <td key={f} dir="auto" className={f === "comment" ? "cell-comment" : undefined}>
                  {s.payload[f] ?? ""}
                </td>
              ))}
              <td>
                <span className={`badge badge-signature-${s.status}`}>{s.status === "confirmed" ? m.statusConfirmed : m.statusPending}</span>
              </td>
              <td>
                <time dateTime={new Date(s.createdAt).toISOString()}>{format.dateTime(s.createdAt)}</time>
              </td>
              <td>{[s.payload.showPublicly ? m.shownPublicly : "", s.payload.keepInformed ? m.keepsInformed : ""].filter(Boolean).join(", ")}</td>
              <td>
                <Button variant="quiet" aria-label={m.deleteSignatureOf(who(s.payload))} onClick={() => onDelete(s)}>
                  {m.deleteSignature}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
