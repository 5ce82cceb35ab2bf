/**
 * The organization's choice of MLS cipher suite for its new loops: administrators choose, with
 * what the post-quantum suite costs in plain words; everyone else sees which one is in use.
 * Existing loops keep their suite (an MLS group cannot change suite), and the page says so.
 */
import { DEFAULT_MLS_SUITE, type MlsSuite } from "@commune/protocol";
import { useId, useState, type FormEvent } from "react";
import { client } from "../../api.ts";
import { useI18n, type Messages } from "../../i18n/index.tsx";
import { ErrorAlert } from "../../ui/alert.tsx";
import { announce } from "../../ui/announcer.tsx";
import { Button } from "../../ui/button.tsx";
import { Choice, ChoiceGroup } from "../../ui/fields.tsx";
import { useAction } from "../../ui/use-async.ts";
import { isAdmin, type OrgSectionProps } from "./org-page.tsx";

export const XWING_SUITE: MlsSuite = "MLS_256_XWING_AES256GCM_SHA512_Ed25519";

/** The two suites, in the order offered, with the names of their label and hint messages. */
const SUITES = [
  { suite: DEFAULT_MLS_SUITE, label: "standard", hint: "standardHint" },
  { suite: XWING_SUITE, label: "postQuantum", hint: "postQuantumHint" },
] as const;

function suiteName(t: Messages, suite: MlsSuite): string {
  return suite === XWING_SUITE ? t.orgSettings.postQuantum : t.orgSettings.standard;
}

export function LoopSuiteSettings({ org, reloadOrg }: OrgSectionProps) {
  const { t } = useI18n();
  const titleId = useId();
  const [suite, setSuite] = useState<MlsSuite>(org.loopSuite);
  const action = useAction(async () => {
    await client.updateOrganization(org.slug, { loopSuite: suite });
    await reloadOrg();
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await action.run();
    if (result.ok) announce(t.orgSettings.saved(suiteName(t, suite)));
  };
  return (
    <section className="stack" aria-labelledby={titleId} data-loop-suite={org.loopSuite}>
      <h2 id={titleId}>{t.orgSettings.loopSuiteTitle}</h2>
      <p>{t.orgSettings.loopSuiteIntro}</p>
      {isAdmin(org.role) ? (
        <form className="card stack" onSubmit={submit} noValidate aria-busy={action.busy || undefined}>
          <ChoiceGroup legend={t.orgSettings.loopSuiteLegend} hint={t.orgSettings.existing}>
            {SUITES.map(({ suite: value, label, hint }) => (
              <Choice
                key={value}
                type="radio"
                name="loop-suite"
                value={value}
                label={t.orgSettings[label]}
                hint={t.orgSettings[hint]}
                checked={suite === value}
                onChange={() => setSuite(value)}
              />
            ))}
          </ChoiceGroup>
          <div>
            <h3>{t.orgSettings.costsTitle}</h3>
            <ul className="bullets">
              {t.orgSettings.costs.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </div>
          <ErrorAlert error={action.error} />
          <div className="actions">
            <Button type="submit" variant="primary" busy={action.busy}>
              {t.orgSettings.save}
            </Button>
          </div>
        </form>
      ) : (
        <>
          <p>{t.orgSettings.current(suiteName(t, org.loopSuite))}</p>
          <p className="muted">{t.orgSettings.existing}</p>
        </>
      )}
    </section>
  );
}
