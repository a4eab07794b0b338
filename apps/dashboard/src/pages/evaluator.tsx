import { useCallback, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { getAll, getJson } from '../api/client';
import type {
  Comparison,
  Completeness,
  CostSeries,
  Experiment,
  Insurer,
  Practice,
  WaitDays,
} from '../api/types';
import type { Translate } from '../charts/chart-types';
import { buildCostSeriesChart } from '../charts/cost-charts';
import { buildCompletenessChart, buildWaitDaysChart } from '../charts/population-charts';
import { AnalysisDateControl, useExperimentId } from '../components/analysis-date-control';
import { ChartPanel } from '../components/chart-panel';
import { DownloadButton } from '../components/download-button';
import { FilterBar } from '../components/filter-bar';
import { FilterSummary } from '../components/filter-summary';
import { FreshnessBar, type Freshness } from '../components/freshness-bar';
import { KeyResults } from '../components/key-results';
import { SNAPSHOT_PARAM } from '../components/snapshot-banner';
import { liveExportPath } from '../components/snapshot-downloads';
import { BusyRegion, EmptySelection, ErrorState, UnknownFilterMessage } from '../components/page-states';
import { useLoad, type Loaded } from '../components/use-load';
import { isEmptySelection } from '../filters/empty-selection';
import { isUnknownFilterError, unknownFilterValues } from '../filters/unknown-values';
import {
  EMPTY_FILTERS,
  filtersToQuery,
  parseFilters,
  withFilters,
  type Filters,
} from '../filters/url-filters';
import { ComparisonSection, RiskSection } from './evaluator-sections';
import { SnapshotEvaluator } from './snapshot-evaluator';
import { Loading } from './status';

/** The evaluator's view: the live figures, or a frozen snapshot's with `?momentopname=<id>`. */
export function EvaluatorPage() {
  const [search] = useSearchParams();
  const snapshotId = search.get(SNAPSHOT_PARAM);
  return snapshotId ? <SnapshotEvaluator id={snapshotId} /> : <LiveEvaluator />;
}

/** The live figures: arm comparison, cost over time, risk selection, completeness and waiting time. */
function LiveEvaluator() {
  const { t } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => parseFilters(search), [search]);
  const key = filtersToQuery(filters);

  const comparison = useLoad(
    () => getJson<Comparison>(withFilters('/api/v1/indicators/comparison', filters)),
    [key],
  );
  const cost = useLoad(
    () => getJson<CostSeries>(withFilters('/api/v1/insights/cost-series', filters)),
    [key],
  );
  const completeness = useLoad(
    () => getJson<Completeness>(withFilters('/api/v1/insights/completeness', filters)),
    [key],
  );
  const wait = useLoad(() => getJson<WaitDays>(withFilters('/api/v1/insights/wait-days', filters)), [key]);
  const options = useLoad(async () => {
    const [practices, insurers] = await Promise.all([
      getAll<Practice>('/api/v1/practices'),
      getAll<Insurer>('/api/v1/insurers'),
    ]);
    const sorted = [...practices].sort((a, b) => a.name.localeCompare(b.name, 'nl'));
    return {
      practices: sorted,
      insurers,
      regions: [...new Set(practices.map((p) => p.region))].sort((a, b) => a.localeCompare(b, 'nl')),
    };
  }, []);

  const refresh = useCallback(() => {
    comparison.reload();
    cost.reload();
    completeness.reload();
    wait.reload();
  }, [comparison.reload, cost.reload, completeness.reload, wait.reload]);

  const onFilters = (next: Filters) => setSearch(new URLSearchParams(filtersToQuery(next)));
  const clearFilters = () => onFilters(EMPTY_FILTERS);

  // The page's controls (freshness and recompute, analysis date) stay when the comparison fails: from the last
  // answer, or, when none came, from the experiment itself (asked only then).
  const fallback = useLoad(
    async () =>
      comparison.error && !comparison.data
        ? ((await getAll<Experiment>('/api/v1/experiments'))[0] ?? null)
        : null,
    [Boolean(comparison.error && !comparison.data)],
  );
  const freshness: Freshness | null =
    comparison.data ??
    (fallback.data
      ? {
          experiment: fallback.data.code,
          analysisDate: fallback.data.analysisDate,
          computedAt: null,
          stale: false,
        }
      : null);
  const experimentId = useExperimentId(freshness?.experiment);
  const filterOptions = options.data ?? { practices: [], insurers: [], regions: [] };
  const loads = [comparison, cost, completeness, wait];
  // One message for every value of the URL that names nothing (instead of four identical errors).
  const unknown = unknownFilterValues(
    search,
    filters,
    options.data,
    loads.map((l) => l.error),
  );
  const empty =
    unknown.length === 0 &&
    comparison.data !== undefined &&
    !comparison.loading &&
    !comparison.error &&
    isEmptySelection(comparison.data);
  const figures = unknown.length === 0 && !empty;
  return (
    <>
      <h1>{t('evaluator.title')}</h1>
      {/* What the figures are (selection, analysis date, computation time): on screen and as the printed page's header. */}
      <div className="context-bar" data-testid="context-bar">
        {comparison.data && <FilterSummary comparison={comparison.data} options={filterOptions} />}
        {freshness && (
          <FreshnessBar
            freshness={freshness}
            canRecompute
            onRefresh={refresh}
            factsKnown={comparison.data !== undefined}
          />
        )}
        {freshness && experimentId && (
          <AnalysisDateControl
            experimentId={experimentId}
            analysisDate={freshness.analysisDate}
            onChanged={refresh}
          />
        )}
      </div>
      {unknown.length > 0 && <UnknownFilterMessage values={unknown} onClear={clearFilters} />}
      {empty && <EmptySelection onClear={clearFilters} />}
      {figures && comparison.data && !comparison.error && (
        <BusyRegion busy={comparison.loading}>
          <KeyResults comparison={comparison.data} />
        </BusyRegion>
      )}
      <FilterBar filters={filters} options={filterOptions} onChange={onFilters} />
      {figures && (
        <>
          <section aria-labelledby="comparison-title">
            <h2 id="comparison-title">{t('evaluator.comparison')}</h2>
            <p>{t('evaluator.comparisonIntro')}</p>
            <p className="clustered-legend">{t('comparison.clusteredLegend')}</p>
            <p className="no-print">
              <Link to="/definities">{t('comparison.definitionsLink')}</Link>
            </p>
            <Loaded load={comparison} testId="comparison-state">
              {(data) => (
                <ComparisonSection
                  comparison={data}
                  tools={
                    <p className="no-print">
                      <DownloadButton
                        path={liveExportPath(data.experiment)}
                        fallbackName="analyse.zip"
                        label={t('snapshots.downloads.liveExport')}
                        testId="live-export"
                      />
                    </p>
                  }
                />
              )}
            </Loaded>
          </section>
          <section aria-labelledby="cost-title">
            <h2 id="cost-title">{t('evaluator.costSeries')}</h2>
            <p>{t('evaluator.costSeriesIntro')}</p>
            <Loaded load={cost}>{(data) => <CostSection cost={data} />}</Loaded>
          </section>
          <section aria-labelledby="risk-title">
            <h2 id="risk-title">{t('evaluator.riskSelection')}</h2>
            <p>{t('evaluator.riskIntro')}</p>
            {comparison.data?.caseMix && !comparison.error && (
              <BusyRegion busy={comparison.loading}>
                <RiskSection caseMix={comparison.data.caseMix} />
              </BusyRegion>
            )}
          </section>
          <section aria-labelledby="completeness-title">
            <h2 id="completeness-title">{t('evaluator.completeness')}</h2>
            <p>{t('evaluator.completenessIntro')}</p>
            <Loaded load={completeness}>{(data) => <CompletenessSection data={data} />}</Loaded>
          </section>
          <section aria-labelledby="wait-title">
            <h2 id="wait-title">{t('evaluator.waitDays')}</h2>
            <p>{t('evaluator.waitIntro')}</p>
            <Loaded load={wait}>{(data) => <WaitSection data={data} />}</Loaded>
          </section>
        </>
      )}
    </>
  );
}

