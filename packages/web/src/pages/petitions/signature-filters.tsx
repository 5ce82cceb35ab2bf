import { useI18n } from "../../i18n/index.tsx";
import { SelectField, TextField } from "../../ui/fields.tsx";
import type { ReadableSignature } from "./readable-signature.ts";

export interface Filter {
  readonly text: string;
  readonly status: "all" | "confirmed" | "pending";
}

/** Whether a signature passes the filter: its status, and the words searched in any of its texts. */
export function matches(signature: ReadableSignature, filter: Filter): boolean {
  if (filter.status !== "all" && signature.status !== filter.status) return false;
  const words = filter.text.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const p = signature.payload;
  const haystack = [p.name, p.email, p.postalCode, p.country, p.comment].filter(Boolean).join("\n").toLocaleLowerCase();
  return words.every((word) => haystack.includes(word));
}

export function SignatureFilters({ filter, onChange }: { filter: Filter; onChange: (filter: Filter) => void }) {
  const { t } = useI18n();
  const m = t.petitions.org;
  return (
    <div className="inline-fields signature-filters" role="search">
      <TextField label={m.search} hint={m.searchHint} name="signature-search" type="search" dir="auto" value={filter.text} onChange={(e) => onChange({ ...filter, text: e.target.value })} />
      <SelectField label={m.status} name="signature-status" value={filter.status} onChange={(e) => onChange({ ...filter, status: e.target.value as Filter["status"] })}>
        <option value="all">{m.statusAll}</option>
        <option value="confirmed">{m.statusConfirmed}</option>
        <option value="pending">{m.statusPending}</option>
      </SelectField>
    </div>
  );
}
