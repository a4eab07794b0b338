import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { getAll, getJson } from '../api/client';
import type { Contract, Insurer } from '../api/types';
import { cell, TableData, Translate } from '../charts/chart-types';
import { downloadCsv, toCsv } from '../charts/csv';
import { buildCostSeriesChart, withheldCell } from '../charts/cost-charts';
import { useAuth } from '../auth/auth-context';
import { ChartPanel } from '../components/chart-panel';
import { DataTable } from '../components/data-table';
import { FreshnessBar } from '../components/freshness-bar';
import { BusyRegion, EmptySelection } from '../components/page-states';
import { useLoad } from '../components/use-load';
import { formatCents, formatDate, formatNumber } from '../format';
import { CostMatrix } from '../insurer/cost-matrix';
import { CounterfactualNote } from '../insurer/counterfactual-note';
import { buildInsurerPracticeChart } from '../insurer/insurer-charts';
import {
  apiQuery,
  InsurerCosts,
  InsurerSelection,
  matrixCsv,
  Measure,
  practiceLabel,
  searchOf,
  selectionOf,
} from '../insurer/insurer-data';
import { PeriodFilter } from '../insurer/period-filter';
import { UnknownPeriod, unknownPeriodValues } from '../insurer/unknown-period';
import { LoadError, Loading } from './status';

/**
 * The insurer's view (issue 16): what the counterfactual means, a period of calendar quarters, the totals per arm,
 * the practice x quarter table of paid and counterfactual (with CSV) whose practices and cells open the practice's
 * patients, the charts per practice and per quarter (the running quarter dotted, never a fall), and the contracts.
 * The selection stands in the address (?van=2025-Q1&tot=2025-Q4, and ?insurer= for an evaluator).
 */
export function InsurerPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const [search, setSearch] = useSearchParams();
  const selection = selectionOf(search);
  const own = user?.insurer ?? null;
  const all = useLoad(
    () => (own ? Promise.resolve([own]) : getAll<Insurer>('/api/v1/insurers')),
    [own?.uzovi],
  );
  const list = all.data ?? [];
  const uzovi = own?.uzovi ?? list.find((i) => i.uzovi === selection.insurer)?.uzovi ?? list[0]?.uzovi;
  const insurer = list.find((i) => i.uzovi === uzovi);
  const query = { ...selection, insurer: uzovi ?? null };

  const costs = useLoad(
    () =>
      uzovi
        ? getJson<InsurerCosts>(`/api/v1/insights/insurer-costs${apiQuery(query)}`)
        : Promise.resolve(undefined),
    [uzovi, selection.from, selection.to],
  );
  const contracts = useLoad(
    () =>
      uzovi ? getAll<Contract>(`/api/v1/contracts?insurer=${uzovi}`) : Promise.resolve([] as Contract[]),
    [uzovi],
  );
  const quarters = costs.data?.quarters ?? [];
  const unknown = unknownPeriodValues(search, costs.data ? quarters : undefined);
  const setPeriod = (period: { from: string | null; to: string | null }) =>
    setSearch(new URLSearchParams(searchOf({ insurer: own ? null : selection.insurer, ...period }).slice(1)));

  if (all.error) return <LoadError error={all.error} onRetry={all.reload} />;
  if (!insurer) return <Loading />;
  return (
    <>
      <h1>{t('insurer.title', { name: insurer.name })}</h1>
      {!own && (
        <label className="no-print">
          {t('insurer.choose')}{' '}
          <select value={uzovi} onChange={(e) => setSearch(new URLSearchParams({ insurer: e.target.value }))}>
            {list.map((i) => (
              <option key={i.uzovi} value={i.uzovi}>
                {i.name} ({i.uzovi})
              </option>
            ))}
          </select>
        </label>
      )}
      <CounterfactualNote />
      <PeriodFilter quarters={quarters} selection={selection} onChange={setPeriod} />
      {unknown.length > 0 ? (
        <UnknownPeriod values={unknown} onClear={() => setPeriod({ from: null, to: null })} />
      ) : (
        <>
          {costs.error && <LoadError error={costs.error} onRetry={costs.reload} />}
          {!costs.data && !costs.error && <Loading />}
          {costs.data && (
            <BusyRegion busy={costs.loading} testId="insurer-costs">
              {costs.data.totals.length === 0 ? (
                <EmptySelection
                  onClear={
                    selection.from || selection.to ? () => setPeriod({ from: null, to: null }) : undefined
                  }
                />
              ) : (
                <CostSections
                  costs={costs.data}
                  onRefresh={costs.reload}
                  selection={{ ...selection, insurer: own ? null : (uzovi ?? null) }}
                />
              )}
            </BusyRegion>
          )}
        </>
      )}
      <section aria-labelledby="contracts-title">
        <h2 id="contracts-title">{t('insurer.contracts')}</h2>
        {contracts.error && <LoadError error={contracts.error} onRetry={contracts.reload} />}
        {contracts.data && (
          <ContractsTable
            contracts={contracts.data}
            names={new Map((costs.data?.byPractice ?? []).map((p) => [p.practice.agb, p.practice.name]))}
          />
        )}
      </section>
    </>
  );
}

