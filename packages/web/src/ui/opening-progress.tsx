/**
 * The bar while sealed records are fetched and opened on this device: a labelled progress element
 * and a status sentence. Until the last page arrives the total is what the server counted.
 */
export function OpeningProgress({ label, done, total, expected, text }: { label: string; done: number; total: number | null; expected: number; text: string }) {
  const max = Math.max(1, total ?? Math.max(expected, done));
  return (
    <div className="stack opening" aria-busy="true">
      <label className="field-label" htmlFor="opening-progress">
        {label}
      </label>
      <progress id="opening-progress" max={max} value={done} />
      <p role="status" className="muted">
        {text}
      </p>
    </div>
  );
}
