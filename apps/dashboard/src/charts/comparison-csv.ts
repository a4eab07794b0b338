import type { Arm, Comparison, Indicator } from '../api/types';
import { scaleOf } from '../format';
import { en } from '../locales/en';
import { nl, type Messages } from '../locales/nl';
import { downloadCsv, fixed, rowsToCsv, type CsvValue } from './csv';

const ARMS: Arm[] = ['BUNDLE', 'FFS'];

/** The practice-clustered intervals of DOMAIN.md 7a (null for WAIT_DAYS and ENROLLED). */
type Clustered = NonNullable<Indicator['clustered']>;

/** Read defensively: a comparison cached before the field existed has none. */
function clusteredOf(indicator: Indicator): Clustered | null {
  return indicator.clustered ?? null;
}

/**
 * Decimals of a value in the CSV: as the screen rounds it (format.ts scaleOf: euros to cents, metres to 1,
 * rates per patient-year to 3, days to 1, counts to 0, other points to 2), except shares: the screen shows a
 * percentage with 1 decimal, the CSV the fraction itself with 4 (0.123456 -> 0.1235, the same precision).
 */
export function csvDecimals(unit: string): number {
  if (unit.startsWith('fraction')) return 4;
  return scaleOf(unit).decimals;
}

/** The design effect (variance inflation of the clustered interval) with 2 decimals, in every unit. */
const DESIGN_EFFECT_DECIMALS = 2;

/** Several codes of one filter in one cell: "|" reads as a decimal or list separator in neither language. */
const LIST_SEPARATOR = '|';

function messagesOf(language: string): Messages {
  return language.startsWith('en') ? en : nl;
}

/**
 * The comparison as a CSV for analysts (issue 12 item 3): one row per indicator with its code, name and unit;
 * per arm n, value, the 95% interval, the practice-clustered interval, design effect, practices (clusters) and
 * the GOLD-adjusted value; the difference with both intervals, the MDD (plain and clustered) and the MCID; then
 * one column per filter kind with the applied codes, the experiment, the analysis date and the computation time.
 * Values are rounded as on screen (csvDecimals) and stay numbers; an arm withheld from the reader (fewer than
 * 5 patients) keeps its n and has empty cells, as does the difference.
 */
export function comparisonCsv(comparison: Comparison, language: string): string {
  const m = messagesOf(language);
  const c = m.csv;
  const armHead = (arm: Arm) => {
    const label = m.arms[arm];
    return [c.n, c.value, c.ciLow, c.ciHigh, c.clusteredCiLow, c.clusteredCiHigh, c.designEffect, c.practices, c.adjusted].map(
      (h) => `${label}: ${h}`,
    );
  };
  const head = [
    c.code,
    c.indicator,
    c.unit,
    ...ARMS.flatMap(armHead),
    c.difference,
    c.differenceCiLow,
    c.differenceCiHigh,
    c.differenceClusteredCiLow,
    c.differenceClusteredCiHigh,
    c.mdd,
    c.clusteredMdd,
    c.mcid,
    c.filterPractice,
    c.filterInsurer,
    c.filterRegion,
    c.filterGoldStage,
    c.filterProfile,
    c.filterIntakeFrom,
    c.filterIntakeTo,
    c.experiment,
    c.analysisDate,
    c.computedAt,
  ];
  const f = comparison.filters;
  const list = (values: readonly (string | number)[] | undefined): CsvValue => {
    if (!values || values.length === 0) return null;
    return values.length === 1 ? values[0] : values.join(LIST_SEPARATOR);
  };
  const context: CsvValue[] = [
    list(f.practice),
    list(f.insurer),
    list(f.region),
    list(f.goldStage),
    list(f.profile),
    f.intakeFrom ?? null,
    f.intakeTo ?? null,
    comparison.experiment,
    comparison.analysisDate,
    comparison.computedAt,
  ];
  const rows = comparison.indicators.map((indicator): CsvValue[] => {
    const decimals = csvDecimals(indicator.unit);
    const round = (value: number | null | undefined) => fixed(value, decimals);
    const withheld = new Set(indicator.withheld ?? []);
    const clustered = clusteredOf(indicator);
    const arms = ARMS.flatMap((arm): CsvValue[] => {
      const a = indicator.arms[arm];
      const k = clustered?.arms[arm];
      if (withheld.has(arm)) return [a.n, null, null, null, null, null, null, k?.clusters ?? null, null];
      return [
        a.n,
        round(a.value),
        round(a.ciLow),
        round(a.ciHigh),
        round(k?.ciLow),
        round(k?.ciHigh),
        fixed(k?.designEffect, DESIGN_EFFECT_DECIMALS),
        k?.clusters ?? null,
        round(a.adjusted),
      ];
    });
    const d = indicator.difference;
    const difference: CsvValue[] =
      withheld.size > 0
        ? [null, null, null, null, null, null, null]
        : [round(d.value), round(d.ciLow), round(d.ciHigh), round(clustered?.difference.ciLow), round(clustered?.difference.ciHigh), round(d.mdd), round(clustered?.difference.mdd)];
    return [indicator.code, m.indicators[indicator.code], indicator.unit, ...arms, ...difference, round(indicator.mcid), ...context];
  });
  return rowsToCsv(head, rows, language);
}

/** Letters, digits, '.' and '-' only (accents dropped, anything else a '-'), so the name is safe on every system. */
function safe(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * `armvergelijking_<experiment>_<analysis date>_<filter>.csv`, the filter as `praktijk-<AGB>`, `verzekeraar-<UZOVI>`,
 * `regio-<name>`, `gold-3-4`, `profiel-4`, `intake-vanaf-<date>`, `intake-tot-<date>` joined by '_', or
 * `alle-patienten` without a filter. Always Dutch, as the file travels between Dutch colleagues.
 */
export function comparisonCsvFileName(comparison: Comparison): string {
  const f = comparison.filters;
  const parts: string[] = [];
  const add = (prefix: string, values: readonly (string | number)[] | undefined) => {
    if (values && values.length > 0) parts.push(`${prefix}-${values.map((v) => safe(String(v))).join('-')}`);
  };
  add('praktijk', f.practice);
  add('verzekeraar', f.insurer);
  add('regio', f.region);
  add('gold', f.goldStage);
  add('profiel', f.profile);
  if (f.intakeFrom) parts.push(`intake-vanaf-${f.intakeFrom}`);
  if (f.intakeTo) parts.push(`intake-tot-${f.intakeTo}`);
  const filter = parts.length === 0 ? 'alle-patienten' : parts.join('_');
  return `armvergelijking_${safe(comparison.experiment)}_${comparison.analysisDate}_${filter}.csv`;
}

/** Builds the comparison CSV in the browser and downloads it under comparisonCsvFileName. */
export function downloadComparisonCsv(comparison: Comparison, language: string): void {
  downloadCsv(comparisonCsvFileName(comparison).replace(/\.csv$/, ''), comparisonCsv(comparison, language));
}
