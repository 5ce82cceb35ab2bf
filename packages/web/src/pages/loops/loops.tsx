/**
 * /loops: the loops this person is in, most recently active first, with how many messages came
 * in since they last looked (counted on this device: the server cannot read them) and how many
 * of those mention them, and the ways to start a new one.
 */
import { UNREAD_CAP, type UnreadSummary } from "@commune/client";
import type { Room } from "@commune/protocol";
import { useEffect, useState } from "react";
import { client } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { useLoopEvents, useLoopRooms, useLoops, useLoopStatus, type LoopSession } from "../../loops/loop-session.tsx";
import { Link, paths } from "../../router.tsx";
import { useAccount } from "../../session.tsx";
import { Notice } from "../../ui/alert.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";

/** What a loop is called for this person: a direct loop is named after the other person. */
export function useLoopNames(rooms: readonly Room[] | null): Record<string, string> {
  const me = useAccount();
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    let cancelled = false;
    for (const room of rooms ?? []) {
      if (room.kind !== "direct" || names[room.id]) continue;
      client.room(room.id).then(
        (detail) => {
          const other = detail.members.find((m) => m.accountId !== me.id);
          if (!cancelled && other) setNames((current) => ({ ...current, [room.id]: other.username }));
        },
        () => {},
      );
    }
    return () => {
      cancelled = true;
    };
    // names only grows; looking again for rooms already named is not needed
  }, [rooms, me.id]);
  return names;
}

function useUnread(loops: LoopSession | null, rooms: readonly Room[] | null): Record<string, UnreadSummary> {
  const [unread, setUnread] = useState<Record<string, UnreadSummary>>({});
  const [tick, setTick] = useState(0);
  useLoopEvents(loops, (event) => {
    if (event.type === "messages" || event.type === "read" || event.type === "joined" || event.type === "expired") setTick((n) => n + 1);
  });
  useEffect(() => {
    if (!loops || !rooms) return;
    let cancelled = false;
    const none: UnreadSummary = { count: 0, mentions: 0 };
    void Promise.all(rooms.map(async (room) => [room.id, await loops.unread(room.id).catch(() => none)] as const)).then((counts) => {
      if (!cancelled) setUnread(Object.fromEntries(counts));
    });
    return () => {
      cancelled = true;
    };
  }, [loops, rooms, tick]);
  return unread;
}

export function LoopsPage() {
  const { t, format } = useI18n();
  const loops = useLoops();
  const rooms = useLoopRooms(loops);
  const status = useLoopStatus(loops);
  const names = useLoopNames(rooms);
  const unread = useUnread(loops, rooms);
  const [canGroup, setCanGroup] = useState(false);
  useEffect(() => {
    client.organizations().then(
      (orgs) => setCanGroup(orgs.some((o) => o.role === "admin" || o.role === "organizer")),
      () => {},
    );
  }, []);
  const sorted = rooms ? [...rooms].sort((a, b) => b.lastSeq - a.lastSeq || b.createdAt - a.createdAt) : null;
  return (
    // data-loops tells tests (and anyone debugging) whether this device's encryption is connected
    <div className="stack" data-loops={status}>
      <div className="page-title-row">
        <PageHeading title={t.loops.title}>{t.loops.title}</PageHeading>
        <div className="actions">
          {canGroup && (
            <Link className="button button-primary" href={paths.newLoop("group")}>
              {t.loops.newGroup}
            </Link>
          )}
          <Link className="button button-secondary" href={paths.newLoop("direct")}>
            {t.loops.newDirect}
          </Link>
        </div>
      </div>
      <p className="muted">{t.loops.intro}</p>
      {status === "failed" && <Notice tone="warning">{t.loops.failed}</Notice>}
      {status === "offline" && <Notice tone="warning">{t.loops.offline}</Notice>}
      {sorted === null ? (
        <p className="loading" aria-busy="true">
          <span className="spinner" aria-hidden="true" /> {t.app.loading}
        </p>
      ) : sorted.length === 0 ? (
        <p className="empty">{t.loops.empty}</p>
      ) : (
        <ul className="row-list loop-list" aria-label={t.loops.title}>
          {sorted.map((room) => {
            const { count, mentions } = unread[room.id] ?? { count: 0, mentions: 0 };
            const name = room.kind === "direct" ? (names[room.id] ?? room.name) : room.name;
            const org = loops?.organization(room.organizationSlug);
            return (
              <li key={room.id} className="row loop-row" data-room={room.id}>
                <div className="row-main">
                  <p className="row-title">
                    <Link href={paths.loop(room.id)} dir="auto">
                      {name}
                    </Link>
                  </p>
                  <p className="meta">
                    <span dir="auto">{org?.name ?? room.organizationSlug}</span>
                    <span>{t.loops.kinds[room.kind]}</span>
                  </p>
                </div>
                {(count > 0 || mentions > 0) && (
                  <div className="loop-badges">
                    {mentions > 0 && (
                      <span className="badge badge-mention" title={t.loops.mentions(mentions)}>
                        <span aria-hidden="true">@{format.number(mentions)}</span>
                        <span className="visually-hidden">{t.loops.mentions(mentions)}</span>
                      </span>
                    )}
                    {count > 0 && <span className="badge badge-unread">{count > UNREAD_CAP ? t.loops.unreadMany(format.number(UNREAD_CAP)) : t.loops.unread(count)}</span>}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
