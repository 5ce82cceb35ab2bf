/**
 * A message's text with `@username` mentions of the loop's members highlighted, a mention of the
 * person reading set apart (and said so to screen readers).
 */
import { splitMentions } from "@commune/client";
import { normalizeUsername } from "@commune/protocol";
import { useMemo } from "react";
import { useI18n } from "../i18n/index.tsx";

export function MentionText({ text, usernames, me }: { text: string; usernames: readonly string[]; me: string }) {
  const { t } = useI18n();
  const parts = useMemo(() => splitMentions(text, usernames), [text, usernames]);
  const mine = normalizeUsername(me);
  return (
    <>
      {parts.map((part, i) =>
        part.mention === undefined ? (
          part.text
        ) : normalizeUsername(part.mention) === mine ? (
          <strong key={i} className="mention mention-me" data-mention={part.mention}>
            {part.text}
            <span className="visually-hidden"> ({t.loops.mentionOfYou})</span>
          </strong>
        ) : (
          <span key={i} className="mention" data-mention={part.mention}>
            {part.text}
          </span>
        ),
      )}
    </>
  );
}
