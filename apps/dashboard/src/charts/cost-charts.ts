import type { ChartConfiguration } from 'chart.js';
import type { Arm, CostSeriesRow } from '../api/types';
import { formatCents, formatDate, formatEuros, formatEuroTick, formatNumber } from '../format';
import { ARM_COLOURS, cell, ChartSpec, GREY, Translate } from './chart-types';

const ARMS: Arm[] = ['BUNDLE', 'FFS'];

export type CostMeasure = 'perCareQuarter' | 'total';

/** Dotted line into, and hollow point on, a quarter still running on the analysis date. */
const INCOMPLETE_DASH = [2, 4];
const HOLLOW = '#ffffff';

/** A colour #rrggbb at 45% opacity: the segment into a running quarter is drawn lighter as well as dotted. */
function lighter(colour: string): string {
  return `${colour}73`;
}

/**
 * Paid and counterfactual per calendar quarter (of the care quarter's start), per arm: the mean per care
 * quarter (sum / care quarters, comparable between arms of different size) or the total in euros.
 * Counterfactual lines are dashed. A quarter the API marks `complete: false` (still running on the analysis
 * date, so only part of its care is in) is not drawn as a fall in cost: the segment into it is dotted and
 * lighter, its point hollow, its axis label and a legend entry say "quarter still running, incomplete", and the
 * table has a column saying whether each quarter is complete (issue 12 item 6).
 */
