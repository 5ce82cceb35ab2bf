/**
 * /orgs/:slug/key (admins): what the organization key protects, which admin devices hold it, and
 * the three things an admin may need to do with it — make a new key (rotation), restore it on
 * this device with the recovery key, make a new recovery key.
 */
import type { AdminDeviceKeyState, OrganizationKeysStatus } from "@commune/protocol";
import { useState, type FormEvent } from "react";
import { client } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { useSession } from "../../session.tsx";
import { announce } from "../../ui/announcer.tsx";
import { Button } from "../../ui/button.tsx";
import { ConfirmDialog } from "../../ui/confirm-dialog.tsx";
import { TextArea } from "../../ui/fields.tsx";
import { Loadable } from "../../ui/loadable.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { useAction, useResource } from "../../ui/use-async.ts";
import type { OrgSectionProps } from "./org-page.tsx";
import { keyErrorText } from "./organization-key-notices.tsx";
import { RecoveryKeyPanel } from "./organization-key-recovery.tsx";

interface KeyPageData {
  readonly status: OrganizationKeysStatus;
  /** Key ids this device holds (opened and checked against their public keys). */
  readonly held: ReadonlySet<string>;
}

async function load(slug: string): Promise<KeyPageData> {
  // hand on what this device holds first, so the list below is already up to date
  await client.shareOrganizationKeys(slug).catch(() => undefined);
  const [status, ring] = await Promise.all([client.organizationKeyStatus(slug), client.organizationKeyRing(slug)]);
  return { status, held: new Set(ring?.keyIds ?? []) };
}

function KeyError({ error }: { error: unknown }) {
  const { t } = useI18n();
  return (
    <div role="alert" className="alert-slot">
      {error ? <p className="alert alert-error">{keyErrorText(t, error)}</p> : null}
    </div>
  );
}

