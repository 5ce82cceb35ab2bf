/**
 * Small pieces the loop page shows next to people: the verified / changed mark, and the link to
 * the safety number with them.
 */
import type { ContactStatus } from "@commune/client";
import { useI18n } from "../i18n/index.tsx";
import { Link, paths } from "../router.tsx";
import type { LoopSession } from "./loop-session.tsx";
import { useContacts } from "./safety-watch.ts";

/** "Verified" or "Changed" next to a name; nothing for people not verified on this device. */
export function SafetyMark({ loops, accountId, name }: { loops: LoopSession | null; accountId: string; name: string }) {
  const contacts = useContacts(loops);
  const status = contacts.get(accountId)?.status ?? "unverified";
  return <SafetyBadge status={status} name={name} />;
}

export function SafetyBadge({ status, name }: { status: ContactStatus; name: string }) {
  const { t } = useI18n();
  if (status === "unverified") return null;
  const verified = status === "verified";
  const label = verified ? t.safety.verifiedLabel(name) : t.safety.changedLabel(name);
  // the short word for the eye, the whole sentence for screen readers
  return (
    <span className={`badge safety-badge safety-badge-${status}`} data-safety={status} title={label}>
      <span aria-hidden="true">
        {verified ? "✓ " : "⚠ "}
        {verified ? t.safety.verified : t.safety.changed}
      </span>
      <span className="visually-hidden">{label}</span>
    </span>
  );
}

/** The link to the safety-number page for a person of this loop. */
export function SafetyLink({ roomId, accountId, name }: { roomId: string; accountId: string; name: string }) {
  const { t } = useI18n();
  return (
    <Link href={paths.safety(roomId, accountId)} className="safety-link" aria-label={t.safety.safetyLinkLabel(name)}>
      {t.safety.safetyLink}
    </Link>
  );
}

/** In a direct loop: the other person's mark and the link, under the title. */
export function SafetyDirect({ loops, roomId, accountId, name }: { loops: LoopSession | null; roomId: string; accountId: string; name: string }) {
  return (
    <span className="safety-direct">
      <SafetyMark loops={loops} accountId={accountId} name={name} /> <SafetyLink roomId={roomId} accountId={accountId} name={name} />
    </span>
  );
}
