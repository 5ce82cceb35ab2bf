import type { PetitionState } from "@commune/protocol";
import { useI18n } from "../../i18n/index.tsx";

/** Draft, scheduled, open or closed, as a badge. */
export function StateBadge({ state }: { state: PetitionState }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge-petition-${state}`} data-state={state}>
      {t.petitions.org.states[state]}
    </span>
  );
}
