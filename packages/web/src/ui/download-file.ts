/**
 * Saves text made on this device as a file, through a temporary link (nothing goes to the server).
 * CSV gets a byte-order mark so spreadsheets read it as UTF-8.
 */
export function downloadText(filename: string, text: string, type = "text/csv;charset=utf-8"): void {
  const parts = type.startsWith("text/csv") ? ["\uFEFF", text] : [text];
  const url = URL.createObjectURL(new Blob(parts, { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // the download has started reading the blob by then; the address need not live on
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
