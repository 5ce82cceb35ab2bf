/**
 * Who is typing in a loop, from the typing signals the leading tab decrypted: each signal shows
 * its sender for a few seconds; a message from them ends it at once. Sending side: while the
 * composer changes, one signal every few seconds at most.
 */
import { useEffect, useRef, useState } from "react";
import { useLoopEvents, type LoopSession } from "./loop-session.tsx";

/** How long one signal shows its sender as typing. Senders repeat well within it while they type. */
export const TYPING_SHOWN_MS = 6000;
/** The least time between two signals from one composer. */
export const TYPING_EVERY_MS = 3500;

/** The accounts typing in this room now, in the order they started. */
export function useTypingPeople(loops: LoopSession | null, roomId: string): string[] {
  const [until, setUntil] = useState<ReadonlyMap<string, number>>(new Map());
  useLoopEvents(loops, (event) => {
    if (event.roomId !== roomId) return;
    if (event.type === "typing") setUntil((current) => new Map(current).set(event.accountId, Date.now() + TYPING_SHOWN_MS));
    if (event.type === "messages") {
      const senders = new Set(event.messages.map((m) => m.senderAccountId));
      setUntil((current) => new Map([...current].filter(([accountId]) => !senders.has(accountId))));
    }
  });
  useEffect(() => {
    if (until.size === 0) return;
    const next = Math.min(...until.values());
    const timer = setTimeout(() => setUntil((current) => new Map([...current].filter(([, at]) => at > Date.now()))), Math.max(0, next - Date.now()) + 20);
    return () => clearTimeout(timer);
  }, [until]);
  useEffect(() => setUntil(new Map()), [roomId]);
  return [...until.keys()];
}

/**
 * For the composer: `input` on every change sends at most one signal per TYPING_EVERY_MS; `sent`
 * after a message went out, so the next keystroke signals at once.
 */
export function useTypingSignal(loops: LoopSession | null, roomId: string, enabled: boolean): { input: (text: string) => void; sent: () => void } {
  const last = useRef(0);
  useEffect(() => {
    last.current = 0;
  }, [roomId]);
  return {
    input: (text: string) => {
      if (!loops || !enabled || text.trim() === "") return;
      const now = Date.now();
      if (now - last.current < TYPING_EVERY_MS) return;
      last.current = now;
      void loops.typing(roomId);
    },
    sent: () => {
      last.current = 0;
    },
  };
}
