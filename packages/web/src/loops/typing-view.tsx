/**
 * "X is typing…" under the conversation, and the setting that turns typing indicators on for
 * this person on this device.
 */
import { useI18n } from "../i18n/index.tsx";
import { Choice } from "../ui/fields.tsx";
import { useSharesTyping } from "./typing-setting.ts";

export function TypingIndicator({ names }: { names: readonly string[] }) {
  const { t } = useI18n();
  const text = names.length === 0 ? "" : names.length === 1 ? t.loops.typingOne(names[0]!) : names.length === 2 ? t.loops.typingTwo(names[0]!, names[1]!) : t.loops.typingMany;
  // polite and atomic: said once when someone starts, not on every signal
  return (
    <p className="typing-indicator" aria-live="polite" aria-atomic="true" data-typing={names.length}>
      {text}
    </p>
  );
}

export function TypingPanel({ accountId }: { accountId: string }) {
  const { t } = useI18n();
  const [on, setOn] = useSharesTyping(accountId);
  return (
    <section className="stack loop-panel" aria-labelledby="loop-typing">
      <h2 id="loop-typing">{t.loops.typingSetting}</h2>
      <Choice type="checkbox" label={t.loops.shareTyping} hint={t.loops.shareTypingHint} checked={on} onChange={(e) => setOn(e.target.checked)} />
    </section>
  );
}
