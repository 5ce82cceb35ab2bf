/**
 * A loop stopped on this device: the engine refused a commit that breaks the room's rules (a
 * lying server, or a member going around the server's member list). The hook follows the engine's
 * record; the alert says what happened and what to do.
 */
import type { LoopViolation } from "@commune/client";
import { useEffect, useState } from "react";
import { useI18n } from "../i18n/index.tsx";
import type { LoopSession } from "./loop-session.tsx";

/** The refused commit of this loop on this device, or null while the loop keeps its rules. */
export function useLoopViolation(loops: LoopSession | null, roomId: string): LoopViolation | null {
  const [violation, setViolation] = useState<LoopViolation | null>(null);
  useEffect(() => {
    setViolation(null);
    if (!loops) return;
    let stop = () => {};
    let cancelled = false;
    void loops.engine().then(async (engine) => {
      if (cancelled) return;
      stop = engine.policy.subscribe((v) => {
        if (v.roomId === roomId) setViolation(v);
      });
      const found = await engine.violation(roomId);
      if (!cancelled && found) setViolation(found);
    });
    return () => {
      cancelled = true;
      stop();
    };
  }, [loops, roomId]);
  return violation;
}

export function LoopRulesAlert({ violation }: { violation: LoopViolation }) {
  const { t } = useI18n();
  return (
    <div role="alert" className="alert alert-error" data-loop-violation={violation.rule}>
      <p>
        <strong>{t.loopRules.title}</strong>
      </p>
      <p>{t.loopRules.why(t.loopRules.reasons[violation.rule])}</p>
      <p>{t.loopRules.what}</p>
    </div>
  );
}
