import type { ChartConfiguration } from 'chart.js';
import { INDICATOR_CHART_GROUPS } from '@copd/domain';
import { adjustedNoteText } from './adjusted-note';
import type { Arm, Indicator } from '../api/types';
import { DASH, formatEuroTick, formatNumber, formatValue, formatWithInterval, scaleOf } from '../format';
import { axisRange, clip, limitsOf, type AxisLimits } from './axis-bounds';
import { ARM_COLOURS, cell, ChartSpec, GREY, Translate } from './chart-types';
import { labelPadding, type ReferenceLine } from './interval-markers';

/** Indicators that share a unit share a chart (a forest plot needs one axis). */
export interface IndicatorGroup {
  key: string;
  codes: string[];
}

/** The charts and their indicators, from the domain's indicator catalogue (libs/domain/src/indicators/catalogue.ts). */
export const INDICATOR_GROUPS: IndicatorGroup[] = INDICATOR_CHART_GROUPS.map(({ key, codes }) => ({ key, codes: [...codes] }));

const ARMS: Arm[] = ['BUNDLE', 'FFS'];

function groupIndicators(indicators: Indicator[], group: IndicatorGroup): Indicator[] {
  return group.codes.map((code) => indicators.find((i) => i.code === code)).filter((i): i is Indicator => i !== undefined);
}

/** Floating-bar data for an interval; a point estimate without interval becomes a zero-width bar. */
function span(value: number | null, low: number | null, high: number | null, factor: number, limits: AxisLimits = {}): [number, number] | null {
  // An interval running past what the quantity allows (a share's CI below 0 %) ends at the axis' limit.
  if (low !== null && high !== null) return [clip(low * factor, limits), clip(high * factor, limits)];
  if (value !== null) return [value * factor, value * factor];
  return null;
}

/** Colours of the reference marks: MCID (amber-brown) and MDD (dark green), both with contrast on white. */
const MCID_COLOUR = '#8a5a00';
const MDD_COLOUR = '#1e6b2f';

/** Ticks of a value axis: whole euros ("€ 1.200") on a euro axis, never rotated. */
function valueTicks(unit: string) {
  return unit === 'EUR' ? { maxRotation: 0, callback: (v: number | string) => formatEuroTick(Number(v)) } : { maxRotation: 0 };
}

/**
 * Forest plot: the difference BUNDLE - FFS of every indicator in the group, with its 95% CI, against a
 * line at zero and (where the group has one) the MCID, labelled on the line and in the legend. Each indicator's
 * MDD is drawn as dashed marks at ±MDD across its row (in the legend too). The axis is in the difference's unit:
 * percentage points for shares, bounded to ±100 pp (axis-bounds.ts).
 */
export function buildForestPlot(indicators: Indicator[], group: IndicatorGroup, t: Translate): ChartSpec<'bar'> {
  const rows = groupIndicators(indicators, group);
  const unit = rows[0]?.unit ?? '';
  const { factor } = scaleOf(unit);
  const mcid = rows.find((r) => r.mcid !== null)?.mcid ?? null;
  const labels = rows.map((r) => t(`indicators.${r.code}`));
  const limits = limitsOf(unit, true);
  const lines: ReferenceLine[] = [{ value: 0, colour: '#1b1b1b', label: '0' }];
  if (mcid !== null) lines.push({ value: mcid * factor, colour: MCID_COLOUR, dash: [6, 4], label: `MCID ${formatValue(mcid, unit, true)}` });
  const mdd = rows.map((r) => (r.difference.mdd === null ? null : r.difference.mdd * factor));
  const tooltips = rows.map(
    (r) => `${formatWithInterval(r.difference.value, r.difference.ciLow, r.difference.ciHigh, unit, true)}; ${t('table.mdd')} ${formatValue(r.difference.mdd, unit, true)}`,
  );
  // The axis always shows zero, the MCID and ±MDD, within what a difference of the quantity can be.
  const range = axisRange(
    [
      ...rows.flatMap((r) => [r.difference.ciLow, r.difference.ciHigh, r.difference.value].map((v) => (v === null ? null : v * factor))),
      0,
      mcid === null ? null : mcid * factor,
      ...mdd.flatMap((m) => (m === null ? [] : [m, -m])),
    ],
    limits,
  );
  // Legend-only entries (no values: they draw nothing and show in no tooltip) for the MCID line and the MDD marks.
  const legendOnly = (label: string, colour: string, dash: number[]) => ({
    label,
    data: rows.map(() => null) as unknown as number[],
    backgroundColor: '#ffffff',
    borderColor: colour,
    borderWidth: 2,
    borderDash: dash,
  });
  const axisUnit = unit.startsWith('fraction') ? t('units.percentPoints') : unitLabel(unit, t);
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels,
      datasets: [
        {
          label: t('chart.differenceLegend'),
          data: rows.map((r) => span(r.difference.value, r.difference.ciLow, r.difference.ciHigh, factor, limits)) as unknown as number[],
          backgroundColor: GREY,
          borderColor: '#1b1b1b',
          barThickness: 4,
        },
        ...(mcid === null ? [] : [legendOnly(t('chart.mcidLegend', { value: formatValue(mcid, unit, true) }), MCID_COLOUR, [6, 4])]),
        ...(mdd.some((m) => m !== null) ? [legendOnly(t('chart.mddLegend'), MDD_COLOUR, [2, 2])] : []),
      ],
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      layout: { padding: { top: labelPadding(lines.length), right: 8 } },
      scales: {
        x: { ...range, ticks: valueTicks(unit), title: { display: true, text: `${t('table.difference')} (${axisUnit})` } },
        y: { ticks: { autoSkip: false } },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: { filter: (item) => item.datasetIndex === 0, callbacks: { label: (item) => tooltips[item.dataIndex] } },
        intervalMarkers: {
          estimates: [rows.map((r) => (r.difference.value === null ? null : r.difference.value * factor))],
          lines,
          axis: 'x',
          rowMarks: [
            { values: mdd, colour: MDD_COLOUR, dash: [2, 2] },
            { values: mdd.map((m) => (m === null ? null : -m)), colour: MDD_COLOUR, dash: [2, 2] },
          ],
        },
      },
    },
  };
  const head = [t('table.indicator'), t('table.difference'), `${t('table.ci')} ${t('table.difference')}`, t('table.mdd'), t('table.mcid')];
  const tableRows = rows.map((r, i) => [
    cell(labels[i], r.code),
    cell(formatValue(r.difference.value, unit, true), r.difference.value),
    cell(
      r.difference.ciLow === null ? DASH : `${formatValue(r.difference.ciLow, unit, true)} – ${formatValue(r.difference.ciHigh, unit, true)}`,
      r.difference.ciLow === null ? null : `${r.difference.ciLow};${r.difference.ciHigh}`,
    ),
    cell(formatValue(r.difference.mdd, unit, true), r.difference.mdd),
    cell(r.mcid === null ? DASH : formatValue(r.mcid, unit, true), r.mcid),
  ]);
  const summary = rows
    .map((r, i) => `${labels[i]}: ${formatWithInterval(r.difference.value, r.difference.ciLow, r.difference.ciHigh, unit, true)}`)
    .join('; ');
  return { config, table: { head, rows: tableRows }, summary };
}

