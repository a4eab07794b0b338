import type { components } from '../api/schema';
import type { Arm } from '../api/types';
import { cell, type TableData, type Translate } from '../charts/chart-types';
import { formatCents, formatDate, formatEuros, formatNumber } from '../format';

type Schemas = components['schemas'];
export type InsurerCosts = Schemas['InsurerCostsDto'];
export type PracticeQuarterCost = Schemas['InsurerPracticeQuarterCostDto'];
export type PracticeCost = Schemas['InsurerPracticeCostDto'];
export type InsurerPatients = Schemas['InsurerPatientsDto'];
export type InsurerPatient = Schemas['InsurerPatientCostDto'];
export type CostItems = Schemas['CostItemsDto'];
export type CostQuarter = Schemas['CostQuarterDto'];
export type CostLine = Schemas['CostLineDto'];

/** The amounts of one cell; null when the API withheld them (fewer than 5 patients the reader may not see). */
export interface CostCell {
  patients: number;
  careQuarters: number | null;
  paidCents: number | null;
  counterfactualCents: number | null;
  withheld?: boolean;
  complete?: boolean;
}

export type Measure = 'total' | 'perCareQuarter';

/** A practice as the insurer sees it everywhere: "name (AGB)", so two practices of one name differ. */
export function practiceLabel(practice: { name: string; agb: string }, t: Translate): string {
  return t('insurerPages.practiceLabel', { name: practice.name, agb: practice.agb });
}

/** The page's selection as it stands in the address: the period (?van=2025-Q1&tot=2025-Q4) and, for an evaluator, the insurer. */
export interface InsurerSelection {
  from: string | null;
  to: string | null;
  insurer: string | null;
}

const QUARTER = /^\d{4}-Q[1-4]$/;

export function selectionOf(search: URLSearchParams): InsurerSelection {
  const quarter = (key: string) => {
    const value = search.get(key);
    return value && QUARTER.test(value) ? value : null;
  };
  return { from: quarter('van'), to: quarter('tot'), insurer: search.get('insurer') };
}

