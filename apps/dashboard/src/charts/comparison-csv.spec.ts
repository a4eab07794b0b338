import type { Comparison, Indicator } from '../api/types';
import { comparisonCsv, comparisonCsvFileName } from './comparison-csv';

type ArmValues = Indicator['arms']['BUNDLE'];
const arm = (over: Partial<ArmValues>): ArmValues => ({ n: 0, value: null, ciLow: null, ciHigh: null, adjusted: null, adjustedNote: null, ...over });

/** The worked example's cost indicator: € 390 paid per care quarter in the bundle arm, € 310,5 under FFS. */
const paid = {
  code: 'PAID_PER_CARE_QUARTER',
  kind: 'MEAN',
  unit: 'EUR',
  mcid: null,
  arms: {
    BUNDLE: arm({ n: 12, value: 390, ciLow: 351.123, ciHigh: 428.876, adjusted: 389.994 }),
    FFS: arm({ n: 10, value: 310.5, ciLow: 280.004, ciHigh: 340.996, adjusted: 311 }),
  },
  difference: { value: 79.5, ciLow: 31.2549, ciHigh: 127.7451, mdd: 66.666 },
  clustered: {
    arms: {
      BUNDLE: { clusters: 3, ciLow: 300.1, ciHigh: 479.9, designEffect: 2.346 },
      FFS: { clusters: 2, ciLow: null, ciHigh: null, designEffect: null },
    },
    difference: { ciLow: -0.004, ciHigh: 169.009, df: 2.5, mdd: 120.5 },
  },
} as unknown as Indicator;

/** A share: 0.123456 of the bundle patients have a complete baseline. */
const baseline = {
  code: 'BASELINE_COMPLETE',
  kind: 'PROPORTION',
  unit: 'fraction of patients',
  mcid: null,
  arms: {
    BUNDLE: arm({ n: 81, value: 0.123456, ciLow: 0.06, ciHigh: 0.21, adjusted: 0.1 }),
    FFS: arm({ n: 3, value: null, adjustedNote: 'withheld: fewer than 5 patients' }),
  },
  difference: { value: null, ciLow: null, ciHigh: null, mdd: null },
  withheld: ['FFS'],
  clustered: null,
} as unknown as Indicator;

const comparison = (filters: Comparison['filters'] = {}): Comparison =>
  ({
    experiment: 'COPD-DEMO',
    analysisDate: '2026-09-30',
    computedAt: '2026-10-01T08:00:00.000Z',
    stale: false,
    filters,
    practices: { BUNDLE: 3, FFS: 2 },
    indicators: [paid, baseline],
  }) as Comparison;

