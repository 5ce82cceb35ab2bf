import { MAX_INVITE_HOURS, MAX_INVITE_USES, ROLES, type CreatedInvite, type Invite, type Role } from "@commune/protocol";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { client } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { ErrorAlert } from "../../ui/alert.tsx";
import { announce } from "../../ui/announcer.tsx";
import { Button } from "../../ui/button.tsx";
import { ConfirmDialog } from "../../ui/confirm-dialog.tsx";
import { Choice, ChoiceGroup, SelectField, TextField, focusFirstInvalid } from "../../ui/fields.tsx";
import { Loadable } from "../../ui/loadable.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { useAction, useResource } from "../../ui/use-async.ts";
import { isAdmin, type OrgSectionProps } from "./org-page.tsx";

type Status = "active" | "expired" | "revoked" | "usedUp";

function statusOf(invite: Invite, now: number): Status {
  if (invite.revoked) return "revoked";
  if (invite.expiresAt <= now) return "expired";
  if (invite.maxUses !== null && invite.uses >= invite.maxUses) return "usedUp";
  return "active";
}

export function InvitesSection({ org }: OrgSectionProps) {
  const { t } = useI18n();
  const { resource, reload } = useResource(() => client.invites(org.slug), [org.slug]);
  const [created, setCreated] = useState<CreatedInvite | null>(null);
  const [revoking, setRevoking] = useState<Invite | null>(null);
  return (
    <div className="stack">
      <PageHeading title={`${t.invites.title} · ${org.name}`}>{t.invites.title}</PageHeading>
      <CreateInviteForm
        slug={org.slug}
        admin={isAdmin(org.role)}
        onCreated={async (invite) => {
          setCreated(invite);
          await reload();
        }}
      />
      {created && <CreatedLink invite={created} />}
      <section className="stack" aria-labelledby="invites-list">
        <h2 id="invites-list">{t.invites.listTitle}</h2>
        <Loadable resource={resource} reload={reload}>
          {(invites) =>
            invites.length === 0 ? (
              <p className="empty">{t.invites.none}</p>
            ) : (
              <ul className="row-list" aria-labelledby="invites-list">
                {invites.map((invite) => (
                  <InviteRow key={invite.id} invite={invite} onRevoke={() => setRevoking(invite)} />
                ))}
              </ul>
            )
          }
        </Loadable>
      </section>
      <ConfirmDialog
        open={revoking !== null}
        title={t.invites.revokeTitle}
        confirmLabel={t.invites.revoke}
        onClose={() => setRevoking(null)}
        onConfirm={async () => {
          if (!revoking) return;
          await client.revokeInvite(org.slug, revoking.id);
          announce(t.invites.revoked);
          if (created?.id === revoking.id) setCreated(null);
          await reload();
        }}
      >
        <p>{t.invites.revokeBody}</p>
      </ConfirmDialog>
    </div>
  );
}

function InviteRow({ invite, onRevoke }: { invite: Invite; onRevoke: () => void }) {
  const { t, format } = useI18n();
  const status = statusOf(invite, Date.now());
  return (
    <li className="row invite-row" data-status={status}>
      <div className="row-main">
        <p className="row-title">
          {t.invites.linkFor(invite.role)} <span className={`badge badge-status-${status}`}>{t.invites.status[status]}</span>
        </p>
        <p className="meta">
          <span>{t.invites.usage(invite.uses, invite.maxUses)}</span>
          <span>
            <time dateTime={new Date(invite.expiresAt).toISOString()} title={format.dateTime(invite.expiresAt)}>
              {invite.expiresAt > Date.now() ? t.invites.expires(format.relative(invite.expiresAt)) : t.invites.expired(format.relative(invite.expiresAt))}
            </time>
          </span>
        </p>
      </div>
      {status === "active" && (
        <div className="row-actions">
          <Button variant="quiet" onClick={onRevoke}>
            {t.invites.revoke}
          </Button>
        </div>
      )}
    </li>
  );
}

