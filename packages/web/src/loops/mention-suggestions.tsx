/**
 * Suggestions while typing `@…` in the composer: the loop's members whose username starts with
 * (then contains) what follows the `@`. The text box keeps focus; the list is tied to it with
 * aria-controls and aria-activedescendant, so arrow keys move through it, Enter or Tab takes one,
 * Escape closes it, and screen readers hear the option that is active.
 */
import { mentionAtCaret } from "@commune/client";
import { normalizeUsername } from "@commune/protocol";
import { useEffect, useId, useMemo, useState, type KeyboardEvent, type ReactNode, type RefObject } from "react";
import { useI18n } from "../i18n/index.tsx";
import { announce } from "../ui/announcer.tsx";

const MAX_SUGGESTIONS = 6;

export interface MentionState {
  /** Attributes for the text box. */
  readonly inputProps: {
    readonly "aria-autocomplete": "list";
    readonly "aria-controls": string | undefined;
    readonly "aria-activedescendant": string | undefined;
  };
  /** Handles the list's keys first; true when the key was for the list. */
  readonly onKeyDown: (event: KeyboardEvent<HTMLTextAreaElement>) => boolean;
  /** Call with the text box after every change or caret move. */
  readonly onCaret: (input: HTMLTextAreaElement) => void;
  readonly list: ReactNode;
}

export function useMentionSuggestions(usernames: readonly string[], text: string, setText: (text: string) => void, input: RefObject<HTMLTextAreaElement | null>): MentionState {
  const { t } = useI18n();
  const listId = useId();
  const [caret, setCaret] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const at = caret === null ? null : mentionAtCaret(text, caret);
  const matches = useMemo(() => {
    if (!at) return [];
    const q = normalizeUsername(at.query);
    const named = usernames.map((u) => [u, normalizeUsername(u)] as const);
    const starts = named.filter(([, n]) => n.startsWith(q));
    const contains = named.filter(([, n]) => !n.startsWith(q) && n.includes(q));
    return [...starts, ...contains].slice(0, MAX_SUGGESTIONS).map(([u]) => u);
  }, [at?.query, usernames]);
  const open = at !== null && matches.length > 0 && dismissedAt !== at.start;
  const activeIndex = Math.min(active, matches.length - 1);

  useEffect(() => setActive(0), [at?.query, at?.start]);
  useEffect(() => {
    if (open) announce(t.loops.suggestions(matches.length));
  }, [open, matches.length, t]);

  const pick = (username: string) => {
    if (!at || caret === null) return;
    const before = text.slice(0, at.start);
    const after = text.slice(caret).replace(/^[\p{L}\p{M}\p{Nd}_.-]*/u, "");
    const inserted = `@${username} `;
    setText(before + inserted + after.replace(/^ /, ""));
    const position = before.length + inserted.length;
    setCaret(position);
    requestAnimationFrame(() => {
      input.current?.focus();
      input.current?.setSelectionRange(position, position);
    });
  };

  const optionId = (i: number) => `${listId}-${i}`;
  return {
    inputProps: {
      "aria-autocomplete": "list",
      "aria-controls": open ? listId : undefined,
      "aria-activedescendant": open ? optionId(activeIndex) : undefined,
    },
    onKeyDown: (event) => {
      if (!open || event.nativeEvent.isComposing) return false;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActive((activeIndex + step + matches.length) % matches.length);
        return true;
      }
      if ((event.key === "Enter" && !event.shiftKey) || event.key === "Tab") {
        event.preventDefault();
        pick(matches[activeIndex]!);
        return true;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        setDismissedAt(at.start);
        return true;
      }
      return false;
    },
    onCaret: (el) => setCaret(el.selectionStart === el.selectionEnd ? el.selectionStart : null),
    list: open ? (
      <ul id={listId} role="listbox" className="mention-list" aria-label={t.loops.mentionList}>
        {matches.map((username, i) => (
          <li
            key={username}
            id={optionId(i)}
            role="option"
            aria-selected={i === activeIndex}
            className="mention-option"
            // keep focus in the text box: choose on press, before it would blur
            onMouseDown={(e) => {
              e.preventDefault();
              pick(username);
            }}
          >
            <bdi>@{username}</bdi>
          </li>
        ))}
      </ul>
    ) : null,
  };
}
