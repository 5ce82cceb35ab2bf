/**
 * /loops/:roomId/safety/:accountId — the safety number between the signed-in person and someone
 * they share a loop with: the 60 digits to read aloud, a QR code to be scanned, and three ways to
 * check the other person's number (camera, picture, typing). A match lets the person mark the
 * other verified on this device; a mismatch says what it means and what to do.
 */
import { checkSafetyCode, type SafetyComparison } from "@commune/client";
import { useEffect, useId, useState, type ChangeEvent, type FormEvent } from "react";
import { client } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { useLoops } from "../../loops/loop-session.tsx";
import { SafetyBadge } from "../../loops/safety-marks.tsx";
import { safetyWatch, useContacts } from "../../loops/safety-watch.ts";
import { Link, paths } from "../../router.tsx";
import { useAccount } from "../../session.tsx";
import { ErrorAlert, Notice } from "../../ui/alert.tsx";
import { announce } from "../../ui/announcer.tsx";
import { Button } from "../../ui/button.tsx";
import { TextField } from "../../ui/fields.tsx";
import { Loadable } from "../../ui/loadable.tsx";
import { PageHeading } from "../../ui/page-heading.tsx";
import { useAction, useResource } from "../../ui/use-async.ts";
import { QrCode } from "./safety-qr.tsx";
import { CameraScanner, decodePicture, type CameraProblem } from "./safety-scanner.tsx";
import "./safety.css";

type Result =
  | { readonly kind: "match" | "mismatch" | "invalid-number" | "invalid-code" | "no-code" | "keys-moved" | "verified" }
  | { readonly kind: "camera"; readonly problem: CameraProblem };

export function SafetyPage({ roomId, accountId }: { roomId: string; accountId: string }) {
  const { t } = useI18n();
  const me = useAccount();
  const detail = useResource(() => client.room(roomId), [roomId]);
  const data = detail.resource.status === "ready" ? detail.resource.data : null;
  const person = data?.members.find((m) => m.accountId === accountId && accountId !== me.id);
  const loopName = data ? (data.kind === "direct" ? (data.members.find((m) => m.accountId !== me.id)?.username ?? data.name) : data.name) : "";
  const name = person?.username ?? "";
  const title = person ? t.safety.title(name) : t.safety.title("…");

  return (
    <div className="stack safety-page">
      <p>
        <Link href={paths.loop(roomId)} className="back-link">
          <span aria-hidden="true" className="flip">
            ←
          </span>{" "}
          {data ? t.safety.back(loopName) : t.loops.all}
        </Link>
      </p>
      {data ? (
        person ? (
          <Safety accountId={accountId} name={name} title={title} />
        ) : (
          <>
            <PageHeading title={t.loops.title}>{t.loops.title}</PageHeading>
            <Notice tone="warning">{t.safety.notFound}</Notice>
          </>
        )
      ) : (
        <Loadable resource={detail.resource} reload={detail.reload}>
          {() => null}
        </Loadable>
      )}
    </div>
  );
}