/**
 * One load's states: busy the first time, the figures (dimmed and aria-busy while new ones come), or the error
 * with a retry. An unknown filter value is said once by the page, not per section.
 */
function Loaded<T>({
  load,
  children,
  testId,
}: {
  load: Loaded<T>;
  children: (data: T) => ReactNode;
  testId?: string;
}) {
  if (load.error && !isUnknownFilterError(load.error))
    return <ErrorState error={load.error} onRetry={load.reload} />;
  if (load.data === undefined) return <Loading />;
  return (
    <BusyRegion busy={load.loading} testId={testId}>
      {children(load.data)}
    </BusyRegion>
  );
}

function CostSection({ cost }: { cost: CostSeries }) {
  const { t, i18n } = useTranslation();
  const spec = useMemo(() => buildCostSeriesChart(cost.rows, t as Translate), [cost, i18n.language]);
  return (
    <ChartPanel
      title={t('evaluator.costSeries')}
      description={t('evaluator.costAlt', { summary: spec.summary })}
      spec={spec}
      height={320}
      csvName="kosten-per-kwartaal"
      testId="cost-series"
    />
  );
}

function CompletenessSection({ data }: { data: Completeness }) {
  const { t, i18n } = useTranslation();
  const spec = useMemo(() => buildCompletenessChart(data.practices, t as Translate), [data, i18n.language]);
  return (
    <ChartPanel
      title={t('evaluator.completeness')}
      description={t('evaluator.completenessAlt', { summary: spec.summary })}
      spec={spec}
      height={90 + data.practices.length * 30}
      csvName="volledigheid-per-praktijk"
      testId="completeness"
    />
  );
}

function WaitSection({ data }: { data: WaitDays }) {
  const { t, i18n } = useTranslation();
  const spec = useMemo(() => buildWaitDaysChart(data.arms, t as Translate), [data, i18n.language]);
  return (
    <ChartPanel
      title={t('evaluator.waitDays')}
      description={t('evaluator.waitAlt', { summary: spec.summary })}
      spec={spec}
      height={300}
      csvName="wachttijd"
      testId="wait-days"
    />
  );
}
