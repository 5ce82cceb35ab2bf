/**
 * What the loop page says above the conversation about keys: a warning for each person in the
 * loop whose safety number changed (until this device's user acknowledges it), and, on a device
 * that joined after earlier messages, that those messages cannot be read here.
 */
import type { RoomDetail } from "@commune/protocol";
import { useEffect, useRef, useState } from "react";
import { client } from "../api.ts";
import { useI18n } from "../i18n/index.tsx";
import { Link, paths } from "../router.tsx";
import { Notice } from "../ui/alert.tsx";
import { Button } from "../ui/button.tsx";
import { useLoopEvents, type LoopSession } from "./loop-session.tsx";
import { safetyWatch, useContacts } from "./safety-watch.ts";

export function SafetyNotices({ loops, room, me, joined }: { loops: LoopSession | null; room: RoomDetail; me: string; joined: boolean | null }) {
  return (
    <>
      <KeyChangeWarnings loops={loops} room={room} me={me} />
      {joined && <EarlierMessages loops={loops} roomId={room.id} />}
    </>
  );
}

function KeyChangeWarnings({ loops, room, me }: { loops: LoopSession | null; room: RoomDetail; me: string }) {
  const { t } = useI18n();
  const contacts = useContacts(loops);
  const changed = room.members.filter((m) => m.accountId !== me && contacts.get(m.accountId)?.change);
  // the region stays mounted so that a warning appearing while the page is open is announced
  return (
    <section className="safety-warnings" aria-label={t.safety.warningsTitle} aria-live="polite">
      {changed.map((m) => {
        const change = contacts.get(m.accountId)!.change!;
        return (
          <div key={m.accountId} className="alert alert-warning safety-warning" data-account={m.accountId}>
            <p>
              <strong>{t.safety.changeWarning(m.username)}</strong>
            </p>
            <p>{t.safety.changeWhy(m.username)}</p>
            {change.wasVerified && <p>{t.safety.changeVerified(m.username)}</p>}
            <div className="actions">
              <Link href={paths.safety(room.id, m.accountId)} className="button button-primary" aria-label={t.safety.compareAgainLabel(m.username)}>
                {t.safety.compareAgain}
              </Link>
              <Button
                variant="quiet"
                aria-label={t.safety.acknowledgeLabel(m.username)}
                onClick={() => {
                  if (loops) void safetyWatch(loops).acknowledge(m.accountId);
                }}
              >
                {t.safety.acknowledge}
              </Button>
            </div>
          </div>
        );
      })}
    </section>
  );
}

/** One page of the log is enough to say "there were earlier messages"; more is "more than". */
const LOOK_BACK = 1000;

/**
 * Counts the messages of the room's log that came before the first one this device could read:
 * sent before it joined, they were encrypted with keys it never had.
 */
function EarlierMessages({ loops, roomId }: { loops: LoopSession | null; roomId: string }) {
  const { t } = useI18n();
  const [earlier, setEarlier] = useState<{ count: number; more: boolean } | null>(null);
  const [generation, setGeneration] = useState(0);
  // until this device has read a message, a new one may be the first: look again then
  const readAny = useRef(false);
  useLoopEvents(loops, (event) => {
    if (event.roomId === roomId && (event.type === "joined" || (event.type === "messages" && !readAny.current))) setGeneration((g) => g + 1);
  });
  useEffect(() => {
    if (!loops) return;
    let cancelled = false;
    void (async () => {
      await loops.syncRoom(roomId);
      const history = await loops.history(roomId);
      const read = new Set(history.map((m) => m.seq));
      const first = history.reduce((min, m) => Math.min(min, m.seq), Number.POSITIVE_INFINITY);
      readAny.current = history.length > 0;
      const limit = Math.min(LOOK_BACK, Number.isFinite(first) ? first - 1 : LOOK_BACK);
      if (limit < 1) return;
      const events = await client.events(roomId, 0, limit);
      const count = events.filter((e) => e.kind === "message" && e.seq < first && !read.has(e.seq) && e.senderDeviceId !== loops.deviceId).length;
      const more = events.length === LOOK_BACK && events.at(-1)!.seq < first - 1;
      if (!cancelled) setEarlier(count > 0 ? { count, more } : null);
    })().catch((error: unknown) => console.warn("could not look at the loop's earlier messages", error));
    return () => {
      cancelled = true;
    };
  }, [loops, roomId, generation]);
  if (!earlier) return null;
  return (
    <Notice>
      <p className="safety-earlier" data-earlier={earlier.count}>
        <strong>{t.safety.earlier(earlier.count, earlier.more)}</strong>
      </p>
      <p>{t.safety.earlierWhy}</p>
    </Notice>
  );
}
