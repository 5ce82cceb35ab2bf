/**
 * The organization key outside its own page: handing it on to admin devices that lack it whenever
 * an admin opens the organization, error sentences for the key's own failures, and the offer to
 * rotate right after an admin was removed.
 */
import { ApiError, OrganizationKeyError, RecoveryKeyError } from "@commune/client";
import type { OrganizationSummary } from "@commune/protocol";
import { useEffect, useState } from "react";
import { client } from "../../api.ts";
import { errorText } from "../../errors.ts";
import { useI18n, type Messages } from "../../i18n/index.tsx";
import { Link, paths } from "../../router.tsx";
import { useSession } from "../../session.tsx";
import { announce } from "../../ui/announcer.tsx";
import { Button } from "../../ui/button.tsx";
import { useAction } from "../../ui/use-async.ts";

/**
 * Renders nothing; when an admin opens an organization, seals the keys this device holds to the
 * admin devices that lack them, so new admins receive the key without anyone acting.
 */
export function OrganizationKeySharer({ org }: { org: OrganizationSummary }) {
  const admin = org.role === "admin";
  // the device's own keys are loaded (and its sealing key published) once the session has it
  const { deviceId } = useSession();
  useEffect(() => {
    if (!admin || !deviceId) return;
    client.shareOrganizationKeys(org.slug).catch((error: unknown) => {
      // nothing to show: the key page says which devices wait, and the next visit tries again
      if (!(error instanceof ApiError)) console.warn("sharing the organization key failed", error);
    });
  }, [org.slug, admin, deviceId]);
  return null;
}

/** A sentence for a failure of the organization key, on this side or the server's. */
export function keyErrorText(t: Messages, error: unknown): string {
  const m = t.orgKey;
  if (error instanceof RecoveryKeyError) return error.problem === "checksum" ? m.recoverTypo : m.recoverFormat;
  if (error instanceof OrganizationKeyError) {
    switch (error.problem) {
      case "wrong_recovery_key":
        return m.recoverWrong;
      case "no_recovery_copy":
        return m.recoverNone;
      case "no_grant":
        return m.needsAllKeys;
      case "key_mismatch":
        return m.mismatch;
      case "device_not_ready":
        return m.notReady;
      case "already_set_up":
      case "no_key":
        return t.errors.conflict;
    }
  }
  return errorText(t, error);
}

/** Right after an admin was demoted or removed: why rotate, and a button that does it. */
export function RotateAfterAdminLeft({ org, username }: { org: OrganizationSummary; username: string }) {
  const { t } = useI18n();
  const [hasKey, setHasKey] = useState(false);
  const [done, setDone] = useState(false);
  useEffect(() => {
    let live = true;
    client.currentOrganizationKey(org.slug).then(
      (key) => live && setHasKey(key !== null),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [org.slug]);
  const rotate = useAction(async () => {
    await client.rotateOrganizationKey(org.slug);
    announce(t.orgKey.rotated);
    setDone(true);
  });
  if (!hasKey) return null;
  return (
    <div className="alert alert-warning stack" role="region" aria-label={t.orgKey.rotateTitle}>
      <p>{done ? t.orgKey.rotated : t.orgKey.afterAdminLeft(username)}</p>
      {!done && (
        <div className="actions">
          <Button variant="primary" busy={rotate.busy} onClick={() => void rotate.run()}>
            {t.orgKey.rotateNow}
          </Button>
          <Link href={paths.org(org.slug, "key")}>{t.orgKey.openKeyPage}</Link>
        </div>
      )}
      <div role="alert" className="alert-slot">
        {rotate.error ? <p className="alert alert-error">{keyErrorText(t, rotate.error)}</p> : null}
      </div>
    </div>
  );
}