describe('comparisonCsv', () => {
  it('should write one Dutch row per indicator with the screen rounding when the language is nl', () => {
    const lines = comparisonCsv(comparison({ goldStage: [3, 4], profile: [4], practice: ['12345678'] }), 'nl').replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(
      [
        'Indicatorcode;Indicator;Eenheid',
        'Bundel: n;Bundel: waarde;Bundel: 95%-BI onder;Bundel: 95%-BI boven;Bundel: 95%-BI onder, geclusterd per praktijk;Bundel: 95%-BI boven, geclusterd per praktijk;Bundel: designeffect (2 decimalen);Bundel: praktijken (clusters);Bundel: gecorrigeerd voor GOLD-stadium',
        'Per verrichting: n;Per verrichting: waarde;Per verrichting: 95%-BI onder;Per verrichting: 95%-BI boven;Per verrichting: 95%-BI onder, geclusterd per praktijk;Per verrichting: 95%-BI boven, geclusterd per praktijk;Per verrichting: designeffect (2 decimalen);Per verrichting: praktijken (clusters);Per verrichting: gecorrigeerd voor GOLD-stadium',
        'Verschil bundel − per verrichting;Verschil 95%-BI onder;Verschil 95%-BI boven;Verschil 95%-BI onder, geclusterd per praktijk;Verschil 95%-BI boven, geclusterd per praktijk;MDV;MDV, geclusterd per praktijk;MCID',
        'Filter praktijk (AGB);Filter verzekeraar (UZOVI);Filter regio;Filter GOLD-stadium;Filter KNGF-profiel;Filter intake vanaf;Filter intake tot en met;Experiment;Peildatum;Berekend op',
      ].join(';'),
    );
    // Euros to cents: 390 -> 390,00; 351.123 -> 351,12; 428.876 -> 428,88; 389.994 -> 389,99; 280.004 -> 280,00;
    // 340.996 -> 341,00; 66.666 -> 66,67. Design effect 2.346 -> 2,35. A clustered low of -0.004 rounds to 0,00, not -0,00.
    // FFS has two practices, so its clustered interval and design effect are null: empty cells, clusters 2.
    expect(lines[1]).toBe(
      [
        'PAID_PER_CARE_QUARTER;Betaald per zorgkwartaal;EUR',
        '12;390,00;351,12;428,88;300,10;479,90;2,35;3;389,99',
        '10;310,50;280,00;341,00;;;;2;311,00',
        '79,50;31,25;127,75;0,00;169,01;66,67;120,50;',
        '12345678;;;3|4;4;;;COPD-DEMO;2026-09-30;2026-10-01T08:00:00.000Z',
      ].join(';'),
    );
    // Shares to 4 decimals: 0.123456 -> 0,1235, 0.06 -> 0,0600. FFS is withheld: its n (3) stays, every other cell
    // of it and the whole difference are empty; no clustered field, so no clustered cells either.
    expect(lines[2]).toBe(
      [
        'BASELINE_COMPLETE;Nulmeting compleet;fraction of patients',
        '81;0,1235;0,0600;0,2100;;;;;0,1000',
        '3;;;;;;;;',
        ';;;;;;;',
        '12345678;;;3|4;4;;;COPD-DEMO;2026-09-30;2026-10-01T08:00:00.000Z',
      ].join(';'),
    );
    expect(lines[3]).toBe('');
    expect(lines).toHaveLength(4);
  });

  it('should write RFC 4180 with decimal points and English headers when the language is en', () => {
    const lines = comparisonCsv(comparison({ region: ['Noord, Oost'], intakeFrom: '2025-01-01' }), 'en').replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0].startsWith('Indicator code,Indicator,Unit,Bundle: n,Bundle: value,Bundle: 95% CI low,')).toBe(true);
    // The region name holds the delimiter, so it is quoted.
    expect(lines[1]).toBe(
      'PAID_PER_CARE_QUARTER,Paid per care quarter,EUR,12,390.00,351.12,428.88,300.10,479.90,2.35,3,389.99,' +
        '10,310.50,280.00,341.00,,,,2,311.00,79.50,31.25,127.75,0.00,169.01,66.67,120.50,,' +
        ',,"Noord, Oost",,,2025-01-01,,COPD-DEMO,2026-09-30,2026-10-01T08:00:00.000Z',
    );
  });
});

describe('comparisonCsvFileName', () => {
  it('should name experiment, analysis date and every filter when filters are applied', () => {
    expect(comparisonCsvFileName(comparison({ goldStage: [3, 4], profile: [4] }))).toBe('armvergelijking_COPD-DEMO_2026-09-30_gold-3-4_profiel-4.csv');
    expect(comparisonCsvFileName(comparison({ practice: ['12345678'], region: ['Zuid-Holland Noord', 'Fryslân'], intakeTo: '2025-12-31' }))).toBe(
      'armvergelijking_COPD-DEMO_2026-09-30_praktijk-12345678_regio-Zuid-Holland-Noord-Fryslan_intake-tot-2025-12-31.csv',
    );
  });

  it('should say alle-patienten when no filter is applied', () => {
    expect(comparisonCsvFileName(comparison())).toBe('armvergelijking_COPD-DEMO_2026-09-30_alle-patienten.csv');
  });
});