/** `selection.insurer`: the insurer an evaluator reads (carried into the practice pages' links); null for an insurer. */
function CostSections({
  costs,
  onRefresh,
  selection,
}: {
  costs: InsurerCosts;
  onRefresh(): void;
  selection: InsurerSelection;
}) {
  const { t, i18n } = useTranslation();
  const tr = t as Translate;
  const [measure, setMeasure] = useState<Measure>('total');
  const specs = useMemo(
    () => ({
      practice: buildInsurerPracticeChart(costs.byPractice, tr),
      quarter: buildCostSeriesChart(costs.byQuarter, tr, 'total'),
    }),
    [costs, i18n.language],
  );
  const running = costs.byQuarter.some((r) => r.complete === false);
  const totals: TableData = {
    head: [
      t('table.arm'),
      t('table.patients'),
      t('table.careQuarters'),
      t('table.paid'),
      t('table.counterfactual'),
      t('table.paidMinusCf'),
    ],
    rows: [
      ...costs.totals.map((r) =>
        r.careQuarters === null || r.paidCents === null || r.counterfactualCents === null
          ? [
              cell(t(`arms.${r.arm}`), r.arm),
              cell(formatNumber(r.patients), r.patients),
              withheldCell(tr),
              withheldCell(tr),
              withheldCell(tr),
              withheldCell(tr),
            ]
          : [
              cell(t(`arms.${r.arm}`), r.arm),
              cell(formatNumber(r.patients), r.patients),
              cell(formatNumber(r.careQuarters), r.careQuarters),
              cell(formatCents(r.paidCents), r.paidCents / 100),
              cell(formatCents(r.counterfactualCents), r.counterfactualCents / 100),
              cell(
                formatCents(r.paidCents - r.counterfactualCents),
                (r.paidCents - r.counterfactualCents) / 100,
              ),
            ],
      ),
      grandTotal(costs, tr),
    ],
  };
  const period =
    costs.period.from || costs.period.to
      ? t('insurerPages.period.words', {
          from: costs.period.from ?? costs.quarters[0],
          to: costs.period.to ?? costs.quarters[costs.quarters.length - 1],
        })
      : t('insurerPages.period.whole', { date: formatDate(costs.analysisDate, i18n.language) });
  const matrixTable = useMemo(() => matrixCsv(costs, tr), [costs, i18n.language]);
  return (
    <>
      <FreshnessBar freshness={costs} canRecompute={false} onRefresh={onRefresh} />
      <p className="insurer-period-words" data-testid="period-words">
        {period}
      </p>
      <section aria-labelledby="totals-title">
        <h2 id="totals-title">{t('insurer.totals')}</h2>
        {hasWithheld(costs) && (
          <p className="hint" data-testid="insurer-withheld-note">
            {t('insurer.withheldNote')}
          </p>
        )}
        <DataTable table={totals} caption={t('insurer.totals')} testId="insurer-totals" />
        <button
          type="button"
          className="link-button no-print"
          onClick={() => downloadCsv('totalen', toCsv(totals, i18n.language))}
        >
          {t('chart.csv')}
          <span className="visually-hidden">: {t('insurer.totals')}</span>
        </button>
      </section>
      <section aria-labelledby="matrix-title">
        <h2 id="matrix-title">{t('insurerPages.matrix.title')}</h2>
        <p className="hint">{t('insurerPages.matrix.intro')}</p>
        <fieldset className="insurer-measure no-print">
          <legend>{t('insurerPages.matrix.measure')}</legend>
          {(['total', 'perCareQuarter'] as const).map((m) => (
            <label key={m}>
              <input
                type="radio"
                name="measure"
                value={m}
                checked={measure === m}
                onChange={() => setMeasure(m)}
              />
              {t(`insurerPages.matrix.${m}`)}
            </label>
          ))}
        </fieldset>
        {measure === 'perCareQuarter' && (
          <p className="hint">{t('insurerPages.matrix.perCareQuarterHint')}</p>
        )}
        <CostMatrix costs={costs} selection={selection} measure={measure} />
        {running && (
          <p className="hint" data-testid="matrix-running-note">
            {t('insurerPages.matrix.runningNote', { date: formatDate(costs.analysisDate, i18n.language) })}
          </p>
        )}
        <button
          type="button"
          className="link-button no-print"
          onClick={() => downloadCsv(t('insurerPages.matrix.csvName'), toCsv(matrixTable, i18n.language))}
          data-testid="matrix-csv"
        >
          {t('chart.csv')}
          <span className="visually-hidden">: {t('insurerPages.matrix.title')}</span>
        </button>
      </section>
      <section aria-labelledby="by-practice-title">
        <h2 id="by-practice-title">{t('insurer.byPractice')}</h2>
        <ChartPanel
          title={t('insurer.byPractice')}
          description={t('insurer.byPracticeAlt', { summary: specs.practice.summary })}
          spec={specs.practice}
          height={90 + costs.byPractice.length * 34}
          csvName="kosten-per-praktijk"
          testId="insurer-by-practice"
        />
      </section>
      <section aria-labelledby="by-quarter-title">
        <h2 id="by-quarter-title">{t('insurer.byQuarter')}</h2>
        <ChartPanel
          title={t('insurer.byQuarter')}
          description={t('insurer.byQuarterAlt', { summary: specs.quarter.summary })}
          spec={specs.quarter}
          height={320}
          csvName="kosten-per-kwartaal"
          testId="insurer-by-quarter"
        />
        {running && (
          <p className="hint" data-testid="incomplete-quarter-note">
            {t('incomplete.legend', { date: formatDate(costs.analysisDate, i18n.language) })}
          </p>
        )}
      </section>
    </>
  );
}

