import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { getAll, getJson } from '../api/client';
import type { Contract, Insurer, InsurerCosts } from '../api/types';
import { cell, TableData, Translate } from '../charts/chart-types';
import { toCsv } from '../charts/csv';
import { buildCostSeriesChart, buildPracticeCostChart, incompleteQuarterNote, withheldCell } from '../charts/cost-charts';
import { useAuth } from '../auth/auth-context';
import { ChartPanel, downloadCsv } from '../components/chart-panel';
import { DataTable } from '../components/data-table';
import { FreshnessBar } from '../components/freshness-bar';
import { useLoad } from '../components/use-load';
import { formatCents, formatDate, formatNumber } from '../format';
import { LoadError, Loading } from './status';

/** The insurer's view: paid vs counterfactual per practice and per quarter for its insured, totals, contracts and tariffs. */
export function InsurerPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const [search, setSearch] = useSearchParams();
  const own = user?.insurer ?? null;
  const all = useLoad(() => (own ? Promise.resolve([own]) : getAll<Insurer>('/api/v1/insurers')), [own?.uzovi]);
  const list = all.data ?? [];
  const uzovi = own?.uzovi ?? list.find((i) => i.uzovi === search.get('insurer'))?.uzovi ?? list[0]?.uzovi;
  const insurer = list.find((i) => i.uzovi === uzovi);

  const costs = useLoad(() => (uzovi ? getJson<InsurerCosts>(`/api/v1/insights/insurer-costs?insurer=${uzovi}`) : Promise.resolve(undefined)), [uzovi]);
  const contracts = useLoad(() => (uzovi ? getAll<Contract>(`/api/v1/contracts?insurer=${uzovi}`) : Promise.resolve([] as Contract[])), [uzovi]);

  if (all.error) return <LoadError error={all.error} />;
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
      {costs.error && <LoadError error={costs.error} />}
      {!costs.data && !costs.error && <Loading />}
      {costs.data && <CostSections costs={costs.data} onRefresh={costs.reload} />}
      <section aria-labelledby="contracts-title">
        <h2 id="contracts-title">{t('insurer.contracts')}</h2>
        {contracts.error && <LoadError error={contracts.error} />}
        {contracts.data && <ContractsTable contracts={contracts.data} names={new Map((costs.data?.byPractice ?? []).map((p) => [p.practice.agb, p.practice.name]))} />}
      </section>
    </>
  );
}

function CostSections({ costs, onRefresh }: { costs: InsurerCosts; onRefresh(): void }) {
  const { t, i18n } = useTranslation();
  const specs = useMemo(
    () => ({ practice: buildPracticeCostChart(costs.byPractice, t as Translate), quarter: buildCostSeriesChart(costs.byQuarter, t as Translate, 'total') }),
    [costs, i18n.language],
  );
  const runningNote = incompleteQuarterNote(costs.byQuarter, costs.analysisDate, t as Translate, i18n.language);
  const totals: TableData = {
    head: [t('table.arm'), t('table.patients'), t('table.careQuarters'), t('table.paid'), t('table.counterfactual'), t('table.paidMinusCf')],
    rows: [
      ...costs.totals.map((r) =>
        r.careQuarters === null || r.paidCents === null || r.counterfactualCents === null
          ? [cell(t(`arms.${r.arm}`), r.arm), cell(formatNumber(r.patients), r.patients), withheldCell(t as Translate), withheldCell(t as Translate), withheldCell(t as Translate), withheldCell(t as Translate)]
          : [
              cell(t(`arms.${r.arm}`), r.arm),
              cell(formatNumber(r.patients), r.patients),
              cell(formatNumber(r.careQuarters), r.careQuarters),
              cell(formatCents(r.paidCents), r.paidCents / 100),
              cell(formatCents(r.counterfactualCents), r.counterfactualCents / 100),
              cell(formatCents(r.paidCents - r.counterfactualCents), (r.paidCents - r.counterfactualCents) / 100),
            ],
      ),
      (() => {
        const sum = (k: 'patients' | 'careQuarters' | 'paidCents' | 'counterfactualCents') => costs.totals.reduce((s, r) => s + (r[k] ?? 0), 0);
        // With an arm withheld, the total minus the other arm would give it away.
        if (costs.totals.some((r) => r.paidCents === null)) {
          return [cell(t('table.total'), 'TOTAL'), cell(formatNumber(sum('patients')), sum('patients')), ...[1, 2, 3, 4].map(() => withheldCell(t as Translate))];
        }
        return [
          cell(t('table.total'), 'TOTAL'),
          cell(formatNumber(sum('patients')), sum('patients')),
          cell(formatNumber(sum('careQuarters')), sum('careQuarters')),
          cell(formatCents(sum('paidCents')), sum('paidCents') / 100),
          cell(formatCents(sum('counterfactualCents')), sum('counterfactualCents') / 100),
          cell(formatCents(sum('paidCents') - sum('counterfactualCents')), (sum('paidCents') - sum('counterfactualCents')) / 100),
        ];
      })(),
    ],
  };
  return (
    <>
      <FreshnessBar freshness={costs} canRecompute={false} onRefresh={onRefresh} />
      <section aria-labelledby="totals-title">
        <h2 id="totals-title">{t('insurer.totals')}</h2>
        {hasWithheld(costs) && <p className="hint" data-testid="insurer-withheld-note">{t('insurer.withheldNote')}</p>}
        <DataTable table={totals} caption={t('insurer.totals')} testId="insurer-totals" />
        <button type="button" className="link-button no-print" onClick={() => downloadCsv('totalen', toCsv(totals, i18n.language))}>
          {t('chart.csv')}
          <span className="visually-hidden">: {t('insurer.totals')}</span>
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
        {runningNote && (
          <p className="hint" data-testid="incomplete-quarter-note">
            {runningNote}
          </p>
        )}
      </section>
    </>
  );
}

function ContractsTable({ contracts, names }: { contracts: Contract[]; names: Map<string, string> }) {
  const { t, i18n } = useTranslation();
  if (contracts.length === 0) return <p>{t('insurer.noContracts')}</p>;
  const sorted = [...contracts].sort((a, b) => a.practice.localeCompare(b.practice) || a.validFrom.localeCompare(b.validFrom));
  const table: TableData = {
    head: [
      t('table.practice'), t('table.arm'), t('insurer.validFrom'), t('insurer.validTo'), t('insurer.bundleIntake'), t('insurer.bundleQuarter'),
      t('insurer.ffsIntake'), t('insurer.ffsSession'), t('insurer.ffsHome'), t('insurer.ffsGroup'),
    ],
    rows: sorted.map((c) => [
      cell(names.get(c.practice) ? `${names.get(c.practice)} (${c.practice})` : c.practice, c.practice),
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
      <button type="button" className="link-button no-print" onClick={() => downloadCsv('contracten', toCsv(table, i18n.language))}>
        {t('chart.csv')}
        <span className="visually-hidden">: {t('insurer.contracts')}</span>
      </button>
    </>
  );
}

/** Whether the API withheld any cell of fewer than 5 patients (core/actor/field-visibility). */
function hasWithheld(costs: InsurerCosts): boolean {
  return [...costs.totals, ...costs.byPractice, ...costs.byQuarter].some((r) => r.withheld === true);
}