export function buildCostSeriesChart(rows: CostSeriesRow[], t: Translate, measure: CostMeasure = 'perCareQuarter'): ChartSpec<'line'> {
  const quarters = [...new Set(rows.map((r) => r.quarter))].sort();
  const arms = ARMS.filter((arm) => rows.some((r) => r.arm === arm));
  // A row without the field (an older answer) counts as complete.
  const running = new Set(rows.filter((r) => r.complete === false).map((r) => r.quarter));
  const incomplete = quarters.map((q) => running.has(q));
  const point = (arm: Arm, quarter: string, key: 'paidCents' | 'counterfactualCents') => {
    const row = rows.find((r) => r.arm === arm && r.quarter === quarter);
    const amount = row?.[key];
    if (!row || !row.careQuarters || amount === null || amount === undefined) return null;
    return measure === 'total' ? amount / 100 : amount / row.careQuarters / 100;
  };
  const datasets: ChartConfiguration<'line'>['data']['datasets'] = arms.flatMap((arm) =>
    (['paidCents', 'counterfactualCents'] as const).map((key) => {
      const colour = ARM_COLOURS[arm];
      const dash = key === 'counterfactualCents' ? [6, 4] : [];
      return {
        label: `${t(`arms.${arm}`)}: ${t(key === 'paidCents' ? 'table.paid' : 'table.counterfactual')}`,
        data: quarters.map((q) => point(arm, q, key)),
        borderColor: colour,
        backgroundColor: colour,
        borderDash: dash,
        // The segment that ends on a running quarter: dotted and lighter.
        segment: {
          borderDash: (ctx: { p1DataIndex: number }) => (incomplete[ctx.p1DataIndex] ? INCOMPLETE_DASH : dash),
          borderColor: (ctx: { p1DataIndex: number }) => (incomplete[ctx.p1DataIndex] ? lighter(colour) : colour),
        },
        pointBackgroundColor: incomplete.map((open) => (open ? HOLLOW : colour)),
        pointStyle: key === 'counterfactualCents' ? ('triangle' as const) : ('circle' as const),
        pointRadius: 3,
        spanGaps: false,
      };
    }),
  );
  if (running.size > 0) {
    // A legend entry only: no values, so it draws nothing and shows in no tooltip.
    datasets.push({
      label: t('incomplete.label'),
      data: quarters.map(() => null),
      borderColor: GREY,
      backgroundColor: HOLLOW,
      borderDash: INCOMPLETE_DASH,
      pointStyle: 'circle',
      pointRadius: 3,
    });
  }
  // The running quarter's axis label says so on a second line.
  const labels = quarters.map((q, i) => (incomplete[i] ? [q, `(${t('incomplete.label')})`] : q));
  const config: ChartConfiguration<'line'> = {
    type: 'line',
    data: { labels, datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        // Costs are never negative; ticks in whole euros ("€ 1.200"), never rotated.
        y: { min: 0, ticks: { callback: (v) => formatEuroTick(Number(v)) } },
        x: { title: { display: true, text: t('table.quarter') }, ticks: { maxRotation: 0 } },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${formatEuros(item.parsed.y)}` } },
      },
    },
  };
  const head = [
    t('table.quarter'), t('table.arm'), t('table.careQuarters'), t('table.patients'), t('table.paid'), t('table.counterfactual'),
    `${t('table.paid')} / ${t('table.careQuarters')}`, `${t('table.counterfactual')} / ${t('table.careQuarters')}`,
    t('incomplete.column'),
  ];
  const sorted = [...rows].sort((a, b) => a.quarter.localeCompare(b.quarter) || a.arm.localeCompare(b.arm));
  const tableRows = sorted.map((r) => {
    const head = [cell(r.quarter), cell(t(`arms.${r.arm}`), r.arm)];
    const complete = running.has(r.quarter) ? cell(t('incomplete.no')) : cell(t('incomplete.yes'));
    if (r.withheld || r.careQuarters === null || r.paidCents === null || r.counterfactualCents === null) {
      return [...head, withheldCell(t), cell(formatNumber(r.patients), r.patients), withheldCell(t), withheldCell(t), withheldCell(t), withheldCell(t), complete];
    }
    return [
      ...head,
      cell(formatNumber(r.careQuarters), r.careQuarters),
      cell(formatNumber(r.patients), r.patients),
      cell(formatCents(r.paidCents), r.paidCents / 100),
      cell(formatCents(r.counterfactualCents), r.counterfactualCents / 100),
      cell(formatEuros(r.paidCents / r.careQuarters / 100), r.paidCents / r.careQuarters / 100),
      cell(formatEuros(r.counterfactualCents / r.careQuarters / 100), r.counterfactualCents / r.careQuarters / 100),
      complete,
    ];
  });
  const last = quarters[quarters.length - 1];
  const lastNote = last && running.has(last) ? ` (${t('incomplete.label')})` : '';
  const summary = last
    ? `${quarters[0]} – ${last}${lastNote}. ${arms.map((arm) => `${t(`arms.${arm}`)} ${last}: ${t('table.paid')} ${formatEuros(point(arm, last, 'paidCents'))}, ${t('table.counterfactual')} ${formatEuros(point(arm, last, 'counterfactualCents'))}`).join('; ')}`
    : t('chart.noData');
  return { config, table: { head, rows: tableRows }, summary };
}

/**
 * The sentence under a cost-over-time chart when one of its quarters still runs on the analysis date
 * ("Gestippeld en lichter: lopend kwartaal, nog niet compleet ..."), or null when every quarter is complete.
 */
export function incompleteQuarterNote(rows: CostSeriesRow[], analysisDate: string, t: Translate, language = 'nl'): string | null {
  return rows.some((r) => r.complete === false) ? t('incomplete.legend', { date: formatDate(analysisDate, language) }) : null;
}

/** A cell the API withheld (fewer than 5 patients the reader may not see): "< 5" instead of a number. */
export function withheldCell(t: Translate) {
  return cell(t('insurer.withheld'), null);
}

export interface PracticeCost {
  practice: { agb: string; name: string };
  arm: Arm;
  patients: number;
  careQuarters: number | null;
  paidCents: number | null;
  counterfactualCents: number | null;
  withheld?: boolean;
}

/** Paid next to counterfactual per practice (horizontal bars, euros), in the order given. */
export function buildPracticeCostChart(rows: PracticeCost[], t: Translate): ChartSpec<'bar'> {
  const labels = rows.map((r) => `${r.practice.name} (${t(`arms.${r.arm}`)})`);
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: t('table.paid'), data: rows.map((r) => (r.paidCents === null ? null : r.paidCents / 100)), backgroundColor: '#154273' },
        { label: t('table.counterfactual'), data: rows.map((r) => (r.counterfactualCents === null ? null : r.counterfactualCents / 100)), backgroundColor: '#8fcae7' },
      ],
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { min: 0, ticks: { maxRotation: 0, callback: (v) => formatEuroTick(Number(v)) } }, y: { ticks: { autoSkip: false } } },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${formatEuros(item.parsed.x)}` } },
      },
    },
  };
  const head = [t('table.agb'), t('table.practice'), t('table.arm'), t('table.patients'), t('table.careQuarters'), t('table.paid'), t('table.counterfactual'), t('table.paidMinusCf')];
  const tableRows = rows.map((r) => {
    const head = [cell(r.practice.agb), cell(r.practice.name), cell(t(`arms.${r.arm}`), r.arm), cell(formatNumber(r.patients), r.patients)];
    if (r.careQuarters === null || r.paidCents === null || r.counterfactualCents === null) {
      return [...head, withheldCell(t), withheldCell(t), withheldCell(t), withheldCell(t)];
    }
    return [
      ...head,
      cell(formatNumber(r.careQuarters), r.careQuarters),
      cell(formatCents(r.paidCents), r.paidCents / 100),
      cell(formatCents(r.counterfactualCents), r.counterfactualCents / 100),
      cell(formatCents(r.paidCents - r.counterfactualCents), (r.paidCents - r.counterfactualCents) / 100),
    ];
  });
  // Sums of the shown practices only; a withheld practice is in none of them.
  const paid = rows.reduce((s, r) => s + (r.paidCents ?? 0), 0);
  const cf = rows.reduce((s, r) => s + (r.counterfactualCents ?? 0), 0);
  const summary = `${rows.length} ${t('table.practice').toLowerCase()}; ${t('table.total').toLowerCase()} ${t('table.paid').toLowerCase()} ${formatCents(paid)}, ${t('table.counterfactual').toLowerCase()} ${formatCents(cf)}.`;
  return { config, table: { head, rows: tableRows }, summary };
}
