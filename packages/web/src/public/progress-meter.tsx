import { useEffect, useId, useRef, useState } from "react";

/**
 * A counter towards a goal: the sentence ("1,204 signatures of 5,000") and a bar. The bar is an ARIA
 * progressbar named by the sentence; a separate polite live region repeats the sentence at most
 * every `announceEveryMs`, so a screen reader hears the count move without being flooded during a
 * viral spike.
 */
export function ProgressMeter({
  count,
  goal,
  text,
  label,
  announceEveryMs = 20_000,
  compact = false,
}: {
  count: number;
  goal: number;
  /** The visible sentence, e.g. "12 signatures of 1,000". */
  text: string;
  /** The accessible name of the bar. */
  label: string;
  announceEveryMs?: number;
  compact?: boolean;
}) {
  const id = useId();
  const share = goal > 0 ? Math.min(1, count / goal) : 0;
  const announced = useThrottled(text, announceEveryMs);
  return (
    <div className={compact ? "petition-meter compact" : "petition-meter"} data-count={count}>
      <p id={`${id}-text`} className="petition-count">
        {text}
      </p>
      <div
        className="petition-bar"
        role="progressbar"
        aria-label={label}
        aria-describedby={`${id}-text`}
        aria-valuemin={0}
        aria-valuemax={goal}
        aria-valuenow={Math.min(count, goal)}
        aria-valuetext={text}
      >
        <div className="petition-bar-fill" style={{ inlineSize: `${(share * 100).toFixed(2)}%` }} />
      </div>
      <p className="visually-hidden" aria-live="polite" aria-atomic="true">
        {announced}
      </p>
    </div>
  );
}

/** The value, but changed at most once per period (the last change always comes through). */
function useThrottled(value: string, periodMs: number): string {
  const [shown, setShown] = useState("");
  const last = useRef(0);
  const first = useRef(true);
  useEffect(() => {
    // the first value is on screen already: announcing it on load would only repeat the page
    if (first.current) {
      first.current = false;
      return;
    }
    const wait = Math.max(0, last.current + periodMs - Date.now());
    const timer = setTimeout(() => {
      last.current = Date.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(timer);
  }, [value, periodMs]);
  return shown;
}