export function searchOf(selection: Partial<InsurerSelection>): string {
  const params = new URLSearchParams();
  if (selection.insurer) params.set('insurer', selection.insurer);
  if (selection.from) params.set('van', selection.from);
  if (selection.to) params.set('tot', selection.to);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The API query of a selection (from, to, insurer), with extra parameters. */
export function apiQuery(selection: InsurerSelection, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(extra);
  if (selection.insurer) params.set('insurer', selection.insurer);
  if (selection.from) params.set('from', selection.from);
  if (selection.to) params.set('to', selection.to);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The amount of a cell in the chosen measure (cents); null when withheld or without care quarters. */
export function amountOf(
  c: CostCell,
  key: 'paidCents' | 'counterfactualCents',
  measure: Measure,
): number | null {
  const cents = c[key];
  if (cents === null || c.careQuarters === null) return null;
  if (measure === 'total') return cents;
  return c.careQuarters > 0 ? cents / c.careQuarters : null;
}

/** Money in the chosen measure: whole cents as "€ 1.234,56"; a mean per care quarter unrounded until shown. */
export function formatAmount(cents: number | null, measure: Measure): string {
  if (cents === null) return '';
  return measure === 'total' ? formatCents(cents) : formatEuros(cents / 100);
}

/** One row of the practice x quarter table: a practice in one arm, its cell per quarter and its period total. */
export interface MatrixRow {
  practice: { agb: string; name: string; region: string };
  arm: Arm;
  cells: Map<string, PracticeQuarterCost>;
  total: PracticeCost | undefined;
}

/**
 * The practice x quarter table: one row per practice and arm (in the API's order: by name, then AGB), one column
 * per calendar quarter that has care in the period, and which of those quarters still run on the analysis date.
 */
export function matrixOf(costs: InsurerCosts): {
  quarters: string[];
  running: Set<string>;
  rows: MatrixRow[];
} {
  const quarters = [...new Set(costs.byPracticeQuarter.map((c) => c.quarter))].sort();
  const running = new Set(costs.byPracticeQuarter.filter((c) => !c.complete).map((c) => c.quarter));
  const rows = new Map<string, MatrixRow>();
  const key = (agb: string, arm: string) => `${agb}|${arm}`;
  for (const p of costs.byPractice) {
    rows.set(key(p.practice.agb, p.arm), {
      practice: p.practice,
      arm: p.arm as Arm,
      cells: new Map(),
      total: p,
    });
  }
  for (const c of costs.byPracticeQuarter) {
    const row = rows.get(key(c.practice.agb, c.arm)) ?? {
      practice: c.practice,
      arm: c.arm as Arm,
      cells: new Map(),
      total: undefined,
    };
    row.cells.set(c.quarter, c);
    rows.set(key(c.practice.agb, c.arm), row);
  }
  return { quarters, running, rows: [...rows.values()] };
}

/**
 * The practice x quarter table as CSV rows: one row per practice, arm and quarter, and one per practice and arm for
 * the period's total; raw numbers (euros), withheld cells empty.
 */
export function matrixCsv(costs: InsurerCosts, t: Translate): TableData {
  const { rows } = matrixOf(costs);
  const head = [
    t('table.agb'),
    t('table.practice'),
    t('table.arm'),
    t('insurerPages.matrix.csvQuarter'),
    t('insurerPages.matrix.csvComplete'),
    t('table.patients'),
    t('table.careQuarters'),
    t('table.paid'),
    t('table.counterfactual'),
    t('table.paidMinusCf'),
    `${t('table.paid')} ${t('insurerPages.matrix.perCareQuarter')}`,
    `${t('table.counterfactual')} ${t('insurerPages.matrix.perCareQuarter')}`,
  ];
  const amounts = (c: CostCell) => {
    const paid = c.paidCents;
    const cf = c.counterfactualCents;
    if (paid === null || cf === null || c.careQuarters === null)
      return [
        cell(t('insurer.withheld'), null),
        cell('', null),
        cell('', null),
        cell('', null),
        cell('', null),
        cell('', null),
      ];
    return [
      cell(formatNumber(c.careQuarters), c.careQuarters),
      cell(formatCents(paid), paid / 100),
      cell(formatCents(cf), cf / 100),
      cell(formatCents(paid - cf), (paid - cf) / 100),
      cell(formatEuros(paid / c.careQuarters / 100), paid / c.careQuarters / 100),
      cell(formatEuros(cf / c.careQuarters / 100), cf / c.careQuarters / 100),
    ];
  };
  const out = rows.flatMap((row) => {
    const start = [cell(row.practice.agb), cell(row.practice.name), cell(t(`arms.${row.arm}`), row.arm)];
    const perQuarter = [...row.cells.values()].map((c) => [
      ...start,
      cell(c.quarter),
      cell(c.complete ? t('incomplete.yes') : t('incomplete.no')),
      cell(formatNumber(c.patients), c.patients),
      ...amounts(c),
    ]);
    const total = row.total
      ? [
          [
            ...start,
            cell(t('insurerPages.matrix.csvTotal')),
            cell(''),
            cell(formatNumber(row.total.patients), row.total.patients),
            ...amounts(row.total),
          ],
        ]
      : [];
    return [...perQuarter, ...total];
  });
  return { head, rows: out };
}

/** One practice's quarters as a table (rows: quarters, then the period's total). */
export function practiceQuartersTable(costs: InsurerCosts, agb: string, t: Translate): TableData {
  const head = [
    t('table.quarter'),
    t('table.arm'),
    t('insurerPages.matrix.csvComplete'),
    t('table.patients'),
    t('table.careQuarters'),
    t('table.paid'),
    t('table.counterfactual'),
    t('table.paidMinusCf'),
    `${t('table.paid')} ${t('insurerPages.matrix.perCareQuarter')}`,
    `${t('table.counterfactual')} ${t('insurerPages.matrix.perCareQuarter')}`,
  ];
  const amounts = (c: CostCell) => {
    if (c.paidCents === null || c.counterfactualCents === null || c.careQuarters === null)
      return [1, 2, 3, 4, 5, 6].map(() => cell(t('insurer.withheld'), null));
    const { paidCents: paid, counterfactualCents: cf, careQuarters: n } = c;
    return [
      cell(formatNumber(n), n),
      cell(formatCents(paid), paid / 100),
      cell(formatCents(cf), cf / 100),
      cell(formatCents(paid - cf), (paid - cf) / 100),
      cell(formatEuros(paid / n / 100), paid / n / 100),
      cell(formatEuros(cf / n / 100), cf / n / 100),
    ];
  };
  const rows = [
    ...costs.byPracticeQuarter
      .filter((c) => c.practice.agb === agb)
      .map((c) => [
        cell(c.complete ? c.quarter : `${c.quarter} (${t('insurerPages.matrix.running')})`, c.quarter),
        cell(t(`arms.${c.arm}`), c.arm),
        cell(c.complete ? t('incomplete.yes') : t('incomplete.no')),
        cell(formatNumber(c.patients), c.patients),
        ...amounts(c),
      ]),
    ...costs.byPractice
      .filter((p) => p.practice.agb === agb)
      .map((p) => [
        cell(t('insurerPages.matrix.totalColumn'), 'TOTAL'),
        cell(t(`arms.${p.arm}`), p.arm),
        cell(''),
        cell(formatNumber(p.patients), p.patients),
        ...amounts(p),
      ]),
  ];
  return { head, rows };
}

/** A practice's patients as a table (and CSV): pseudonym, arm, intake, end, care quarters and amounts in the period. */
export function patientsTable(patients: InsurerPatient[], t: Translate, language: string): TableData {
  const head = [
    t('insurerPages.practicePage.pseudonym'),
    t('table.arm'),
    t('insurerPages.practicePage.intake'),
    t('insurerPages.practicePage.end'),
    t('insurerPages.practicePage.careQuarters'),
    t('table.paid'),
    t('table.counterfactual'),
    t('table.paidMinusCf'),
  ];
  const rows = patients.map((p) => [
    cell(p.pseudonym),
    cell(t(`arms.${p.arm}`), p.arm),
    cell(formatDate(p.intakeDate, language), p.intakeDate),
    cell(p.endDate ? formatDate(p.endDate, language) : '', p.endDate ?? ''),
    cell(formatNumber(p.careQuarters), p.careQuarters),
    cell(formatCents(p.paidCents), p.paidCents / 100),
    cell(formatCents(p.counterfactualCents), p.counterfactualCents / 100),
    cell(formatCents(p.paidCents - p.counterfactualCents), (p.paidCents - p.counterfactualCents) / 100),
  ]);
  return { head, rows };
}

/** The tariff lines of one care quarter as a table, with the quarter's total as the last row. */
export function linesTable(quarter: CostQuarter, t: Translate): TableData {
  const head = [
    t('insurerPages.patientPage.item'),
    t('insurerPages.patientPage.count'),
    t('insurerPages.patientPage.bundleUnit'),
    t('insurerPages.patientPage.ffsUnit'),
    t('insurerPages.patientPage.bundle'),
    t('insurerPages.patientPage.ffs'),
    t('table.paid'),
    t('table.counterfactual'),
  ];
  // A tariff the item has not under an arm (a treatment under the bundle, the quarter tariff under per verrichting) is a dash, not € 0.
  const unit = (cents: number, applies: boolean) =>
    applies ? cell(formatCents(cents), cents / 100) : cell('–', null);
  const rows = quarter.lines.map((l) => [
    cell(
      l.priced
        ? t(`insurerPages.patientPage.items.${l.item}`)
        : `${t(`insurerPages.patientPage.items.${l.item}`)} (${t('insurerPages.patientPage.unpriced')})`,
      l.item,
    ),
    cell(formatNumber(l.count), l.count),
    unit(l.bundleUnitCents, l.item === 'INTAKE' || l.item === 'QUARTER'),
    unit(l.ffsUnitCents, l.item !== 'QUARTER'),
    cell(formatCents(l.bundleCents), l.bundleCents / 100),
    cell(formatCents(l.ffsCents), l.ffsCents / 100),
    cell(formatCents(l.paidCents), l.paidCents / 100),
    cell(formatCents(l.counterfactualCents), l.counterfactualCents / 100),
  ]);
  rows.push([
    cell(t('insurerPages.patientPage.quarterTotal'), 'TOTAL'),
    cell(''),
    cell(''),
    cell(''),
    cell(formatCents(quarter.bundleCents), quarter.bundleCents / 100),
    cell(formatCents(quarter.ffsCents), quarter.ffsCents / 100),
    cell(formatCents(quarter.paidCents), quarter.paidCents / 100),
    cell(formatCents(quarter.counterfactualCents), quarter.counterfactualCents / 100),
  ]);
  return { head, rows };
}

/**
 * The period values of the address (?van=, ?tot=) that name no quarter of the experiment so far: malformed, or
 * outside the list once it is known (`quarters` undefined until the first answer). Each value once.
 */
export function unknownPeriodValues(search: URLSearchParams, quarters: string[] | undefined): string[] {
  const asked = ['van', 'tot']
    .map((key) => search.get(key))
    .filter((v): v is string => v !== null && v !== '');
  const unknown = asked.filter((v) => !QUARTER.test(v) || (quarters !== undefined && !quarters.includes(v)));
  return [...new Set(unknown)];
}
