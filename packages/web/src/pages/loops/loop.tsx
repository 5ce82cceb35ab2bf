/**
 * /loops/:id — one conversation: what this device has read plus what arrives live, newest at the
 * bottom, with a divider above what is new since the last visit; replies, reactions, edits and
 * deletions; @mentions with suggestions; files with progress bars (images shown inline); who is
 * typing (when this person shares typing); the people in the loop; and the disappearing-messages
 * timer, which takes messages off the screen when it runs out. Messages are decrypted here; the
 * server only ever sees ciphertext.
 */
import type { LoopMessage } from "@commune/client";
import type { Member, RoomDetail } from "@commune/protocol";
import { maxFileBytes } from "@commune/client";
import { Fragment, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type MouseEvent } from "react";
import { client } from "../../api.ts";
import { isCode } from "../../errors.ts";
import { useI18n } from "../../i18n/index.tsx";
import { AttachButton, UploadProgress, useAttachment, useFileDrop } from "../../loops/attachment-upload.tsx";
import { formatFileSize } from "../../loops/attachment-rules.ts";
import { AttachmentView } from "../../loops/attachment-view.tsx";
import { fold, type ShownMessage } from "../../loops/fold.ts";
import { useLoopEvents, useLoopRole, useLoops, useLoopStatus, type LoopSession } from "../../loops/loop-session.tsx";
import { useMentionSuggestions } from "../../loops/mention-suggestions.tsx";
import { MentionText } from "../../loops/mention-text.tsx";
import { useTypingPeople, useTypingSignal } from "../../loops/typing.ts";
import { useSharesTyping } from "../../loops/typing-setting.ts";
import { TypingIndicator, TypingPanel } from "../../loops/typing-view.tsx";
import { LoopRulesAlert, useLoopViolation } from "../../loops/loop-rules.tsx";
import { SafetyDirect, SafetyLink, SafetyMark } from "../../loops/safety-marks.tsx";
import { SafetyNotices } from "../../loops/safety-notices.tsx";
import { Link, paths } from "../../router.tsx";
import { useAccount, useSession } from "../../session.tsx";
import { ErrorAlert, Notice } from "../../ui/alert.tsx";
import { announce } from "../../ui/announcer.tsx";
import { Button } from "../../ui/button.tsx";
import { ConfirmDialog } from "../../ui/confirm-dialog.tsx";
import { SelectField } from "../../ui/fields.tsx";
import { Loadable } from "../../ui/loadable.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { useAction, useResource } from "../../ui/use-async.ts";

export const REACTIONS = ["👍", "❤️", "😂", "🎉", "✊"] as const;
export const TIMERS = [3600, 86_400, 7 * 86_400, 4 * 7 * 86_400] as const;

/** setTimeout waits at most this long (its limit is 2^31 - 1 ms); a longer timer is set again. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** When a message leaves the screen: its own expiry, or (kept before expiries were stored) the room's timer. */
function expiryOf(m: LoopMessage, roomSeconds: number | null | undefined): number | null {
  if (m.expiresAt !== undefined) return m.expiresAt;
  return roomSeconds ? m.createdAt + roomSeconds * 1000 : null;
}

