import { ROLES, type Member, type Role } from "@commune/protocol";
import { useState } from "react";
import { client } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { useAccount } from "../../session.tsx";
import { ErrorAlert } from "../../ui/alert.tsx";
import { announce } from "../../ui/announcer.tsx";
import { Button } from "../../ui/button.tsx";
import { ConfirmDialog } from "../../ui/confirm-dialog.tsx";
import { Loadable } from "../../ui/loadable.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { useAction, useResource } from "../../ui/use-async.ts";
import { isAdmin, type OrgSectionProps } from "./org-page.tsx";
import { RotateAfterAdminLeft } from "./organization-key-notices.tsx";

export function MembersSection({ org, reloadOrg }: OrgSectionProps) {
  const { t } = useI18n();
  const me = useAccount();
  const { resource, reload } = useResource(() => client.members(org.slug), [org.slug]);
  const [removing, setRemoving] = useState<Member | null>(null);
  // an admin just demoted or removed: offer to rotate the organization key
  const [formerAdmin, setFormerAdmin] = useState<string | null>(null);
  const admin = isAdmin(org.role);
  const refresh = async () => {
    await reload();
    await reloadOrg();
  };
  return (
    <div className="stack">
      <PageHeading title={`${t.members.title} · ${org.name}`}>{t.members.title}</PageHeading>
      {formerAdmin && <RotateAfterAdminLeft key={formerAdmin} org={org} username={formerAdmin} />}
      <Loadable resource={resource} reload={reload}>
        {(members) => (
          <>
            <p className="muted">{t.members.count(members.length)}</p>
            <ul className="row-list" aria-label={t.members.title}>
              {members.map((member) => (
                <MemberRow key={member.accountId} member={member} self={member.accountId === me.id} admin={admin} slug={org.slug} onChanged={refresh} onRemove={() => setRemoving(member)} onDemoted={() => setFormerAdmin(member.username)} />
              ))}
            </ul>
          </>
        )}
      </Loadable>
      <ConfirmDialog
        open={removing !== null}
        title={removing ? t.members.removeTitle(removing.username) : ""}
        confirmLabel={t.members.remove}
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          await client.removeMember(org.slug, removing.accountId);
          if (removing.role === "admin") setFormerAdmin(removing.username);
          announce(t.members.removed(removing.username));
          await refresh();
        }}
      >
        <p>{t.members.removeBody}</p>
      </ConfirmDialog>
    </div>
  );
}

function MemberRow({
  member,
  self,
  admin,
  slug,
  onChanged,
  onRemove,
  onDemoted,
}: {
  member: Member;
  self: boolean;
  admin: boolean;
  slug: string;
  onChanged: () => Promise<void>;
  onRemove: () => void;
  onDemoted: () => void;
}) {
  const { t, format } = useI18n();
  const [role, setRole] = useState<Role>(member.role);
  const change = useAction(async () => {
    await client.changeRole(slug, member.accountId, role);
    if (member.role === "admin" && role !== "admin") onDemoted();
    announce(t.members.roleChanged(member.username, role));
    await onChanged();
  });
  const selectId = `role-${member.accountId}`;
  return (
    <li className="row member-row" data-username={member.username}>
      <div className="row-main">
        <p className="row-title">
          <bdi>{member.username}</bdi>
          {self && <span className="muted"> {t.members.you}</span>}
        </p>
        <p className="meta">
          {!admin && <span className={`badge badge-${member.role}`}>{t.roles[member.role]}</span>}
          <span>{t.members.joined(format.date(member.joinedAt))}</span>
        </p>
      </div>
      {admin && (
        <div className="row-actions">
          <label htmlFor={selectId} className="visually-hidden">
            {t.members.roleOf(member.username)}
          </label>
          <select id={selectId} className="input select compact" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t.roles[r]}
              </option>
            ))}
          </select>
          {role !== member.role && (
            <Button variant="primary" busy={change.busy} onClick={() => void change.run()}>
              {t.members.changeRole}
            </Button>
          )}
          {!self && (
            <Button variant="quiet" aria-label={t.members.removeLabel(member.username)} onClick={onRemove}>
              {t.members.remove}
            </Button>
          )}
          <div className="row-error">
            <ErrorAlert error={change.error} />
          </div>
        </div>
      )}
    </li>
  );
}
