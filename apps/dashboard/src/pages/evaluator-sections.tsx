import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseMixPerArm, Comparison } from '../api/types';
import type { Translate } from '../charts/chart-types';
import { buildArmValuesChart, buildForestPlot, INDICATOR_GROUPS, IndicatorGroup } from '../charts/comparison-charts';
import { buildMixChart } from '../charts/population-charts';
import { ChartPanel } from '../components/chart-panel';
import { formatNumber, formatValue } from '../format';
import { ComparisonTable } from './comparison-table';

/*
 * The parts of the evaluator's page that read only the comparison: the table with its charts, and the case mix
 * per arm. The live page and a frozen snapshot (snapshot-evaluator.tsx) show them alike.
 */

/** The comparison table and its charts; `tools` (the downloads beside the CSV) follows the table. */
export function ComparisonSection({ comparison, tools }: { comparison: Comparison; tools?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      <p data-testid="practices-per-arm">{t('evaluator.practicesPerArm', { bundle: comparison.practices.BUNDLE, ffs: comparison.practices.FFS })}</p>
      <ComparisonTable comparison={comparison} />
      {tools}
      {INDICATOR_GROUPS.map((group) => (
        <GroupCharts key={group.key} comparison={comparison} group={group} />
      ))}
    </>
  );
}

function GroupCharts({ comparison, group }: { comparison: Comparison; group: IndicatorGroup }) {
  const { t, i18n } = useTranslation();
  const tr = t as Translate;
  const specs = useMemo(
    () => ({ arms: buildArmValuesChart(comparison.indicators, group, tr), forest: buildForestPlot(comparison.indicators, group, tr) }),
    // i18n.language re-labels the charts on a language switch.
    [comparison, group, i18n.language],
  );
  const name = t(`groups.${group.key}`);
  const rows = group.codes.length;
  const mcidIndicator = comparison.indicators.find((i) => group.codes.includes(i.code) && i.mcid !== null);
  const mcid = mcidIndicator ? t('evaluator.mcidLine', { mcid: formatValue(mcidIndicator.mcid, mcidIndicator.unit, true) }) : '';
  return (
    <div className="chart-pair" data-group={group.key}>
      <ChartPanel
        title={t('evaluator.armValues', { group: name })}
        description={t('evaluator.armAlt', { group: name, summary: specs.arms.summary })}
        spec={specs.arms}
        height={70 + rows * 46}
        csvName={`arm-waarden-${group.key}`}
        testId={`arm-chart-${group.key}`}
      />
      <ChartPanel
        title={t('evaluator.forest', { group: name })}
        description={t('evaluator.forestAlt', { group: name, mcid, summary: specs.forest.summary })}
        spec={specs.forest}
        // Rows of 34 px, the line labels above and up to three legend lines below (difference, MCID, MDD).
        height={150 + rows * 34}
        csvName={`verschil-${group.key}`}
        testId={`forest-${group.key}`}
      />
    </div>
  );
}

/** GOLD stage and KNGF profile per arm, and the mean age at intake. */
export function RiskSection({ caseMix }: { caseMix: CaseMixPerArm }) {
  const { t, i18n } = useTranslation();
  const specs = useMemo(
    () => ({ gold: buildMixChart(caseMix, 'goldStage', t as Translate), profile: buildMixChart(caseMix, 'profile', t as Translate) }),
    [caseMix, i18n.language],
  );
  return (
    <>
      <div className="chart-pair">
        <ChartPanel
          title={t('evaluator.goldMix')}
          description={t('evaluator.mixAlt', { what: t('filters.goldStage'), summary: specs.gold.summary })}
          spec={specs.gold}
          height={170}
          csvName="gold-per-arm"
          testId="gold-mix"
        />
        <ChartPanel
          title={t('evaluator.profileMix')}
          description={t('evaluator.mixAlt', { what: t('filters.profile'), summary: specs.profile.summary })}
          spec={specs.profile}
          height={170}
          csvName="profiel-per-arm"
          testId="profile-mix"
        />
      </div>
      <dl className="facts" data-testid="mean-age">
        {(['BUNDLE', 'FFS'] as const).map((arm) => (
          <div key={arm}>
            <dt>
              {t('evaluator.meanAge')}, {t(`arms.${arm}`).toLowerCase()}
            </dt>
            <dd>{formatNumber(caseMix[arm].meanAge, 1)}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