/** Merges newly read messages into what is shown, by seq, without duplicates. */
function merge(current: readonly LoopMessage[], incoming: readonly LoopMessage[]): LoopMessage[] {
  const bySeq = new Map(current.map((m) => [m.seq, m]));
  for (const m of incoming) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

function snippet(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function LoopPage({ id }: { id: string }) {
  const { t } = useI18n();
  const me = useAccount();
  const loops = useLoops();
  const status = useLoopStatus(loops);
  const role = useLoopRole(loops);
  const detail = useResource(() => client.room(id), [id]);
  // where the "new messages" divider goes: above the first message this device had not shown
  // before this visit (undefined until known; null: nothing was new)
  const [divider, setDivider] = useState<number | null | undefined>(undefined);
  const [messages, setMessages] = useState<LoopMessage[]>([]);
  const [joined, setJoined] = useState<boolean | null>(null);
  const [removed, setRemoved] = useState(false);
  const reloadDetail = detail.reload;

  // what this device has read so far, then catch up; a Welcome may still be on its way
  useEffect(() => {
    if (!loops) return;
    let cancelled = false;
    setDivider(undefined);
    void (async () => {
      const before = await loops.lastRead(id).catch(() => 0);
      const isIn = await loops.joined(id);
      if (cancelled) return;
      setJoined(isIn);
      if (!isIn) {
        setDivider(null);
        await loops.acceptWelcomes();
        return;
      }
      const history = await loops.history(id);
      if (!cancelled) setMessages((current) => merge(history, current));
      const fresh = await loops.syncRoom(id);
      if (cancelled) return;
      const unread = [...history, ...fresh].find((m) => m.seq > before && !m.own && (m.content.type === "text" || m.content.type === "file"));
      setDivider(unread?.seq ?? null);
    })();
    return () => {
      cancelled = true;
    };
  }, [loops, id]);

  useLoopEvents(loops, (event) => {
    if (event.type === "messages" && event.roomId === id) setMessages((current) => merge(current, event.messages));
    if (event.type === "joined" && event.roomId === id) {
      setJoined(true);
      void loops?.history(id).then((history) => setMessages((current) => merge(history, current)));
    }
    if (event.type === "room" && event.roomId === id) {
      if (event.change === "removed") setRemoved(true);
      else void reloadDetail();
    }
    if (event.type === "expired" && event.roomId === id) {
      const gone = new Set(event.seqs);
      setMessages((current) => current.filter((m) => !gone.has(m.seq)));
    }
  });

  const data = detail.resource.status === "ready" ? detail.resource.data : null;
  const gone = removed || (detail.resource.status === "error" && isCode(detail.resource.error, "not_found"));
  // a commit that breaks the loop's rules stopped it on this device: nothing more is read or sent
  const violation = useLoopViolation(loops, id);
  const orgRole = data ? loops?.organization(data.organizationSlug)?.role : null;
  const organizes = orgRole === "admin" || orgRole === "organizer";
  const otherInDirect = data?.kind === "direct" ? data.members.find((m) => m.accountId !== me.id) : undefined;
  const title = otherInDirect?.username ?? data?.name ?? t.loops.title;

  // messages whose timer ran out leave the screen at that moment (the leading tab deletes them
  // from this device, and the server has deleted their ciphertext)
  const [now, setNow] = useState(() => Date.now());
  const roomSeconds = data?.disappearingSeconds;
  const visible = useMemo(() => messages.filter((m) => (expiryOf(m, roomSeconds) ?? Infinity) > now), [messages, roomSeconds, now]);
  useEffect(() => {
    const next = Math.min(...visible.map((m) => expiryOf(m, roomSeconds) ?? Infinity));
    if (next === Infinity) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.min(MAX_TIMEOUT_MS, Math.max(0, next - Date.now()) + 20));
    return () => clearTimeout(timer);
  }, [visible, roomSeconds]);
  const shown = useMemo(() => fold(visible), [visible]);

  // everything on screen while the page is visible counts as read (once the divider knows where it goes)
  useEffect(() => {
    const last = messages.at(-1)?.seq;
    if (!loops || last === undefined || divider === undefined) return;
    const mark = () => {
      if (document.visibilityState === "visible") loops.markRead(id, last);
    };
    mark();
    document.addEventListener("visibilitychange", mark);
    return () => document.removeEventListener("visibilitychange", mark);
  }, [loops, id, messages, divider]);

  const nameOf = useCallback(
    (accountId: string) => {
      if (accountId === me.id) return t.loops.you;
      return data?.members.find((m) => m.accountId === accountId)?.username ?? t.loops.formerMember;
    },
    [data, me.id, t],
  );

  return (
    <div className="stack loop-page" data-loops={status} data-loops-tab={role} data-joined={joined === null ? undefined : String(joined)}>
      <p>
        <Link href={paths.loops()} className="back-link">
          <span aria-hidden="true" className="flip">
            ←
          </span>{" "}
          {t.loops.all}
        </Link>
      </p>
      <div className="loop-title">
        <PageHeading title={title}>
          <span dir="auto">{title}</span>
        </PageHeading>
        {data && (
          <p className="meta">
            <span dir="auto">{loops?.organization(data.organizationSlug)?.name ?? data.organizationSlug}</span>
            <span>{t.loops.kinds[data.kind]}</span>
            {data.disappearingSeconds && <span>{t.loops.disappearsAfter(timerLabel(t, data.disappearingSeconds))}</span>}
            {otherInDirect && <SafetyDirect loops={loops} roomId={id} accountId={otherInDirect.accountId} name={otherInDirect.username} />}
          </p>
        )}
      </div>
      {gone && <Notice tone="warning">{t.loops.removed}</Notice>}
      {violation && !gone && <LoopRulesAlert violation={violation} />}
      {data && !gone && <SafetyNotices loops={loops} room={data} me={me.id} joined={joined} />}
      {data ? (
        // after a removal what this device read stays readable here; nothing new arrives
        <Conversation
          loops={loops}
          room={data}
          me={me.id}
          shown={shown}
          joined={joined}
          removed={gone || violation !== null}
          offline={status === "offline" || status === "failed"}
          nameOf={nameOf}
          organizes={organizes}
          reload={detail.reload}
          divider={divider ?? null}
        />
      ) : (
        !gone && (
          <Loadable resource={detail.resource} reload={detail.reload}>
            {() => null}
          </Loadable>
        )
      )}
    </div>
  );
}

function timerLabel(t: ReturnType<typeof useI18n>["t"], seconds: number): string {
  const index = (TIMERS as readonly number[]).indexOf(seconds);
  if (index >= 0) return [t.loops.timers.hour, t.loops.timers.day, t.loops.timers.week, t.loops.timers.fourWeeks][index]!;
  return t.loops.timers.hours(Math.round(seconds / 3600));
}

interface ConversationProps {
  readonly loops: LoopSession | null;
  readonly room: RoomDetail;
  readonly me: string;
  readonly shown: readonly ShownMessage[];
  readonly joined: boolean | null;
  readonly removed: boolean;
  readonly offline: boolean;
  readonly nameOf: (accountId: string) => string;
  readonly organizes: boolean;
  readonly reload: () => Promise<void>;
  /** A "new messages" divider goes above the first message shown from this seq on (null: none). */
  readonly divider: number | null;
}

function Conversation({ loops, room, me, shown, joined, removed, offline, nameOf, organizes, reload, divider: newFrom }: ConversationProps) {
  const { t, language } = useI18n();
  const account = useAccount();
  const { instance } = useSession();
  const [text, setText] = useState("");
  const [replyTo, setReplyTo] = useState<number | null>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const [deleting, setDeleting] = useState<number | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const log = useRef<HTMLDivElement>(null);
  const divider = useRef<HTMLLIElement>(null);
  const nearBottom = useRef(true);
  const inputId = useId();
  const hintId = useId();
  const ready = Boolean(loops) && joined === true && !removed;
  const bySeq = useMemo(() => new Map(shown.map((m) => [m.seq, m])), [shown]);
  const usernames = useMemo(() => room.members.map((m) => m.username), [room.members]);
  const others = useMemo(() => room.members.filter((m) => m.accountId !== me).map((m) => m.username), [room.members, me]);
  const mention = useMentionSuggestions(others, text, setText, input);
  const [sharing] = useSharesTyping(me);
  const typingSignal = useTypingSignal(loops, room.id, sharing);
  const typing = useTypingPeople(loops, room.id);
  const maxAttachment = instance?.maxAttachmentBytes ?? null;
  const attachment = useAttachment(loops, room.id, maxAttachment);
  const drop = useFileDrop(attachment.choose, ready && attachment.upload === null);
  const firstNew = newFrom === null ? undefined : shown.find((m) => m.seq >= newFrom)?.seq;

  // newest at the bottom: follow new messages unless the person scrolled up to read
  useLayoutEffect(() => {
    const el = log.current;
    if (el && (nearBottom.current || shown.at(-1)?.own)) el.scrollTop = el.scrollHeight;
  }, [shown]);
  // opening a loop with unread messages: start at the first of them
  const shownDivider = useRef(false);
  useLayoutEffect(() => {
    const el = log.current;
    if (shownDivider.current || !el || !divider.current) return;
    shownDivider.current = true;
    el.scrollTop = Math.max(0, divider.current.offsetTop - el.offsetTop - 8);
    nearBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
  }, [firstNew]);

  const send = useAction(async (body: string) => {
    if (!loops) return;
    if (attachment.pending) await attachment.send(body);
    else if (editing !== null) await loops.send(room.id, { type: "edit", of: editing, body });
    else await loops.send(room.id, { type: "text", body, ...(replyTo !== null ? { replyTo } : {}) });
    // what was typed while this message was on its way stays in the composer
    setText((current) => (current.trim() === body ? "" : current));
    setReplyTo(null);
    setEditing(null);
    typingSignal.sent();
    nearBottom.current = true;
  });
  const act = useAction(async (content: Parameters<LoopSession["send"]>[1]) => {
    if (loops) await loops.send(room.id, content);
  });

  // Enter pressed while the previous message is still on its way: sent as soon as it has gone,
  // rather than dropped
  const sendAfter = useRef(false);
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const body = text.trim();
    if ((!body && !attachment.pending) || !ready) return;
    if (send.busy) {
      sendAfter.current = true;
      return;
    }
    void send.run(body);
  };
  useEffect(() => {
    if (send.busy || !sendAfter.current) return;
    sendAfter.current = false;
    const body = text.trim();
    if (body && ready) void send.run(body);
  }, [send.busy, send, text, ready]);
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (mention.onKeyDown(event)) return;
    // Enter sends, Shift+Enter starts a new line; never while an input method is composing
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
    if (event.key === "Escape" && (replyTo !== null || editing !== null)) {
      setReplyTo(null);
      setEditing(null);
      setText("");
    }
  };
  const closeMenu = (event: MouseEvent<HTMLElement>) => {
    event.currentTarget.closest("details")?.removeAttribute("open");
  };
  const startReply = (seq: number) => {
    setEditing(null);
    setReplyTo(seq);
    input.current?.focus();
  };
  const startEdit = (m: ShownMessage) => {
    setReplyTo(null);
    attachment.clear();
    setEditing(m.seq);
    setText(m.body);
    input.current?.focus();
  };
  const context = editing !== null ? bySeq.get(editing) : replyTo !== null ? bySeq.get(replyTo) : undefined;
  const cancelled = send.error instanceof DOMException && send.error.name === "AbortError";

  return (
    <div className={drop.over ? "conversation drop-target" : "conversation"} {...drop.handlers}>
      <p className="muted loop-note">{t.loops.historyNote}</p>
      {offline && !removed && <Notice tone="warning">{t.loops.offline}</Notice>}
      {joined === false && !removed && <Notice>{t.loops.waiting}</Notice>}
      {drop.over && (
        <p className="drop-hint" aria-hidden="true">
          {t.loops.dropHere}
        </p>
      )}
      <div
        ref={log}
        className="message-log"
        role="log"
        aria-live="polite"
        aria-label={t.loops.messages}
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          nearBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
        }}
      >
        {shown.length === 0 ? (
          <p className="empty">{t.loops.noMessages}</p>
        ) : (
          <ol className="messages">
            {shown.map((m) => {
              const quoted = m.replyTo !== null ? bySeq.get(m.replyTo) : undefined;
              const sender = nameOf(m.senderAccountId);
              return (
                <Fragment key={m.seq}>
                  {m.seq === firstNew && (
                    <li ref={divider} className="new-divider" role="separator">
                      <span>{t.loops.newMessages}</span>
                    </li>
                  )}
                  <li className={m.own ? "message own" : "message"} data-seq={m.seq}>
                    <p className="message-head">
                      <bdi className="message-sender">{sender}</bdi>
                      <MessageTime ms={m.createdAt} />
                    </p>
                    {m.replyTo !== null && (
                      <blockquote className="message-quote">
                        <span className="visually-hidden">{t.loops.inReplyTo} </span>
                        {quoted ? (
                          <>
                            <bdi className="message-sender">{nameOf(quoted.senderAccountId)}</bdi>{" "}
                            <span dir="auto">{quoted.deleted ? t.loops.deleted : snippet(quoted.body || quoted.file?.name || "")}</span>
                          </>
                        ) : (
                          t.loops.unavailable
                        )}
                      </blockquote>
                    )}
                    {m.deleted ? (
                      <p className="message-body deleted">{t.loops.deleted}</p>
                    ) : (
                      <>
                        {m.file && <AttachmentView loops={loops} roomId={room.id} file={m.file} />}
                        {m.body && (
                          <p className="message-body" dir="auto">
                            <MentionText text={m.body} usernames={usernames} me={account.username} />
                          </p>
                        )}
                        {m.edited && <p className="message-edited">{t.loops.edited}</p>}
                      </>
                    )}
                    {m.reactions.size > 0 && (
                      <ul className="reactions" aria-label={t.loops.reactions}>
                        {[...m.reactions].map(([emoji, who]) => (
                          <li key={emoji}>
                            <button
                              type="button"
                              className="reaction"
                              aria-pressed={who.includes(me)}
                              title={who.map(nameOf).join(", ")}
                              aria-label={t.loops.reactedWith(emoji, who.length)}
                              onClick={() => {
                                if (ready && !who.includes(me)) void act.run({ type: "reaction", to: m.seq, emoji });
                              }}
                            >
                              <span aria-hidden="true">{emoji}</span> <span aria-hidden="true">{who.length}</span>
                            </button>
                          </li>
                        ))}
                      </ul>
                    )}
                    {!m.deleted && ready && (
                      <details className="message-menu">
                        <summary title={t.loops.actions}>
                          <span aria-hidden="true">⋯</span>
                          <span className="visually-hidden">{t.loops.actionsFor(sender)}</span>
                        </summary>
                        <div className="message-menu-body">
                          <Button variant="quiet" onClick={(e) => (closeMenu(e), startReply(m.seq))}>
                            {t.loops.reply}
                          </Button>
                          <div className="emoji-row" role="group" aria-label={t.loops.react}>
                            {REACTIONS.map((emoji) => (
                              <button
                                key={emoji}
                                type="button"
                                className="emoji"
                                aria-label={t.loops.reactWith(emoji)}
                                onClick={(e) => {
                                  closeMenu(e);
                                  void act.run({ type: "reaction", to: m.seq, emoji });
                                }}
                              >
                                {emoji}
                              </button>
                            ))}
                          </div>
                          {m.own && (
                            <>
                              {!m.file && (
                                <Button variant="quiet" onClick={(e) => (closeMenu(e), startEdit(m))}>
                                  {t.loops.edit}
                                </Button>
                              )}
                              <Button variant="quiet" onClick={(e) => (closeMenu(e), setDeleting(m.seq))}>
                                {t.loops.delete}
                              </Button>
                            </>
                          )}
                        </div>
                      </details>
                    )}
                  </li>
                </Fragment>
              );
            })}
          </ol>
        )}
      </div>
      <TypingIndicator names={typing.map(nameOf)} />
      <ErrorAlert error={act.error} />
      {!removed && (
        <form className="composer" onSubmit={submit} aria-busy={send.busy || undefined}>
          {context && (
            <div className="composer-context">
              <p>
                <strong>{editing !== null ? t.loops.editing : t.loops.replyingTo(nameOf(context.senderAccountId))}</strong>{" "}
                <span dir="auto">{snippet(context.body || context.file?.name || "")}</span>
              </p>
              <Button
                variant="quiet"
                onClick={() => {
                  if (editing !== null) setText("");
                  setReplyTo(null);
                  setEditing(null);
                  input.current?.focus();
                }}
              >
                {t.common.cancel}
              </Button>
            </div>
          )}
          {attachment.pending && !attachment.upload && (
            <div className="composer-context composer-file">
              <p>
                <span aria-hidden="true">📎</span> {t.loops.attached(attachment.pending.name, formatFileSize(language, attachment.pending.size))}
              </p>
              <Button
                variant="quiet"
                onClick={() => {
                  attachment.clear();
                  input.current?.focus();
                }}
              >
                {t.loops.removeFile}
              </Button>
            </div>
          )}
          {attachment.upload && <UploadProgress upload={attachment.upload} onCancel={attachment.cancel} />}
          <label htmlFor={inputId} className="visually-hidden">
            {t.loops.message}
          </label>
          <div className="composer-row">
            <textarea
              ref={input}
              id={inputId}
              className="input composer-input"
              rows={2}
              dir="auto"
              value={text}
              maxLength={20_000}
              placeholder={ready ? (attachment.pending ? t.loops.captionPlaceholder : t.loops.placeholder) : undefined}
              disabled={!ready}
              aria-describedby={hintId}
              {...mention.inputProps}
              onChange={(e) => {
                setText(e.target.value);
                mention.onCaret(e.target);
                typingSignal.input(e.target.value);
              }}
              onSelect={(e) => mention.onCaret(e.currentTarget)}
              onKeyDown={onKeyDown}
            />
            <Button type="submit" variant="primary" busy={send.busy} aria-disabled={!ready || (!text.trim() && !attachment.pending) || undefined}>
              {editing !== null ? t.common.save : t.loops.send}
            </Button>
          </div>
          {mention.list}
          <div className="composer-tools">
            {editing === null && <AttachButton onFile={attachment.choose} disabled={!ready || send.busy} describedBy={`${hintId}-files`} />}
            <p id={`${hintId}-files`} className="field-hint">
              {maxAttachment === null ? t.loops.attachHintAny : t.loops.attachHint(formatFileSize(language, maxFileBytes(maxAttachment)))}
            </p>
          </div>
          <p id={hintId} className="field-hint">
            {t.loops.enterHint} {t.loops.mentionHint}
          </p>
          <div role="alert" className="alert-slot">
            {attachment.problem && <p className="alert alert-error">{attachment.problem}</p>}
          </div>
          {cancelled ? <p className="alert alert-info">{t.loops.uploadCancelled}</p> : <ErrorAlert error={send.error} />}
        </form>
      )}
      {!removed && <MembersPanel loops={loops} room={room} me={me} organizes={organizes} reload={reload} />}
      {!removed && <TimerPanel room={room} organizes={organizes} reload={reload} />}
      {!removed && <TypingPanel accountId={me} />}
      <ConfirmDialog
        open={deleting !== null}
        title={t.loops.deleteTitle}
        confirmLabel={t.loops.delete}
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (loops && deleting !== null) await loops.send(room.id, { type: "delete", of: deleting });
          announce(t.loops.deletedDone);
        }}
      >
        <p>{t.loops.deleteBody}</p>
      </ConfirmDialog>
    </div>
  );
}

