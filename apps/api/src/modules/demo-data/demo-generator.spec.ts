import { createHash } from 'node:crypto';
import { checkExchangeDocument, emptyStoredState } from '../exchange/exchange-validation';
import { generateExperiment } from './demo-generator';

const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

describe('generateExperiment', () => {
  const options = { practices: 12, patients: 600, seed: 7 };
  const doc = generateExperiment(options);

  it('should give a byte-identical document when the options are the same', () => {
    expect(sha256(generateExperiment(options))).toBe(sha256(doc));
  });

  it('should give a different document when the seed differs', () => {
    expect(sha256(generateExperiment({ ...options, seed: 8 }))).not.toBe(sha256(doc));
  });

  it('should pass every domain rule when validated as an import into an empty database', () => {
    // "Today" is the analysis date itself: nothing may be dated after it.
    const { violations } = checkExchangeDocument(doc, emptyStoredState(), doc.experiment.analysisDate);
    expect(violations).toEqual([]);
  });

  it('should stay valid when the size, seed and analysis date vary', () => {
    for (const [practices, patients, seed, analysisDate] of [
      [1, 5, 1, '2025-01-01'],
      [3, 200, 2, '2025-03-15'],
      [25, 1500, 3, '2027-06-30'],
    ] as const) {
      const other = generateExperiment({ practices, patients, seed, analysisDate });
      expect(checkExchangeDocument(other, emptyStoredState(), analysisDate).violations).toEqual([]);
      expect(other.patients).toHaveLength(patients);
      expect(other.practices).toHaveLength(practices);
    }
  });

  it('should look like the experiment when the sample is large enough', () => {
    expect(new Set(doc.contracts.map((c) => c.arm))).toEqual(new Set(['BUNDLE', 'FFS']));
    const byGold = countBy(doc.patients.map((p) => p.goldStage));
    expect(byGold.get(2)!).toBeGreaterThan(byGold.get(3)!);
    expect(byGold.get(3)!).toBeGreaterThan(byGold.get(4)!);
    expect(doc.practices.every((p) => /^\d{8}$/.test(p.agb))).toBe(true);
    expect(doc.practices.some((p) => p.agb.startsWith('0'))).toBe(true);
    expect(doc.insurers.every((i) => /^\d{4}$/.test(i.uzovi))).toBe(true);
    expect(new Set(doc.sessions.map((s) => s.kind))).toEqual(new Set(['INDIVIDUAL', 'HOME', 'GROUP', 'REMOTE']));
    const reasons = new Set(doc.patients.map((p) => p.endReason));
    for (const reason of ['COMPLETED', 'DROPPED_OUT', 'DECEASED']) expect(reasons).toContain(reason);
    const kinds = countBy(doc.events.map((e) => e.kind));
    expect(kinds.get('EXACERBATION_MODERATE')!).toBeGreaterThan(kinds.get('EXACERBATION_SEVERE')!);
    expect(kinds.get('DEATH')).toBe(doc.patients.filter((p) => p.endReason === 'DECEASED').length);
    expect(doc.measurements.some((m) => m.instrument === 'CCQ' && !Number.isInteger(m.value))).toBe(true);
    const ages = doc.patients.map((p) => Number(p.intakeDate.slice(0, 4)) - p.birthYear);
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(45);
    expect(Math.max(...ages)).toBeLessThanOrEqual(90);
    const waits = doc.patients.map((p) => (Date.parse(p.intakeDate) - Date.parse(p.referralDate)) / 86_400_000);
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...waits)).toBeLessThanOrEqual(40);
  });

  it('should list its records in the order export writes when generated', () => {
    const keys = doc.sessions.map((s) => `${s.practice} ${s.patient} ${s.date} ${s.kind}`);
    expect(keys).toEqual([...keys].sort());
    const patients = doc.patients.map((p) => `${p.practice} ${p.ref}`);
    expect(patients).toEqual([...patients].sort());
  });
});

function countBy<T>(items: T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}
