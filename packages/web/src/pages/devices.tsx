import type { Device, Session } from "@commune/protocol";
import { useState } from "react";
import { client } from "../api.ts";
import { useI18n, type Messages } from "../i18n/index.tsx";
import { navigate, paths } from "../router.tsx";
import { useSession } from "../session.tsx";
import { ErrorAlert, Notice } from "../ui/alert.tsx";
import { announce } from "../ui/announcer.tsx";
import { Button } from "../ui/button.tsx";
import { ConfirmDialog } from "../ui/confirm-dialog.tsx";
import { Loadable } from "../ui/loadable.tsx";
import { PageHeading } from "../ui/page-heading.tsx";
import { useAction, useResource } from "../ui/use-async.ts";

/** The server describes software as "Firefox on Android" (English); say it in the page language. */
export function describeClient(t: Messages, client: string): string {
  if (!client || client === "unknown") return t.devices.unknownClient;
  const match = /^(.+) on (.+)$/.exec(client);
  return match ? t.devices.client(match[1]!, match[2]!) : client;
}

export function DevicesPage() {
  const { t } = useI18n();
  const session = useSession();
  const data = useResource(async () => {
    const [sessions, devices] = await Promise.all([client.sessions(), client.devices()]);
    return { sessions, devices };
  }, []);
  const [removing, setRemoving] = useState<Device | null>(null);
  const currentDeviceId = client.device?.deviceId ?? (data.resource.status === "ready" ? currentDevice(data.resource) : null);
  return (
    <div className="stack">
      <PageHeading title={t.devices.title}>{t.devices.title}</PageHeading>
      <p className="muted">{t.devices.intro}</p>
      <Loadable resource={data.resource} reload={data.reload}>
        {({ sessions, devices }) => (
          <>
            <section className="stack" aria-labelledby="sessions-title">
              <h2 id="sessions-title">{t.devices.sessionsTitle}</h2>
              <ul className="row-list" aria-labelledby="sessions-title">
                {sortCurrentFirst(sessions).map((s) => (
                  <SessionRow key={s.id} session={s} onRevoked={data.reload} />
                ))}
              </ul>
            </section>
            <section className="stack" aria-labelledby="devices-title">
              <h2 id="devices-title">{t.devices.devicesTitle}</h2>
              {devices.length === 0 ? (
                <p className="empty">{t.devices.none}</p>
              ) : (
                <ul className="row-list" aria-labelledby="devices-title">
                  {devices.map((d) => (
                    <DeviceRow key={d.id} device={d} current={d.id === currentDeviceId} onRemove={() => setRemoving(d)} />
                  ))}
                </ul>
              )}
            </section>
          </>
        )}
      </Loadable>
      <ConfirmDialog
        open={removing !== null}
        title={removing ? t.devices.removeTitle(describeClient(t, removing.name)) : ""}
        confirmLabel={t.devices.remove}
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          const wasCurrent = removing.id === currentDeviceId;
          await client.removeDevice(removing.id);
          announce(t.devices.removed(describeClient(t, removing.name)));
          if (wasCurrent) {
            session.end("session-ended");
            navigate(paths.signIn(), { replace: true });
          } else await data.reload();
        }}
      >
        <p>{t.devices.removeBody}</p>
        {removing && removing.id === currentDeviceId && <Notice tone="warning">{t.devices.removeCurrent}</Notice>}
      </ConfirmDialog>
    </div>
  );
}

function currentDevice(resource: { data: { sessions: readonly Session[] } }): string | null {
  return resource.data.sessions.find((s) => s.current)?.deviceId ?? null;
}

function sortCurrentFirst(sessions: readonly Session[]): Session[] {
  return [...sessions].sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt - a.lastSeenAt);
}

function SessionRow({ session, onRevoked }: { session: Session; onRevoked: () => Promise<void> }) {
  const { t, format } = useI18n();
  const name = describeClient(t, session.client);
  const revoke = useAction(async () => {
    await client.revokeSession(session.id);
    announce(t.devices.revoked);
    await onRevoked();
  });
  return (
    <li className="row" data-current={session.current || undefined}>
      <div className="row-main">
        <p className="row-title">
          {name} {session.current && <span className="badge badge-current">{t.devices.thisSession}</span>}
        </p>
        <p className="meta">
          <span>{session.deviceName ? t.devices.onDevice(session.deviceName) : t.devices.noDevice}</span>
          <span>{t.devices.signedIn(format.dateTime(session.createdAt))}</span>
          <span>{t.devices.lastActive(format.relative(session.lastSeenAt))}</span>
        </p>
        <ErrorAlert error={revoke.error} />
      </div>
      {!session.current && (
        <div className="row-actions">
          <Button variant="quiet" busy={revoke.busy} aria-label={t.devices.revokeLabel(name)} onClick={() => void revoke.run()}>
            {t.devices.revoke}
          </Button>
        </div>
      )}
    </li>
  );
}

function DeviceRow({ device, current, onRemove }: { device: Device; current: boolean; onRemove: () => void }) {
  const { t, format } = useI18n();
  return (
    <li className="row" data-current={current || undefined}>
      <div className="row-main">
        <p className="row-title">
          <bdi>{describeClient(t, device.name)}</bdi> {current && <span className="badge badge-current">{t.devices.thisDevice}</span>}
        </p>
        <p className="meta">
          <span>{t.devices.added(format.dateTime(device.createdAt))}</span>
          <span>{t.devices.lastActive(format.relative(device.lastSeenAt))}</span>
        </p>
      </div>
      <div className="row-actions">
        <Button variant="quiet" aria-label={t.devices.removeLabel(describeClient(t, device.name))} onClick={onRemove}>
          {t.devices.remove}
        </Button>
      </div>
    </li>
  );
}
