import i18next from 'i18next';
import type { Translate } from '../charts/chart-types';
import { en } from '../locales/en';
import { nl } from '../locales/nl';
import { amountOf, InsurerCosts, linesTable, matrixCsv, matrixOf, practiceLabel, selectionOf, unknownPeriodValues } from './insurer-data';

const i18n = i18next.createInstance();
void i18n.init({ resources: { nl: { translation: nl }, en: { translation: en } }, lng: 'nl', fallbackLng: 'nl', interpolation: { escapeValue: false }, initAsync: false });
const t = i18n.getFixedT('nl') as Translate;

const C_UTRECHT = { agb: '12345678', name: 'Praktijk C', region: 'Utrecht' };
const C_ZWOLLE = { agb: '87654321', name: 'Praktijk C', region: 'Zwolle' };

/** The worked example of DOMAIN.md 9 five times at one practice (see apps/api/test/insurer-pages.int-spec.ts), and a small cell. */
const costs = {
  experiment: 'WORKED',
  analysisDate: '2025-09-15',
  computedAt: null,
  stale: false,
  insurers: [{ uzovi: '3311', name: 'Verzekeraar 3311' }],
  period: { from: null, to: null },
  quarters: ['2025-Q1', '2025-Q2', '2025-Q3'],
  byPracticeQuarter: [
    { practice: C_UTRECHT, arm: 'BUNDLE', quarter: '2025-Q1', quarterStart: '2025-01-01', complete: true, patients: 5, careQuarters: 5, paidCents: 225000, counterfactualCents: 110000 },
    { practice: C_UTRECHT, arm: 'BUNDLE', quarter: '2025-Q3', quarterStart: '2025-07-01', complete: false, patients: 5, careQuarters: 5, paidCents: 180000, counterfactualCents: 20000 },
    { practice: C_ZWOLLE, arm: 'FFS', quarter: '2025-Q1', quarterStart: '2025-01-01', complete: true, patients: 1, careQuarters: null, paidCents: null, counterfactualCents: null, withheld: true },
  ],
  byPractice: [
    { practice: C_UTRECHT, arm: 'BUNDLE', patients: 5, careQuarters: 10, paidCents: 405000, counterfactualCents: 130000 },
    { practice: C_ZWOLLE, arm: 'FFS', patients: 1, careQuarters: null, paidCents: null, counterfactualCents: null, withheld: true },
  ],
  byQuarter: [],
  totals: [],
} as unknown as InsurerCosts;

