/**
 * /loops/new?kind=group|direct[&org=slug]: organizers start a group loop with people they pick;
 * anyone starts a direct loop with another member. The MLS group is made on this device.
 */
import type { Member, OrganizationSummary } from "@commune/protocol";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { client } from "../../api.ts";
import { fieldIssues, isCode } from "../../errors.ts";
import { useI18n } from "../../i18n/index.tsx";
import { useLoops } from "../../loops/loop-session.tsx";
import { Link, navigate, paths } from "../../router.tsx";
import { useAccount } from "../../session.tsx";
import { ErrorAlert } from "../../ui/alert.tsx";
import { Button } from "../../ui/button.tsx";
import { Choice, ChoiceGroup, SelectField, TextField, focusFirstInvalid } from "../../ui/fields.tsx";
import { Loadable } from "../../ui/loadable.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { useAction, useResource } from "../../ui/use-async.ts";

const organizes = (org: OrganizationSummary) => org.role === "admin" || org.role === "organizer";

export function NewLoopPage() {
  const { t } = useI18n();
  const me = useAccount();
  const loops = useLoops();
  const query = new URLSearchParams(location.search);
  const kind = query.get("kind") === "group" ? "group" : "direct";
  const orgs = useResource(() => client.organizations(), []);
  const [slug, setSlug] = useState(query.get("org") ?? "");
  const [name, setName] = useState("");
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [person, setPerson] = useState("");
  const [problems, setProblems] = useState<{ name?: string; members?: string }>({});
  const form = useRef<HTMLFormElement>(null);

  const choices = orgs.resource.status === "ready" ? orgs.resource.data.filter((o) => o.role && (kind === "direct" || organizes(o))) : [];
  const chosen = choices.find((o) => o.slug === slug) ?? choices[0];
  useEffect(() => {
    if (chosen && chosen.slug !== slug) setSlug(chosen.slug);
  }, [chosen, slug]);
  const members = useResource<Member[]>(() => (chosen ? client.members(chosen.slug) : Promise.resolve([])), [chosen?.slug]);
  const others = members.resource.status === "ready" ? members.resource.data.filter((m) => m.accountId !== me.id) : [];

  const create = useAction(async () => {
    if (!loops || !chosen) throw new Error("loops are not ready");
    try {
      const room =
        kind === "group"
          ? await loops.createRoom(chosen.slug, { kind: "group", name: name.trim(), memberIds: [...picked] })
          : await loops.createRoom(chosen.slug, { kind: "direct", accountId: person });
      navigate(paths.loop(room.id));
    } catch (error) {
      // a direct loop with this person exists already: open it
      if (kind === "direct" && isCode(error, "conflict")) {
        for (const room of (await client.rooms()).filter((r) => r.kind === "direct" && r.organizationSlug === chosen.slug)) {
          const detail = await client.room(room.id);
          if (detail.members.some((m) => m.accountId === person)) return navigate(paths.loop(room.id));
        }
      }
      throw error;
    }
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: typeof problems = {};
    if (kind === "group" && !name.trim()) next.name = t.fieldProblems.required;
    if (kind === "group" && picked.size === 0) next.members = t.loops.pickSomeone;
    if (kind === "direct" && !person) next.members = t.loops.pickSomeone;
    setProblems(next);
    if (Object.keys(next).length > 0) return focusFirstInvalid(form.current);
    void create.run();
  };
  const serverIssues = fieldIssues(create.error);
  const title = kind === "group" ? t.loops.newGroup : t.loops.newDirect;

  return (
    <div className="stack narrow">
      <p>
        <Link href={paths.loops()} className="back-link">
          <span aria-hidden="true" className="flip">
            ←
          </span>{" "}
          {t.loops.all}
        </Link>
      </p>
      <PageHeading title={title}>{title}</PageHeading>
      <p className="muted">{kind === "group" ? t.loops.groupIntro : t.loops.directIntro}</p>
      <Loadable resource={orgs.resource} reload={orgs.reload}>
        {() =>
          choices.length === 0 ? (
            <p className="empty">{kind === "group" ? t.loops.noOrgToOrganize : t.loops.noOrg}</p>
          ) : (
            <form ref={form} className="card stack" onSubmit={submit} noValidate aria-busy={create.busy || undefined}>
              <SelectField label={t.loops.organization} value={chosen?.slug ?? ""} onChange={(e) => {
                setSlug(e.target.value);
                setPicked(new Set());
                setPerson("");
              }}>
                {choices.map((o) => (
                  <option key={o.slug} value={o.slug}>
                    {o.name}
                  </option>
                ))}
              </SelectField>
              {kind === "group" && (
                <TextField
                  label={t.loops.name}
                  hint={t.loops.nameHint}
                  value={name}
                  maxLength={80}
                  required
                  onChange={(e) => setName(e.target.value)}
                  error={problems.name ?? (serverIssues.name ? t.fieldProblems.invalid : null)}
                />
              )}
              {members.resource.status !== "ready" ? (
                <Loadable resource={members.resource} reload={members.reload}>
                  {() => null}
                </Loadable>
              ) : others.length === 0 ? (
                <p className="empty">{t.loops.nobodyElse}</p>
              ) : kind === "group" ? (
                <ChoiceGroup legend={t.loops.people} error={problems.members ?? null}>
                  {others.map((m) => (
                    <Choice
                      key={m.accountId}
                      type="checkbox"
                      name="members"
                      value={m.accountId}
                      label={<bdi>{m.username}</bdi>}
                      checked={picked.has(m.accountId)}
                      onChange={(e) => {
                        const next = new Set(picked);
                        if (e.target.checked) next.add(m.accountId);
                        else next.delete(m.accountId);
                        setPicked(next);
                      }}
                    />
                  ))}
                </ChoiceGroup>
              ) : (
                <SelectField label={t.loops.person} value={person} onChange={(e) => setPerson(e.target.value)} error={problems.members ?? null}>
                  <option value="">—</option>
                  {others.map((m) => (
                    <option key={m.accountId} value={m.accountId}>
                      {m.username}
                    </option>
                  ))}
                </SelectField>
              )}
              <p className="muted">{t.loops.keysNote}</p>
              <ErrorAlert error={create.error} />
              <div className="actions">
                <Button type="submit" variant="primary" busy={create.busy || !loops}>
                  {t.loops.start}
                </Button>
              </div>
            </form>
          )
        }
      </Loadable>
    </div>
  );
}