function MessageTime({ ms }: { ms: number }) {
  const { language, format } = useI18n();
  const time = useMemo(() => new Intl.DateTimeFormat(language, { timeStyle: "short" }), [language]);
  const today = new Date(ms).toDateString() === new Date().toDateString();
  return (
    <time className="message-time" dateTime={new Date(ms).toISOString()} title={format.dateTime(ms)}>
      {today ? time.format(ms) : format.dateTime(ms)}
    </time>
  );
}

function MembersPanel({ loops, room, me, organizes, reload }: { loops: LoopSession | null; room: RoomDetail; me: string; organizes: boolean; reload: () => Promise<void> }) {
  const { t } = useI18n();
  const manage = organizes && room.kind === "group";
  const org = useResource<Member[]>(() => (manage ? client.members(room.organizationSlug) : Promise.resolve([])), [manage, room.organizationSlug]);
  const [toAdd, setToAdd] = useState("");
  const change = useAction(async (op: "add" | "remove", accountId: string, username: string) => {
    if (op === "add") await client.addRoomMember(room.id, accountId);
    else await client.removeRoomMember(room.id, accountId);
    // bring the encryption group in line now: a removed person's devices can read nothing sent after this
    await loops?.reconcile(room.id);
    announce(op === "add" ? t.loops.added(username) : t.loops.removedPerson(username));
    setToAdd("");
    await reload();
  });
  const inRoom = new Set(room.members.map((m) => m.accountId));
  const candidates = org.resource.status === "ready" ? org.resource.data.filter((m) => !inRoom.has(m.accountId)) : [];
  return (
    <section className="stack loop-panel" aria-labelledby="loop-members">
      <h2 id="loop-members">{t.loops.members}</h2>
      <p className="muted">{t.circles.memberCount(room.members.length)}</p>
      <ErrorAlert error={change.error} />
      <ul className="row-list" aria-labelledby="loop-members">
        {room.members.map((m) => (
          <li key={m.accountId} className="row" data-username={m.username}>
            <div className="row-main">
              <p className="row-title">
                <bdi>{m.username}</bdi>
                {m.accountId === me && <span className="muted"> {t.members.you}</span>}
                {m.accountId !== me && <SafetyMark loops={loops} accountId={m.accountId} name={m.username} />}
              </p>
              <p className="meta">
                {t.loops.devices(m.devices.length)}
                {m.accountId !== me && <SafetyLink roomId={room.id} accountId={m.accountId} name={m.username} />}
              </p>
            </div>
            {manage && m.accountId !== me && (
              <div className="row-actions">
                <Button variant="quiet" busy={change.busy} aria-label={t.loops.removeLabel(m.username)} onClick={() => void change.run("remove", m.accountId, m.username)}>
                  {t.common.remove}
                </Button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {manage && candidates.length > 0 && (
        <form
          className="card stack"
          aria-busy={change.busy || undefined}
          onSubmit={(event) => {
            event.preventDefault();
            const member = candidates.find((c) => c.accountId === toAdd);
            if (member) void change.run("add", member.accountId, member.username);
          }}
        >
          <SelectField label={t.loops.addWho} value={toAdd} onChange={(e) => setToAdd(e.target.value)}>
            <option value="">—</option>
            {candidates.map((c) => (
              <option key={c.accountId} value={c.accountId}>
                {c.username}
              </option>
            ))}
          </SelectField>
          <div className="actions">
            <Button type="submit" busy={change.busy} aria-disabled={!toAdd || undefined}>
              {t.circles.addSubmit}
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}

function TimerPanel({ room, organizes, reload }: { room: RoomDetail; organizes: boolean; reload: () => Promise<void> }) {
  const { t } = useI18n();
  const canSet = organizes || room.kind === "direct";
  const current = room.disappearingSeconds === null ? "" : String(room.disappearingSeconds);
  const [value, setValue] = useState(current);
  useEffect(() => setValue(current), [current]);
  const save = useAction(async () => {
    await client.updateRoom(room.id, { disappearingSeconds: value === "" ? null : Number(value) });
    announce(t.loops.timerSaved);
    await reload();
  });
  const options: Array<[string, string]> = [["", t.loops.timers.off], ...TIMERS.map((s): [string, string] => [String(s), timerLabel(t, s)])];
  if (current && !options.some(([v]) => v === current)) options.push([current, timerLabel(t, Number(current))]);
  return (
    <section className="stack loop-panel" aria-labelledby="loop-timer">
      <h2 id="loop-timer">{t.loops.disappearing}</h2>
      <p className="muted">{t.loops.disappearingHint}</p>
      {canSet ? (
        <form
          className="inline-fields timer-form"
          aria-busy={save.busy || undefined}
          onSubmit={(event) => {
            event.preventDefault();
            void save.run();
          }}
        >
          <SelectField label={t.loops.disappearAfter} value={value} onChange={(e) => setValue(e.target.value)}>
            {options.map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </SelectField>
          <Button type="submit" busy={save.busy} aria-disabled={value === current || undefined}>
            {t.common.save}
          </Button>
        </form>
      ) : (
        <p>{current ? t.loops.disappearsAfter(timerLabel(t, Number(current))) : t.loops.timers.off}</p>
      )}
      <ErrorAlert error={save.error} />
    </section>
  );
}