/** The value of every indicator in the group per arm, with its 95% CI as an error bar. */
export function buildArmValuesChart(indicators: Indicator[], group: IndicatorGroup, t: Translate): ChartSpec<'bar'> {
  const rows = groupIndicators(indicators, group);
  const unit = rows[0]?.unit ?? '';
  const { factor } = scaleOf(unit);
  const labels = rows.map((r) => t(`indicators.${r.code}`));
  const limits = limitsOf(unit);
  const values = ARMS.flatMap((arm) => rows.flatMap((r) => [r.arms[arm].ciLow, r.arms[arm].ciHigh, r.arms[arm].value]));
  const range = axisRange([...values.map((v) => (v === null ? null : v * factor)), 0], limits);
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels,
      datasets: ARMS.map((arm) => ({
        label: t(`arms.${arm}`),
        data: rows.map((r) => span(r.arms[arm].value, r.arms[arm].ciLow, r.arms[arm].ciHigh, factor, limits)) as unknown as number[],
        backgroundColor: ARM_COLOURS[arm],
        borderColor: ARM_COLOURS[arm],
        barThickness: 4,
      })),
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { ...range, ticks: valueTicks(unit), title: { display: true, text: unitLabel(unit, t) } }, y: { ticks: { autoSkip: false } } },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: {
          callbacks: {
            label: (item) => {
              const r = rows[item.dataIndex].arms[ARMS[item.datasetIndex]];
              return `${t(`arms.${ARMS[item.datasetIndex]}`)}: ${formatWithInterval(r.value, r.ciLow, r.ciHigh, unit)} (n = ${formatNumber(r.n)})`;
            },
          },
        },
        intervalMarkers: {
          estimates: ARMS.map((arm) => rows.map((r) => (r.arms[arm].value === null ? null : (r.arms[arm].value as number) * factor))),
          lines: [{ value: 0, colour: '#8c8c8c' }],
          axis: 'x',
        },
      },
    },
  };
  const head = [t('table.indicator'), t('table.arm'), t('table.value'), t('table.ci'), t('table.adjusted'), t('table.n')];
  const tableRows = rows.flatMap((r, i) =>
    ARMS.map((arm) => {
      const a = r.arms[arm];
      return [
        cell(labels[i], r.code),
        cell(t(`arms.${arm}`), arm),
        cell(formatValue(a.value, unit), a.value),
        cell(a.ciLow === null ? DASH : `${formatValue(a.ciLow, unit)} – ${formatValue(a.ciHigh, unit)}`, a.ciLow === null ? null : `${a.ciLow};${a.ciHigh}`),
        cell(a.adjusted === null ? adjustedNoteText(a.adjustedNote, t) : formatValue(a.adjusted, unit), a.adjusted),
        cell(formatNumber(a.n), a.n),
      ];
    }),
  );
  const summary = rows
    .map((r, i) => `${labels[i]}: ${ARMS.map((arm) => `${t(`arms.${arm}`)} ${formatWithInterval(r.arms[arm].value, r.arms[arm].ciLow, r.arms[arm].ciHigh, unit)}`).join(', ')}`)
    .join('; ');
  return { config, table: { head, rows: tableRows }, summary };
}

const UNIT_KEYS: Record<string, string> = {
  EUR: 'eur', m: 'm', 'CCQ points': 'ccq', 'CAT points': 'cat', sessions: 'sessions',
  'per patient-year': 'perPatientYear', days: 'days', patients: 'patients',
};

export function unitLabel(unit: string, t: Translate): string {
  return t(`units.${unit.startsWith('fraction') ? 'percent' : (UNIT_KEYS[unit] ?? 'none')}`);
}
