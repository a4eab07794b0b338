import type { ChartConfiguration } from 'chart.js';
import type { Arm, CaseMixPerArm, CompletenessRow, WaitDaysArm } from '../api/types';
import { DASH, formatNumber, formatPercent } from '../format';
import { ARM_COLOURS, cell, ChartSpec, Translate } from './chart-types';
import { labelPadding, type ReferenceLine } from './interval-markers';

const ARMS: Arm[] = ['BUNDLE', 'FFS'];
const MIX_COLOURS = ['#8fcae7', '#39870c', '#154273', '#e17000', '#a90061', '#673327'];

/** Share of each arm's patients per GOLD stage or KNGF profile, as 100% stacked bars (risk-selection watch). */
export function buildMixChart(mix: CaseMixPerArm, what: 'goldStage' | 'profile', t: Translate): ChartSpec<'bar'> {
  const categories = what === 'goldStage' ? ['2', '3', '4'] : ['1', '2', '3', '4', '5', '6'];
  // Counts per category key ('2'..'4' or '1'..'6'), read by the category's name.
  const caseMix = mix as Record<Arm, Record<typeof what, Record<string, number | undefined>>>;
  const label = t(what === 'goldStage' ? 'filters.goldStage' : 'filters.profile');
  const total = (arm: Arm) => categories.reduce((s, c) => s + (caseMix[arm][what][c] ?? 0), 0);
  const share = (arm: Arm, c: string) => (total(arm) > 0 ? (caseMix[arm][what][c] ?? 0) / total(arm) : null);
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels: ARMS.map((arm) => t(`arms.${arm}`)),
      datasets: categories.map((c, i) => ({
        label: `${label} ${c}`,
        data: ARMS.map((arm) => (share(arm, c) ?? 0) * 100),
        backgroundColor: MIX_COLOURS[i],
      })),
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { stacked: true, min: 0, max: 100, ticks: { callback: (v) => `${v}%` } }, y: { stacked: true } },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${formatNumber(item.parsed.x, 1)}%` } },
      },
    },
  };
  const head = [t('table.arm'), t('table.category'), t('table.count'), t('table.share')];
  const rows = ARMS.flatMap((arm) =>
    categories.map((c) => [
      cell(t(`arms.${arm}`), arm),
      cell(`${label} ${c}`, c),
      cell(formatNumber(caseMix[arm][what][c] ?? 0), caseMix[arm][what][c] ?? 0),
      cell(formatPercent(share(arm, c)), share(arm, c)),
    ]),
  );
  const summary = ARMS.map((arm) => `${t(`arms.${arm}`)}: ${categories.map((c) => `${c} ${formatPercent(share(arm, c))}`).join(', ')}`).join('; ');
  return { config, table: { head, rows }, summary };
}

const ratio = (x: number, n: number) => (n > 0 ? x / n : null);

/** Completeness per practice, ranked as given (lowest baseline first): baseline, 3- and 12-month shares. */
export function buildCompletenessChart(rows: CompletenessRow[], t: Translate): ChartSpec<'bar'> {
  const series = [
    { key: 'baseline', colour: '#154273', get: (r: CompletenessRow) => ratio(r.baselineComplete, r.baselineEligible) },
    { key: 'followup3m', colour: '#39870c', get: (r: CompletenessRow) => ratio(r.followup3mComplete, r.followup3mEligible) },
    { key: 'followup12m', colour: '#e17000', get: (r: CompletenessRow) => ratio(r.followup12mComplete, r.followup12mEligible) },
  ];
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.practice.name),
      datasets: series.map((s) => ({
        label: t(`table.${s.key}`),
        data: rows.map((r) => {
          const v = s.get(r);
          return v === null ? null : v * 100;
        }) as number[],
        backgroundColor: s.colour,
      })),
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } }, y: { ticks: { autoSkip: false } } },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${formatNumber(item.parsed.x, 1)}%` } },
      },
    },
  };
  const fraction = (x: number, n: number) => cell(n > 0 ? `${formatPercent(x / n)} (${x}/${n})` : DASH, n > 0 ? x / n : null);
  const head = [t('table.agb'), t('table.practice'), t('table.patients'), t('table.baseline'), t('table.followup3m'), t('table.followup12m')];
  const tableRows = rows.map((r) => [
    cell(r.practice.agb),
    cell(r.practice.name),
    cell(formatNumber(r.patients), r.patients),
    fraction(r.baselineComplete, r.baselineEligible),
    fraction(r.followup3mComplete, r.followup3mEligible),
    fraction(r.followup12mComplete, r.followup12mEligible),
  ]);
  const lowest = rows[0];
  const summary = lowest
    ? `${rows.length} ${t('table.practice').toLowerCase()}; ${t('table.baseline').toLowerCase()} ${lowest.practice.name}: ${formatPercent(ratio(lowest.baselineComplete, lowest.baselineEligible))}.`
    : t('chart.noData');
  return { config, table: { head, rows: tableRows }, summary };
}

