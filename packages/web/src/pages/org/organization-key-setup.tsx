/**
 * Right after an organization is created: this browser makes the organization's key and shows
 * the recovery key once. If making the key fails, the organization exists without one and its key
 * page offers to try again.
 */
import type { OrganizationSummary } from "@commune/protocol";
import { useEffect, useRef, useState } from "react";
import { client } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Link, navigate, paths } from "../../router.tsx";
import { useSession } from "../../session.tsx";
import { ErrorAlert, Notice } from "../../ui/alert.tsx";
import { RecoveryKeyPanel } from "./organization-key-recovery.tsx";

type Step = { readonly status: "making" } | { readonly status: "made"; readonly recoveryKey: string } | { readonly status: "failed"; readonly error: unknown };

export function OrganizationKeySetup({ org }: { org: OrganizationSummary }) {
  const { t } = useI18n();
  const [step, setStep] = useState<Step>({ status: "making" });
  const started = useRef(false);
  const { deviceId } = useSession();
  useEffect(() => {
    // once this browser's device is ready (its sealing key receives the first copy), and only once
    if (started.current || !deviceId) return;
    started.current = true;
    client.setUpOrganizationKey(org.slug).then(
      ({ recoveryKey }) => setStep({ status: "made", recoveryKey }),
      (error: unknown) => setStep({ status: "failed", error }),
    );
  }, [org.slug, deviceId]);

  if (step.status === "making") {
    return (
      <p className="loading" aria-busy="true" role="status">
        <span className="spinner" aria-hidden="true" /> {t.orgKey.creatingKey}
      </p>
    );
  }
  if (step.status === "failed") {
    return (
      <div className="stack">
        <Notice tone="warning">{t.orgKey.keyFailed}</Notice>
        <ErrorAlert error={step.error} />
        <p>
          <Link href={paths.org(org.slug, "key")}>{t.orgKey.openKeyPage}</Link>
        </p>
      </div>
    );
  }
  return <RecoveryKeyPanel orgName={org.name} slug={org.slug} recoveryKey={step.recoveryKey} onDone={() => navigate(paths.org(org.slug), { replace: true })} />;
}