describe('the insurer pages: table data', () => {
  it('should label a practice with its name and AGB when two practices share a name', () => {
    expect(practiceLabel(C_UTRECHT, t)).toBe('Praktijk C (12345678)');
    expect(practiceLabel(C_ZWOLLE, t)).toBe('Praktijk C (87654321)');
  });

  it('should build one row per practice and arm with its quarters and mark the running quarter when a quarter is incomplete', () => {
    const { quarters, running, rows } = matrixOf(costs);
    expect(quarters).toEqual(['2025-Q1', '2025-Q3']);
    expect([...running]).toEqual(['2025-Q3']);
    expect(rows.map((r) => [r.practice.agb, r.arm, [...r.cells.keys()], r.total?.paidCents ?? null])).toEqual([
      ['12345678', 'BUNDLE', ['2025-Q1', '2025-Q3'], 405000],
      ['87654321', 'FFS', ['2025-Q1'], null],
    ]);
  });

  it('should give the amount per care quarter unrounded and none for a withheld cell when the measure changes', () => {
    const [q1] = costs.byPracticeQuarter;
    // 225000 cents / 5 care quarters = 45000 cents; 110000 / 5 = 22000.
    expect(amountOf(q1, 'paidCents', 'perCareQuarter')).toBe(45000);
    expect(amountOf(q1, 'counterfactualCents', 'total')).toBe(110000);
    expect(amountOf(costs.byPracticeQuarter[2], 'paidCents', 'total')).toBeNull();
  });

  it('should write the CSV one row per practice, arm and quarter plus the period total with raw euros when downloaded', () => {
    const csv = matrixCsv(costs, t);
    expect(csv.rows.map((r) => r.map((c) => c.value))).toEqual([
      // 225000 - 110000 = 115000 cents; per care quarter 2250 and 1100 euros.
      ['12345678', 'Praktijk C', 'BUNDLE', '2025-Q1', 'ja', 5, 5, 2250, 1100, 1150, 450, 220],
      // 180000 / 5 = 36000 cents = 360 euros; 20000 / 5 = 40 euros.
      ['12345678', 'Praktijk C', 'BUNDLE', '2025-Q3', 'nee, lopend kwartaal', 5, 5, 1800, 200, 1600, 360, 40],
      // 405000 / 10 = 405 euros; 130000 / 10 = 130 euros.
      ['12345678', 'Praktijk C', 'BUNDLE', 'totaal periode', '', 5, 10, 4050, 1300, 2750, 405, 130],
      ['87654321', 'Praktijk C', 'FFS', '2025-Q1', 'ja', 1, null, null, null, null, null, null],
      ['87654321', 'Praktijk C', 'FFS', 'totaal periode', '', 1, null, null, null, null, null, null],
    ]);
  });

  it('should show a dash for a tariff an item has not under an arm when listing a quarter\'s items', () => {
    const table = linesTable(
      {
        index: 1, start: '2025-02-10', endExclusive: '2025-05-10', calendarQuarter: '2025-Q1', isCareQuarter: true, ended: true,
        bundleCents: 45000, ffsCents: 22000, paidCents: 45000, counterfactualCents: 22000,
        lines: [
          { item: 'INTAKE', count: 1, bundleUnitCents: 9000, ffsUnitCents: 6000, bundleCents: 9000, ffsCents: 6000, paidCents: 9000, counterfactualCents: 6000, priced: true },
          { item: 'QUARTER', count: 1, bundleUnitCents: 36000, ffsUnitCents: 0, bundleCents: 36000, ffsCents: 0, paidCents: 36000, counterfactualCents: 0, priced: true },
          { item: 'SESSION', count: 2, bundleUnitCents: 0, ffsUnitCents: 4000, bundleCents: 0, ffsCents: 8000, paidCents: 0, counterfactualCents: 8000, priced: true },
        ],
      },
      t,
    );
    // Intl writes a no-break space after the euro sign.
    expect(table.rows.map((r) => r.map((c) => c.text.replace(/\u00a0/g, ' ')))).toEqual([
      ['Intake', '1', '€ 90,00', '€ 60,00', '€ 90,00', '€ 60,00', '€ 90,00', '€ 60,00'],
      ['Kwartaaltarief (bundel)', '1', '€ 360,00', '–', '€ 360,00', '€ 0,00', '€ 360,00', '€ 0,00'],
      ['Behandeling (individueel of op afstand)', '2', '–', '€ 40,00', '€ 0,00', '€ 80,00', '€ 0,00', '€ 80,00'],
      ['Totaal zorgkwartaal', '', '', '', '€ 450,00', '€ 220,00', '€ 450,00', '€ 220,00'],
    ]);
  });

  it('should read the period from the address and name the quarters that do not exist when the address has them', () => {
    expect(selectionOf(new URLSearchParams('van=2025-Q1&tot=2025-Q9&insurer=3311'))).toEqual({ from: '2025-Q1', to: null, insurer: '3311' });
    expect(unknownPeriodValues(new URLSearchParams('van=2025-Q1&tot=2025-Q9'), undefined)).toEqual(['2025-Q9']);
    expect(unknownPeriodValues(new URLSearchParams('van=2024-Q4&tot=2025-Q3'), costs.quarters)).toEqual(['2024-Q4']);
  });
});