export const WAIT_BIN_DAYS = 7;

/** Wait days per arm as a histogram of 7-day bins (share of the arm's patients), median and p90 marked. */
export function buildWaitDaysChart(arms: WaitDaysArm[], t: Translate): ChartSpec<'bar'> {
  const maxDays = Math.max(0, ...arms.flatMap((a) => a.counts.map((c) => c.days)));
  const bins = Math.floor(maxDays / WAIT_BIN_DAYS) + 1;
  const labels = Array.from({ length: bins }, (_, i) => `${i * WAIT_BIN_DAYS}–${i * WAIT_BIN_DAYS + WAIT_BIN_DAYS - 1}`);
  const histogram = (arm: WaitDaysArm) => {
    const counts = new Array<number>(bins).fill(0);
    for (const c of arm.counts) counts[Math.floor(c.days / WAIT_BIN_DAYS)] += c.patients;
    return counts;
  };
  const shares = arms.map((a) => histogram(a).map((n) => (a.n > 0 ? (n / a.n) * 100 : 0)));
  // A day d sits inside bin floor(d / 7); on the category axis its position is (d - 3) / 7.
  const position = (days: number) => (days - (WAIT_BIN_DAYS - 1) / 2) / WAIT_BIN_DAYS;
  const lines: ReferenceLine[] = arms.flatMap((a) => [
    // Each label names its arm: two medians side by side must not read alike. The plugin puts a label that
    // would overlap another on a row of its own above the plot (interval-markers.ts).
    ...(a.median === null ? [] : [{ value: position(a.median), colour: ARM_COLOURS[a.arm], label: `${t(`arms.${a.arm}`)}: ${t('table.median').toLowerCase()} ${formatNumber(a.median, 1)}` }]),
    ...(a.p90 === null ? [] : [{ value: position(a.p90), colour: ARM_COLOURS[a.arm], dash: [5, 4], label: `${t(`arms.${a.arm}`)}: ${t('table.p90')} ${formatNumber(a.p90)}` }]),
  ]);
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels,
      datasets: arms.map((a) => ({
        label: t(`arms.${a.arm}`),
        data: shares[arms.indexOf(a)],
        backgroundColor: ARM_COLOURS[a.arm],
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      layout: { padding: { top: labelPadding(lines.length) } },
      scales: {
        x: { title: { display: true, text: t('table.days') } },
        // A share of the arm's patients: 0 to at most 100 %.
        y: { min: 0, suggestedMax: 10, max: Math.min(100, Math.ceil(Math.max(0, ...shares.flat()) / 10) * 10 || 10), ticks: { callback: (v) => `${v}%` } },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${formatNumber(item.parsed.y, 1)}%` } },
        intervalMarkers: { lines, axis: 'x' },
      },
    },
  };
  const head = [t('table.arm'), t('table.n'), t('table.median'), t('table.p90'), ...labels.map((l) => `${l} ${t('units.days')}`)];
  const rows = arms.map((a) => [
    cell(t(`arms.${a.arm}`), a.arm),
    cell(formatNumber(a.n), a.n),
    cell(formatNumber(a.median, 1), a.median),
    cell(formatNumber(a.p90), a.p90),
    ...histogram(a).map((n) => cell(formatNumber(n), n)),
  ]);
  const summary = arms.map((a) => `${t(`arms.${a.arm}`)}: ${t('table.median').toLowerCase()} ${formatNumber(a.median, 1)}, ${t('table.p90')} ${formatNumber(a.p90)} (n = ${formatNumber(a.n)})`).join('; ');
  return { config, table: { head, rows }, summary };
}

export { ARMS };
