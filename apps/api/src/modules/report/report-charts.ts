import { ARMS, INDICATORS, type IndicatorGroup } from '@copd/domain';
import type { ComparisonDto, IndicatorResultDto } from '../indicators/dto/comparison.dto';
import { scaleOf } from './report-format';
import type { ReportWords } from './report-words';

/*
 * The report's charts as data: built here, deterministically, from the frozen comparison; embedded in the page
 * as JSON and drawn on load by CHART_SCRIPT with the inlined chart.js. Values are in display units (percent
 * for fractions), so the axis reads like the tables.
 */

/** A forest plot: per indicator the difference bundle − FFS with its 95% CI and clustered 95% CI. */
export interface ForestChart {
  kind: 'forest';
  id: string;
  title: string;
  labels: string[];
  estimate: (number | null)[];
  ci: ([number, number] | null)[];
  clustered: ([number, number] | null)[];
  decimals: number;
  suffix: string;
  euro: boolean;
}

/** Bars per arm: one group per label, one bar per arm. */
export interface ArmBarChart {
  kind: 'arms';
  id: string;
  title: string;
  labels: string[];
  series: { label: string; values: (number | null)[] }[];
  decimals: number;
  suffix: string;
  euro: boolean;
  stacked: boolean;
}

export type ReportChart = ForestChart | ArmBarChart;

const round = (value: number | null | undefined, decimals: number): number | null =>
  value === null || value === undefined || !Number.isFinite(value) ? null : Number(value.toFixed(decimals + 2));

function interval(low: number | null | undefined, high: number | null | undefined, factor: number, decimals: number) {
  const l = round(low === null || low === undefined ? null : low * factor, decimals);
  const h = round(high === null || high === undefined ? null : high * factor, decimals);
  return l === null || h === null ? null : ([l, h] as [number, number]);
}

/**
 * One forest plot per chart group of the catalogue (indicators that share a scale share an axis) within one
 * section (cost, quality, access); indicators without an interval (WAIT_DAYS, ENROLLED) are in the tables only.
 */
export function forestCharts(
  comparison: ComparisonDto,
  group: IndicatorGroup,
  names: Record<string, string>,
  words: ReportWords,
): ForestChart[] {
  const byCode = new Map(comparison.indicators.map((i) => [i.code, i]));
  const charts = new Map<string, IndicatorResultDto[]>();
  for (const definition of INDICATORS) {
    if (definition.group !== group || definition.chart === null) continue;
    const result = byCode.get(definition.code);
    if (!result) continue;
    charts.set(definition.chart, [...(charts.get(definition.chart) ?? []), result]);
  }
  return [...charts.entries()].map(([chart, results]) => {
    const scale = scaleOf(results[0].unit);
    return {
      kind: 'forest',
      id: `chart-${group.toLowerCase()}-${chart}`,
      title: `${words.chartDifference}: ${results.map((r) => names[r.code]).join(', ')}`,
      labels: results.map((r) => names[r.code]),
      estimate: results.map((r) => round(r.difference.value === null ? null : r.difference.value * scale.factor, scale.decimals)),
      ci: results.map((r) => interval(r.difference.ciLow, r.difference.ciHigh, scale.factor, scale.decimals)),
      clustered: results.map((r) =>
        interval(r.clustered?.difference.ciLow, r.clustered?.difference.ciHigh, scale.factor, scale.decimals),
      ),
      decimals: scale.decimals,
      suffix: scale.euro ? '' : scale.diffSuffix,
      euro: scale.euro,
    };
  });
}

/** Paid and counterfactual per care quarter, per arm. */
export function costChart(comparison: ComparisonDto, names: Record<string, string>, words: ReportWords): ArmBarChart {
  const codes = ['PAID_PER_CARE_QUARTER', 'COUNTERFACTUAL_PER_CARE_QUARTER'];
  const results = codes.map((code) => comparison.indicators.find((i) => i.code === code));
  return {
    kind: 'arms',
    id: 'chart-cost-arms',
    title: `${words.chartArms}: ${codes.map((c) => names[c]).join(', ')}`,
    labels: codes.map((c) => names[c]),
    series: ARMS.map((arm) => ({
      label: words.arms[arm],
      values: results.map((r) => round(r?.arms[arm].value, 2)),
    })),
    decimals: 2,
    suffix: '',
    euro: true,
    stacked: false,
  };
}