function Safety({ accountId, name, title }: { accountId: string; name: string; title: string }) {
  const { t, format } = useI18n();
  const loops = useLoops();
  const contacts = useContacts(loops);
  const contact = contacts.get(accountId);
  const status = contact?.status ?? "unverified";
  // undefined while working it out; null when this device shares no joined loop with the person
  const [comparison, setComparison] = useState<SafetyComparison | null | undefined>(undefined);
  const [result, setResult] = useState<Result | null>(null);
  const [typed, setTyped] = useState("");
  const [scanning, setScanning] = useState(false);
  const keysSeen = contact?.keys.join(",") ?? "";
  const typedId = useId();

  // worked out again when this device sees the person's keys change
  useEffect(() => {
    if (!loops) return;
    let cancelled = false;
    void safetyWatch(loops)
      .compare(accountId)
      .then((c) => {
        if (!cancelled) setComparison(c);
      });
    return () => {
      cancelled = true;
    };
  }, [loops, accountId, keysSeen]);

  const check = (input: string, from: "typed" | "code") => {
    if (!comparison) return;
    const outcome = checkSafetyCode(comparison, input);
    if (outcome === "invalid") setResult({ kind: from === "code" || input.trim().startsWith("CSN") ? "invalid-code" : "invalid-number" });
    else setResult({ kind: outcome });
  };

  const mark = useAction(async () => {
    if (!loops || !comparison) return;
    const outcome = await safetyWatch(loops).markVerified(comparison);
    if (outcome.ok) {
      setResult({ kind: "verified" });
      announce(t.safety.verifiedNow(name));
    } else {
      setResult({ kind: "keys-moved" });
      setComparison(await safetyWatch(loops).compare(accountId));
    }
  });
  const unverify = useAction(async () => {
    if (!loops) return;
    await safetyWatch(loops).unverify(accountId);
    setResult(null);
    announce(t.safety.unverified(name));
  });
  const picture = useAction(async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    const text = await decodePicture(file).catch(() => null);
    if (text === null) setResult({ kind: "no-code" });
    else check(text, "code");
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    check(typed, "typed");
  };

  return (
    <>
      <div className="page-title-row safety-title">
        <PageHeading title={title}>{title}</PageHeading>
        <SafetyBadge status={status} name={name} />
      </div>
      <p className="lead">{t.safety.intro(name)}</p>
      {comparison === undefined ? (
        <p className="loading">
          <span className="spinner" aria-hidden="true" /> {t.safety.loading}
        </p>
      ) : comparison === null ? (
        <Notice tone="warning">{t.safety.notShared(name)}</Notice>
      ) : (
        <>
          <section className="stack card" aria-labelledby="safety-number-title">
            <h2 id="safety-number-title">{t.safety.numberTitle}</h2>
            <p className="safety-number" dir="ltr" translate="no" aria-label={t.safety.numberLabel(name)} role="group">
              {comparison.number.match(/\d{5}/g)!.map((group, i) => (
                <span key={i} className="safety-group">
                  {group}{" "}
                </span>
              ))}
            </p>
            <p className="muted">{t.safety.covers(comparison.ownDevices, comparison.theirDevices, name)}</p>
          </section>

          <section className="stack card safety-code" aria-labelledby="safety-qr-title">
            <h2 id="safety-qr-title">{t.safety.qrTitle}</h2>
            <QrCode text={comparison.qr} label={t.safety.qrLabel(name)} />
            <p className="muted">{t.safety.qrHint(name)}</p>
          </section>

          <section className="stack card" aria-labelledby="safety-check-title">
            <h2 id="safety-check-title">{t.safety.checkTitle(name)}</h2>
            <div className="actions">
              <Button variant={scanning ? "secondary" : "primary"} aria-pressed={scanning} onClick={() => setScanning((s) => !s)}>
                {scanning ? t.safety.scanStop : t.safety.scan(name)}
              </Button>
            </div>
            {scanning && (
              <div className="stack">
                <p className="muted">{t.safety.scanning}</p>
                <CameraScanner
                  label={t.safety.cameraLabel}
                  onCode={(text) => {
                    setScanning(false);
                    check(text, "code");
                  }}
                  onProblem={(problem) => {
                    setScanning(false);
                    setResult({ kind: "camera", problem });
                  }}
                />
              </div>
            )}
            <div className="field">
              <label htmlFor={`${typedId}-picture`} className="field-label">
                {t.safety.fromPicture}
              </label>
              <input id={`${typedId}-picture`} className="input safety-picture" type="file" accept="image/*" onChange={(e) => void picture.run(e)} />
            </div>
            <form className="stack" onSubmit={submit}>
              <TextField
                label={t.safety.typeLabel(name)}
                hint={t.safety.typeHint}
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
                inputMode="numeric"
                autoComplete="off"
                spellCheck={false}
                dir="ltr"
              />
              <div className="actions">
                <Button type="submit" aria-disabled={!typed.trim() || undefined}>
                  {t.safety.compare}
                </Button>
              </div>
            </form>
            <div className="safety-result" role="status">
              {result && <ResultNotice result={result} name={name} onMark={() => void mark.run()} marking={mark.busy} />}
            </div>
            <ErrorAlert error={mark.error ?? picture.error} />
          </section>
        </>
      )}

      <section className="stack" aria-labelledby="safety-status-title">
        <h2 id="safety-status-title">{t.safety.statusTitle}</h2>
        {contact?.change && (
          <div className="alert alert-warning">
            <p>{t.safety.changeWarning(name)}</p>
            <div className="actions">
              <Button variant="quiet" aria-label={t.safety.acknowledgeLabel(name)} onClick={() => loops && void safetyWatch(loops).acknowledge(accountId)}>
                {t.safety.acknowledge}
              </Button>
            </div>
          </div>
        )}
        {status === "verified" && contact?.verifiedAt ? (
          <>
            <p>{t.safety.verifiedOn(name, format.date(contact.verifiedAt))}</p>
            <div className="actions">
              <Button variant="quiet" busy={unverify.busy} onClick={() => void unverify.run()}>
                {t.safety.unverify}
              </Button>
            </div>
          </>
        ) : status === "changed" ? (
          <p>{t.safety.changedSince(name)}</p>
        ) : (
          <p>{t.safety.notVerified(name)}</p>
        )}
        <ErrorAlert error={unverify.error} />
        <p className="muted">{t.safety.deviceOnly}</p>
      </section>
    </>
  );
}

function ResultNotice({ result, name, onMark, marking }: { result: Result; name: string; onMark: () => void; marking: boolean }) {
  const { t } = useI18n();
  switch (result.kind) {
    case "match":
      return (
        <div className="alert alert-success stack" data-result="match">
          <p>{t.safety.match(name)}</p>
          <div className="actions">
            <Button variant="primary" busy={marking} onClick={onMark}>
              {t.safety.markVerified(name)}
            </Button>
          </div>
        </div>
      );
    case "verified":
      return (
        <Notice tone="success">
          <span data-result="verified">{t.safety.verifiedNow(name)}</span>
        </Notice>
      );
    case "mismatch":
      return (
        <div className="alert alert-warning" data-result="mismatch">
          <p>{t.safety.mismatch(name)}</p>
        </div>
      );
    case "invalid-number":
      return <Notice tone="warning">{t.safety.invalidNumber}</Notice>;
    case "invalid-code":
      return <Notice tone="warning">{t.safety.invalidCode}</Notice>;
    case "no-code":
      return <Notice tone="warning">{t.safety.noCodeInPicture}</Notice>;
    case "keys-moved":
      return <Notice tone="warning">{t.safety.keysMoved(name)}</Notice>;
    case "camera":
      return <Notice tone="warning">{result.problem === "denied" ? t.safety.cameraDenied : result.problem === "missing" ? t.safety.cameraMissing : t.safety.cameraUnavailable}</Notice>;
  }
}