function CreateInviteForm({ slug, admin, onCreated }: { slug: string; admin: boolean; onCreated: (invite: CreatedInvite) => Promise<void> }) {
  const { t } = useI18n();
  const form = useRef<HTMLFormElement>(null);
  const [role, setRole] = useState<Role>("member");
  const [amount, setAmount] = useState("7");
  const [unit, setUnit] = useState<"hours" | "days">("days");
  const [limited, setLimited] = useState(false);
  const [maxUses, setMaxUses] = useState("10");
  const [circleIds, setCircleIds] = useState<string[]>([]);
  const [errors, setErrors] = useState<{ amount?: string; maxUses?: string }>({});
  const circles = useResource(() => client.circles(slug), [slug]);
  const action = useAction(async (hours: number, uses: number | null) => {
    const invite = await client.createInvite(slug, { role, expiresInHours: hours, maxUses: uses, ...(circleIds.length ? { circleIds } : {}) });
    await onCreated(invite);
  });

  const maxAmount = unit === "hours" ? MAX_INVITE_HOURS : MAX_INVITE_HOURS / 24;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsedAmount = Number(amount);
    const parsedUses = Number(maxUses);
    const next: typeof errors = {};
    if (!Number.isInteger(parsedAmount) || parsedAmount < 1 || parsedAmount > maxAmount) next.amount = t.fieldProblems.range(1, maxAmount);
    if (limited && (!Number.isInteger(parsedUses) || parsedUses < 1 || parsedUses > MAX_INVITE_USES)) next.maxUses = t.fieldProblems.range(1, MAX_INVITE_USES);
    setErrors(next);
    if (Object.keys(next).length) return focusFirstInvalid(form.current);
    await action.run(unit === "hours" ? parsedAmount : parsedAmount * 24, limited ? parsedUses : null);
  };

  const roles = admin ? ROLES : (["member"] as const);
  const circleList = circles.resource.status === "ready" ? circles.resource.data : [];
  return (
    <section className="stack" aria-labelledby="invites-create">
      <h2 id="invites-create">{t.invites.createTitle}</h2>
      <form ref={form} className="card stack" onSubmit={submit} noValidate aria-busy={action.busy || undefined}>
        <SelectField label={t.invites.role} hint={admin ? t.roleDescriptions[role] : `${t.invites.organizerOnlyMembers} ${t.roleDescriptions.member}`} name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {t.roles[r]}
            </option>
          ))}
        </SelectField>
        <fieldset className="field">
          <legend className="field-label">{t.invites.duration}</legend>
          <div className="inline-fields">
            <TextField label={t.invites.amount} labelHidden className="narrow-field" name="expires-amount" type="number" inputMode="numeric" min={1} max={maxAmount} value={amount} onChange={(e) => setAmount(e.target.value)} error={errors.amount} />
            <SelectField label={t.invites.unit} labelHidden name="expires-unit" value={unit} onChange={(e) => setUnit(e.target.value as "hours" | "days")}>
              <option value="hours">{t.invites.hours}</option>
              <option value="days">{t.invites.days}</option>
            </SelectField>
          </div>
        </fieldset>
        <ChoiceGroup legend={t.invites.uses}>
          <Choice type="radio" name="limit" label={t.invites.unlimited} checked={!limited} onChange={() => setLimited(false)} />
          <Choice type="radio" name="limit" label={t.invites.limited} checked={limited} onChange={() => setLimited(true)} />
        </ChoiceGroup>
        {limited && (
          <TextField label={t.invites.maxUses} className="narrow-field" name="max-uses" type="number" inputMode="numeric" min={1} max={MAX_INVITE_USES} value={maxUses} onChange={(e) => setMaxUses(e.target.value)} error={errors.maxUses} />
        )}
        {circleList.length > 0 && (
          <ChoiceGroup legend={t.invites.circles}>
            {circleList.map((circle) => (
              <Choice
                key={circle.id}
                type="checkbox"
                label={<bdi>{circle.name}</bdi>}
                checked={circleIds.includes(circle.id)}
                onChange={(e) => setCircleIds((ids) => (e.target.checked ? [...ids, circle.id] : ids.filter((id) => id !== circle.id)))}
              />
            ))}
          </ChoiceGroup>
        )}
        <ErrorAlert error={action.error} />
        <div className="actions">
          <Button type="submit" variant="primary" busy={action.busy}>
            {t.invites.submit}
          </Button>
        </div>
      </form>
    </section>
  );
}

/** The new link, shown once (the server keeps only its hash), with a copy button. */
function CreatedLink({ invite }: { invite: CreatedInvite }) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => heading.current?.focus(), [invite.id]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(invite.url);
      announce(t.invites.copied);
    } catch {
      input.current?.select();
      announce(t.invites.copyFailed);
    }
  };
  return (
    <section className="card created-link stack" aria-labelledby="invite-created">
      <h2 id="invite-created" ref={heading} tabIndex={-1}>
        {t.invites.createdTitle}
      </h2>
      <p>{t.invites.createdHint}</p>
      <TextField label={t.invites.link} ref={input} name="invite-link" readOnly dir="ltr" value={invite.url} onFocus={(e) => e.target.select()} />
      <div className="actions">
        <Button variant="primary" onClick={() => void copy()}>
          {t.invites.copy}
        </Button>
      </div>
    </section>
  );
}