/** The share of patients per GOLD stage in each arm (stacked to 100%). */
export function goldChart(comparison: ComparisonDto, words: ReportWords): ArmBarChart | null {
  const mix = comparison.caseMix;
  if (!mix) return null;
  const stages = ['2', '3', '4'] as const;
  const total = (arm: (typeof ARMS)[number]) => stages.reduce((s, g) => s + mix[arm].goldStage[g], 0);
  return {
    kind: 'arms',
    id: 'chart-gold',
    title: `${words.goldStage} (%)`,
    labels: ARMS.map((arm) => words.arms[arm]),
    series: stages.map((stage) => ({
      label: `GOLD ${stage}`,
      values: ARMS.map((arm) => (total(arm) === 0 ? null : round((100 * mix[arm].goldStage[stage]) / total(arm), 1))),
    })),
    decimals: 1,
    suffix: '%',
    euro: false,
    stacked: true,
  };
}

/**
 * Draws every chart of the embedded JSON (#report-data) with the inlined chart.js, without animation, at a fixed
 * size, then sets window.reportReady (and data-charts on <html>) so the PDF printer knows the page is complete.
 * Plain ES2017 in a string: it runs in the browser, not in Node.
 */
export const CHART_SCRIPT = `(function () {
  'use strict';
  var root = document.documentElement;
  function done(state) { root.setAttribute('data-charts', state); window.reportReady = true; }
  try {
    var data = JSON.parse(document.getElementById('report-data').textContent);
    var nl = function (decimals) {
      return new Intl.NumberFormat('nl-NL', { minimumFractionDigits: 0, maximumFractionDigits: decimals });
    };
    var euro = new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
    var colours = { blue: '#1d4ed8', blueLight: 'rgba(29, 78, 216, 0.35)', amber: '#b45309', amberLight: 'rgba(180, 83, 9, 0.35)', grey: '#6b7280' };
    var palette = ['#1d4ed8', '#b45309', '#047857', '#7c3aed'];
    Chart.defaults.font.family = 'Helvetica, Arial, sans-serif';
    Chart.defaults.font.size = 11;
    Chart.defaults.color = '#111827';
    data.charts.forEach(function (spec) {
      var canvas = document.getElementById(spec.id);
      if (!canvas) return;
      var tick = function (value) {
        return spec.euro ? euro.format(value) : nl(spec.decimals).format(value) + (spec.suffix || '');
      };
      var common = {
        animation: false, responsive: false, devicePixelRatio: 2,
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } }, tooltip: { enabled: false } }
      };
      if (spec.kind === 'forest') {
        new Chart(canvas, {
          type: 'bar',
          data: {
            labels: spec.labels,
            datasets: [
              { label: data.words.ci, data: spec.ci, backgroundColor: colours.blueLight, borderColor: colours.blue, borderWidth: 1, barPercentage: 0.9, categoryPercentage: 0.7 },
              { label: data.words.clustered, data: spec.clustered, backgroundColor: colours.amberLight, borderColor: colours.amber, borderWidth: 1, barPercentage: 0.9, categoryPercentage: 0.7 },
              { type: 'line', label: data.words.estimate, data: spec.estimate, showLine: false, pointStyle: 'rectRot', pointRadius: 5, backgroundColor: '#111827', borderColor: '#111827' }
            ]
          },
          options: Object.assign({}, common, {
            indexAxis: 'y',
            scales: {
              x: { ticks: { callback: tick }, grid: { color: function (c) { return c.tick && c.tick.value === 0 ? '#111827' : '#e5e7eb'; }, lineWidth: function (c) { return c.tick && c.tick.value === 0 ? 1.5 : 1; } } },
              y: { grid: { display: false } }
            }
          })
        });
      } else {
        new Chart(canvas, {
          type: 'bar',
          data: {
            labels: spec.labels,
            datasets: spec.series.map(function (s, i) {
              return { label: s.label, data: s.values, backgroundColor: palette[i % palette.length] };
            })
          },
          options: Object.assign({}, common, {
            indexAxis: spec.stacked ? 'y' : 'x',
            scales: spec.stacked
              ? { x: { stacked: true, max: 100, ticks: { callback: tick } }, y: { stacked: true, grid: { display: false } } }
              : { y: { beginAtZero: true, ticks: { callback: tick } }, x: { grid: { display: false } } }
          })
        });
      }
    });
    done('ready');
  } catch (error) {
    done('error');
    throw error;
  }
})();`;
