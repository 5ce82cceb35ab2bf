import { useState, type FormEvent } from "react";
import { client } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Link, navigate, paths } from "../../router.tsx";
import { useLoops } from "../../loops/loop-session.tsx";
import { useAccount } from "../../session.tsx";
import { ErrorAlert } from "../../ui/alert.tsx";
import { announce } from "../../ui/announcer.tsx";
import { Button } from "../../ui/button.tsx";
import { ConfirmDialog } from "../../ui/confirm-dialog.tsx";
import { SelectField } from "../../ui/fields.tsx";
import { Loadable } from "../../ui/loadable.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { useAction, useResource } from "../../ui/use-async.ts";
import { canManageCircles, type OrgSectionProps } from "./org-page.tsx";

export function CircleDetailSection({ org, circleId }: OrgSectionProps & { circleId: string }) {
  const { t, format } = useI18n();
  const me = useAccount();
  const manage = canManageCircles(org.role);
  const circle = useResource(() => client.circle(org.slug, circleId), [org.slug, circleId]);
  // Only people who manage the circle need the organization's member list, to pick whom to add.
  const members = useResource(() => (manage ? client.members(org.slug) : Promise.resolve([])), [org.slug, manage]);
  const [deleting, setDeleting] = useState(false);
  const [toAdd, setToAdd] = useState("");
  const change = useAction(async (op: "add" | "remove", accountId: string, username: string) => {
    if (op === "add") await client.addToCircle(org.slug, circleId, accountId);
    else await client.removeFromCircle(org.slug, circleId, accountId);
    if (accountId === me.id && op === "remove") announce(t.circles.left);
    else announce(op === "add" ? t.circles.added(username) : t.circles.removed(username));
    if (op === "add") setToAdd("");
    await circle.reload();
  });

  const loops = useLoops();
  // the circle's loop exists once someone opened it; otherwise this person's device makes it
  const openLoop = useAction(async () => {
    if (!loops) throw new Error("loops are not ready");
    const existing = (await client.rooms()).find((r) => r.circleId === circleId);
    const room = existing ?? (await loops.createRoom(org.slug, { kind: "circle", circleId }));
    navigate(paths.loop(room.id));
  });

  const data = circle.resource.status === "ready" ? circle.resource.data : null;
  const title = data?.name ?? t.circles.title;
  return (
    <div className="stack">
      <p>
        <Link href={paths.org(org.slug, "circles")} className="back-link">
          <span aria-hidden="true" className="flip">
            ←
          </span>{" "}
          {t.circles.all}
        </Link>
      </p>
      <PageHeading title={title}>
        <span dir="auto">{title}</span>
      </PageHeading>
      <Loadable resource={circle.resource} reload={circle.reload}>
        {(detail) => {
          const inCircle = new Set(detail.members.map((m) => m.accountId));
          const candidates = members.resource.status === "ready" ? members.resource.data.filter((m) => !inCircle.has(m.accountId)) : [];
          const add = (event: FormEvent) => {
            event.preventDefault();
            const member = candidates.find((m) => m.accountId === toAdd);
            if (member) void change.run("add", member.accountId, member.username);
          };
          return (
            <>
              {detail.description && (
                <p className="org-description" dir="auto">
                  {detail.description}
                </p>
              )}
              {(inCircle.has(me.id) || manage) && (
                <div className="stack">
                  <div className="actions">
                    <Button variant="primary" busy={openLoop.busy || !loops} onClick={() => void openLoop.run()}>
                      {t.circles.openLoop}
                    </Button>
                  </div>
                  <ErrorAlert error={openLoop.error} />
                </div>
              )}
              <section className="stack" aria-labelledby="circle-people">
                <h2 id="circle-people">{t.circles.people}</h2>
                <p className="muted">{t.circles.memberCount(detail.members.length)}</p>
                <ErrorAlert error={change.error} />
                {detail.members.length === 0 ? (
                  <p className="empty">{t.circles.empty}</p>
                ) : (
                  <ul className="row-list" aria-labelledby="circle-people">
                    {detail.members.map((m) => (
                      <li key={m.accountId} className="row" data-username={m.username}>
                        <div className="row-main">
                          <p className="row-title">
                            <bdi>{m.username}</bdi>
                            {m.accountId === me.id && <span className="muted"> {t.members.you}</span>}
                          </p>
                          <p className="meta">{t.members.joined(format.date(m.addedAt))}</p>
                        </div>
                        <div className="row-actions">
                          {m.accountId === me.id ? (
                            <Button variant="quiet" busy={change.busy} onClick={() => void change.run("remove", m.accountId, m.username)}>
                              {t.circles.leave}
                            </Button>
                          ) : (
                            manage && (
                              <Button variant="quiet" busy={change.busy} aria-label={t.circles.removeLabel(m.username)} onClick={() => void change.run("remove", m.accountId, m.username)}>
                                {t.common.remove}
                              </Button>
                            )
                          )}
                        </div>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
              {manage && (
                <section className="stack" aria-labelledby="circle-add">
                  <h2 id="circle-add">{t.circles.add}</h2>
                  {members.resource.status === "ready" && candidates.length === 0 ? (
                    <p className="muted">{t.circles.everyoneIn}</p>
                  ) : (
                    <form className="card stack" onSubmit={add} aria-busy={change.busy || undefined}>
                      <SelectField label={t.circles.addWho} name="add-member" value={toAdd} onChange={(e) => setToAdd(e.target.value)}>
                        <option value="">—</option>
                        {candidates.map((m) => (
                          <option key={m.accountId} value={m.accountId}>
                            {m.username}
                          </option>
                        ))}
                      </SelectField>
                      <div className="actions">
                        <Button type="submit" variant="primary" busy={change.busy} aria-disabled={!toAdd || undefined}>
                          {t.circles.addSubmit}
                        </Button>
                      </div>
                    </form>
                  )}
                </section>
              )}
              {manage && (
                <div className="actions">
                  <Button variant="danger" onClick={() => setDeleting(true)}>
                    {t.circles.delete}
                  </Button>
                </div>
              )}
              <ConfirmDialog
                open={deleting}
                title={t.circles.deleteTitle(detail.name)}
                confirmLabel={t.circles.delete}
                onClose={() => setDeleting(false)}
                onConfirm={async () => {
                  await client.deleteCircle(org.slug, circleId);
                  announce(t.circles.deleted(detail.name));
                  navigate(paths.org(org.slug, "circles"));
                }}
              >
                <p>{t.circles.deleteBody}</p>
              </ConfirmDialog>
            </>
          );
        }}
      </Loadable>
    </div>
  );
}