/** Both arms together; with an arm withheld the total minus the other arm would give it away, so only the count. */
function grandTotal(costs: InsurerCosts, t: Translate) {
  const sum = (k: 'patients' | 'careQuarters' | 'paidCents' | 'counterfactualCents') =>
    costs.totals.reduce((s, r) => s + (r[k] ?? 0), 0);
  if (costs.totals.some((r) => r.paidCents === null)) {
    return [
      cell(t('table.total'), 'TOTAL'),
      cell(formatNumber(sum('patients')), sum('patients')),
      ...[1, 2, 3, 4].map(() => withheldCell(t)),
    ];
  }
  const difference = sum('paidCents') - sum('counterfactualCents');
  return [
    cell(t('table.total'), 'TOTAL'),
    cell(formatNumber(sum('patients')), sum('patients')),
    cell(formatNumber(sum('careQuarters')), sum('careQuarters')),
    cell(formatCents(sum('paidCents')), sum('paidCents') / 100),
    cell(formatCents(sum('counterfactualCents')), sum('counterfactualCents') / 100),
    cell(formatCents(difference), difference / 100),
  ];
}

function ContractsTable({ contracts, names }: { contracts: Contract[]; names: Map<string, string> }) {
  const { t, i18n } = useTranslation();
  if (contracts.length === 0) return <p>{t('insurer.noContracts')}</p>;
  const sorted = [...contracts].sort(
    (a, b) => a.practice.localeCompare(b.practice) || a.validFrom.localeCompare(b.validFrom),
  );
  const table: TableData = {
    head: [
      t('insurerPages.matrix.practice'),
      t('table.arm'),
      t('insurer.validFrom'),
      t('insurer.validTo'),
      t('insurer.bundleIntake'),
      t('insurer.bundleQuarter'),
      t('insurer.ffsIntake'),
      t('insurer.ffsSession'),
      t('insurer.ffsHome'),
      t('insurer.ffsGroup'),
    ],
    rows: sorted.map((c) => [
      cell(
        names.get(c.practice)
          ? practiceLabel({ name: names.get(c.practice) as string, agb: c.practice }, t as Translate)
          : c.practice,
        c.practice,
      ),
      cell(t(`arms.${c.arm}`), c.arm),
      cell(formatDate(c.validFrom, i18n.language), c.validFrom),
      cell(formatDate(c.validTo, i18n.language), c.validTo),
      cell(formatCents(c.bundle.intake), c.bundle.intake / 100),
      cell(formatCents(c.bundle.quarter), c.bundle.quarter / 100),
      cell(formatCents(c.ffs.intake), c.ffs.intake / 100),
      cell(formatCents(c.ffs.session), c.ffs.session / 100),
      cell(formatCents(c.ffs.homeSupplement), c.ffs.homeSupplement / 100),
      cell(formatCents(c.ffs.groupSession), c.ffs.groupSession / 100),
    ]),
  };
  return (
    <>
      <DataTable table={table} caption={t('insurer.contracts')} testId="contracts" />
      <button
        type="button"
        className="link-button no-print"
        onClick={() => downloadCsv('contracten', toCsv(table, i18n.language))}
      >
        {t('chart.csv')}
        <span className="visually-hidden">: {t('insurer.contracts')}</span>
      </button>
    </>
  );
}

/** Whether the API withheld any cell of fewer than 5 patients (core/actor/field-visibility). */
function hasWithheld(costs: InsurerCosts): boolean {
  return [...costs.totals, ...costs.byPractice, ...costs.byQuarter, ...costs.byPracticeQuarter].some(
    (r) => r.withheld === true,
  );
}
