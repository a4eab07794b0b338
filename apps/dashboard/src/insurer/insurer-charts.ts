import type { ChartConfiguration } from 'chart.js';
import { cell, type ChartSpec, type Translate } from '../charts/chart-types';
import { withheldCell } from '../charts/cost-charts';
import { formatCents, formatEuros, formatEuroTick, formatNumber } from '../format';
import { practiceLabel, type PracticeCost } from './insurer-data';

/**
 * Paid next to counterfactual per practice (horizontal bars, euros) for the insurer: every bar labelled with the
 * practice's name and AGB code, so two practices of one name are told apart (and the arm, when a practice has
 * insured in both). A withheld practice (fewer than 5 patients) has a label and no bar; its table row says "< 5".
 */
export function buildInsurerPracticeChart(rows: PracticeCost[], t: Translate): ChartSpec<'bar'> {
  const bothArms = new Set(
    rows
      .filter((r) => rows.some((o) => o !== r && o.practice.agb === r.practice.agb))
      .map((r) => r.practice.agb),
  );
  const labelOf = (r: PracticeCost) =>
    bothArms.has(r.practice.agb)
      ? `${practiceLabel(r.practice, t)}, ${t(`arms.${r.arm}`)}`
      : practiceLabel(r.practice, t);
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels: rows.map(labelOf),
      datasets: [
        {
          label: t('table.paid'),
          data: rows.map((r) => (r.paidCents === null ? null : r.paidCents / 100)),
          backgroundColor: '#154273',
        },
        {
          label: t('table.counterfactual'),
          data: rows.map((r) => (r.counterfactualCents === null ? null : r.counterfactualCents / 100)),
          backgroundColor: '#8fcae7',
        },
      ],
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { min: 0, ticks: { maxRotation: 0, callback: (v) => formatEuroTick(Number(v)) } },
        y: { ticks: { autoSkip: false } },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${formatEuros(item.parsed.x)}` } },
      },
    },
  };
  const head = [
    t('insurerPages.matrix.practice'),
    t('table.arm'),
    t('table.patients'),
    t('table.careQuarters'),
    t('table.paid'),
    t('table.counterfactual'),
    t('table.paidMinusCf'),
  ];
  const tableRows = rows.map((r) => {
    const start = [
      cell(practiceLabel(r.practice, t), r.practice.agb),
      cell(t(`arms.${r.arm}`), r.arm),
      cell(formatNumber(r.patients), r.patients),
    ];
    if (r.careQuarters === null || r.paidCents === null || r.counterfactualCents === null)
      return [...start, withheldCell(t), withheldCell(t), withheldCell(t), withheldCell(t)];
    return [
      ...start,
      cell(formatNumber(r.careQuarters), r.careQuarters),
      cell(formatCents(r.paidCents), r.paidCents / 100),
      cell(formatCents(r.counterfactualCents), r.counterfactualCents / 100),
      cell(formatCents(r.paidCents - r.counterfactualCents), (r.paidCents - r.counterfactualCents) / 100),
    ];
  });
  const shown = rows.filter((r) => r.paidCents !== null);
  const paid = shown.reduce((s, r) => s + (r.paidCents ?? 0), 0);
  const cf = shown.reduce((s, r) => s + (r.counterfactualCents ?? 0), 0);
  const summary = `${rows.map(labelOf).join('; ')}. ${t('table.total')} (${formatNumber(shown.length)}): ${t('table.paid').toLowerCase()} ${formatCents(paid)}, ${t('table.counterfactual').toLowerCase()} ${formatCents(cf)}.`;
  return { config, table: { head, rows: tableRows }, summary };
}