export function OrganizationKeySection({ org }: OrgSectionProps) {
  const { t } = useI18n();
  const m = t.orgKey;
  // this device's grants are read with its own sealing key: wait until the session has the device
  const { deviceId } = useSession();
  const { resource, reload } = useResource(() => (deviceId ? load(org.slug) : new Promise<never>(() => {})), [org.slug, deviceId]);
  const [shownKey, setShownKey] = useState<string | null>(null);
  return (
    <div className="stack">
      <PageHeading title={`${m.title} · ${org.name}`}>{m.title}</PageHeading>
      <p>{m.intro}</p>
      <section className="stack" aria-labelledby="key-protects">
        <h2 id="key-protects">{m.protectsTitle}</h2>
        <ul className="bullets">
          {m.protects.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </section>
      {shownKey ? (
        <RecoveryKeyPanel
          orgName={org.name}
          slug={org.slug}
          recoveryKey={shownKey}
          onDone={() => {
            setShownKey(null);
            void reload();
          }}
        />
      ) : (
        <Loadable resource={resource} reload={reload}>
          {(data) =>
            data.status.keys.length === 0 ? (
              <NoKeyYet slug={org.slug} onMade={setShownKey} />
            ) : (
              <KeyState slug={org.slug} data={data} reload={reload} onRecoveryKey={setShownKey} />
            )
          }
        </Loadable>
      )}
    </div>
  );
}

function NoKeyYet({ slug, onMade }: { slug: string; onMade: (recoveryKey: string) => void }) {
  const { t } = useI18n();
  const make = useAction(async () => onMade((await client.setUpOrganizationKey(slug)).recoveryKey));
  return (
    <section className="card stack" aria-labelledby="key-none">
      <h2 id="key-none">{t.orgKey.noKeyTitle}</h2>
      <p>{t.orgKey.noKey}</p>
      <KeyError error={make.error} />
      <div className="actions">
        <Button variant="primary" busy={make.busy} onClick={() => void make.run()}>
          {t.orgKey.createKey}
        </Button>
      </div>
    </section>
  );
}

function KeyState({ slug, data, reload, onRecoveryKey }: { slug: string; data: KeyPageData; reload: () => Promise<void>; onRecoveryKey: (key: string) => void }) {
  const { t, format } = useI18n();
  const m = t.orgKey;
  const { status, held } = data;
  const current = status.keys.find((k) => k.retiredAt === null) ?? status.keys[0]!;
  const older = status.keys.length - 1;
  const holdsCurrent = held.has(current.id);
  const holdsAll = status.keys.every((k) => held.has(k.id));
  const me = client.device?.deviceId ?? null;
  const waiting = status.devices.some((d) => d.sealPublicKey !== null && d.missingKeyIds.some((k) => held.has(k)));
  const [rotating, setRotating] = useState(false);
  const [replacing, setReplacing] = useState(false);
  const [rotateError, setRotateError] = useState<unknown>(null);
  const [replaceError, setReplaceError] = useState<unknown>(null);
  const share = useAction(async () => {
    const { devices } = await client.shareOrganizationKeys(slug);
    announce(devices > 0 ? m.shared(devices) : m.nothingToShare);
    await reload();
  });
  return (
    <>
      <section className="card stack" aria-labelledby="key-status">
        <h2 id="key-status">{m.currentKey}</h2>
        <p className="meta">{m.madeOn(format.date(current.createdAt), current.createdBy)}</p>
        {older > 0 && <p>{m.olderKeys(older)}</p>}
        {status.recovery && <p className="muted">{m.recoverySet(format.date(status.recovery.updatedAt))}</p>}
        <p className={holdsCurrent ? "alert alert-success" : "alert alert-warning"}>{holdsCurrent ? m.thisDeviceHolds : m.thisDeviceLacks}</p>
      </section>

      <section className="stack" aria-labelledby="key-devices">
        <h2 id="key-devices">{m.devicesTitle}</h2>
        <p className="muted">{m.trust}</p>
        <ul className="row-list" aria-labelledby="key-devices">
          {status.devices.map((d) => (
            <DeviceRow key={d.deviceId} device={d} self={d.deviceId === me} />
          ))}
        </ul>
        <KeyError error={share.error} />
        {waiting && (
          <div className="actions">
            <Button busy={share.busy} onClick={() => void share.run()}>
              {m.shareNow}
            </Button>
          </div>
        )}
      </section>

      <section className="stack" aria-labelledby="key-rotate">
        <h2 id="key-rotate">{m.rotateTitle}</h2>
        <p>{m.rotateBody}</p>
        <KeyError error={rotateError} />
        <div className="actions">
          <Button onClick={() => setRotating(true)}>{m.rotate}</Button>
        </div>
      </section>

      {!holdsAll && <RecoverForm slug={slug} onRecovered={reload} />}

      <section className="stack" aria-labelledby="key-new-recovery">
        <h2 id="key-new-recovery">{m.newRecoveryTitle}</h2>
        <p>{m.newRecoveryBody}</p>
        <KeyError error={replaceError} />
        <div className="actions">
          <Button onClick={() => setReplacing(true)}>{m.newRecovery}</Button>
        </div>
      </section>

      <ConfirmDialog
        open={rotating}
        danger={false}
        title={m.rotateConfirmTitle}
        confirmLabel={m.rotate}
        onClose={() => setRotating(false)}
        onConfirm={async () => {
          // failures are told on the page, under the button, where there is room for the sentence
          setRotateError(null);
          try {
            await client.rotateOrganizationKey(slug);
          } catch (error) {
            setRotateError(error);
            return;
          }
          announce(m.rotated);
          await reload();
        }}
      >
        <p>{m.rotateConfirmBody}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={replacing}
        title={m.newRecoveryConfirmTitle}
        confirmLabel={m.newRecovery}
        onClose={() => setReplacing(false)}
        onConfirm={async () => {
          setReplaceError(null);
          try {
            onRecoveryKey((await client.replaceRecoveryKey(slug)).recoveryKey);
          } catch (error) {
            setReplaceError(error);
          }
        }}
      >
        <p>{m.newRecoveryConfirmBody}</p>
      </ConfirmDialog>
    </>
  );
}

function DeviceRow({ device, self }: { device: AdminDeviceKeyState; self: boolean }) {
  const { t } = useI18n();
  const m = t.orgKey;
  const state = device.sealPublicKey === null ? m.deviceNotReady : device.missingKeyIds.length === 0 ? m.deviceHas : m.deviceMissing;
  return (
    <li className="row" data-device={device.deviceId}>
      <div className="row-main">
        <p className="row-title">
          <bdi>{device.username}</bdi> · <bdi>{device.deviceName}</bdi>
          {self && <span className="muted"> ({m.thisDevice})</span>}
        </p>
        <p className="meta">
          <span className={device.missingKeyIds.length === 0 && device.sealPublicKey ? "badge badge-current" : "badge"}>{state}</span>
        </p>
      </div>
    </li>
  );
}

function RecoverForm({ slug, onRecovered }: { slug: string; onRecovered: () => Promise<void> }) {
  const { t } = useI18n();
  const m = t.orgKey;
  const [text, setText] = useState("");
  const recover = useAction(async () => {
    await client.recoverOrganizationKey(slug, text);
    setText("");
    announce(m.recovered);
    await onRecovered();
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void recover.run();
  };
  return (
    <section className="stack" aria-labelledby="key-recover">
      <h2 id="key-recover">{m.recoverTitle}</h2>
      <p>{m.recoverBody}</p>
      <form className="card stack" onSubmit={submit} noValidate aria-busy={recover.busy || undefined}>
        <TextArea
          label={m.recoveryLabel}
          hint={m.recoverHint}
          name="recovery-key"
          dir="ltr"
          rows={3}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
          error={recover.error ? keyErrorText(t, recover.error) : null}
        />
        <div className="actions">
          <Button type="submit" variant="primary" busy={recover.busy}>
            {m.recover}
          </Button>
        </div>
      </form>
    </section>
  );
}
