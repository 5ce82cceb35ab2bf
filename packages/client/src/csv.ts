/** CSV (RFC 4180) for exports a spreadsheet opens: signatures, form responses. */

export type CsvValue = string | number | boolean | null | undefined;

/**
 * One cell. Cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a
 * carriage return) get an apostrophe first: what the public typed must not become code on the
 * organizer's computer. Numbers stay numbers (a negative one is no formula).
 */
export function csvCell(value: CsvValue): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole document: a header row, then the rows, CRLF line ends. */
export function csvDocument(header: readonly CsvValue[], rows: readonly (readonly CsvValue[])[]): string {
  return `${[header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n")}\r\n`;
}
