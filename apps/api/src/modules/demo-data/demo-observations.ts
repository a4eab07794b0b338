import type { EventKind, Instrument } from '@copd/domain';
import type { ExchangeEvent, ExchangeMeasurement } from '../exchange/exchange-document';
import { clamp, compare, toIso } from './demo-days';
import { Random } from './random';

export const EXACERBATIONS_PER_YEAR: Readonly<Record<number, { moderate: number; severe: number }>> = {
  2: { moderate: 0.6, severe: 0.08 },
  3: { moderate: 1.0, severe: 0.22 },
  4: { moderate: 1.5, severe: 0.45 },
};
export const INSTRUMENT_ORDER: readonly Instrument[] = ['CAT', 'CCQ', 'MMRC', 'SIX_MWT', 'STEPS'];

export interface PatientFacts {
  ref: string;
  agb: string;
  gold: number;
  profile: number;
  age: number;
  intake: number;
  referral: number;
  lastDay: number;
}

/** Baseline, 3 and 12 months (6MWT, CCQ or CAT, mMRC, sometimes steps), with improvement and missing follow-ups. */
export function measurementsFor(rng: Random, symptomInstrument: 'CCQ' | 'CAT', p: PatientFacts): ExchangeMeasurement[] {
  const benefit = rng.normal(p.profile <= 2 ? 0.5 : 1, 0.6);
  const monitor = rng.chance(0.3);
  const base = {
    SIX_MWT: clamp(Math.round(rng.normal({ 2: 430, 3: 370, 4: 300 }[p.gold]! - (p.age - 68) * 2.5, 75)), 60, 800),
    CCQ: clamp(Math.round(rng.normal({ 2: 19, 3: 25, 4: 31 }[p.gold]!, 7)), 2, 58),
    CAT: clamp(Math.round(rng.normal({ 2: 15, 3: 20, 4: 25 }[p.gold]!, 6)), 2, 38),
    MMRC: clamp(rng.weighted({ 2: [[1, 60], [2, 40]], 3: [[2, 60], [3, 40]], 4: [[3, 60], [4, 40]] }[p.gold]! as [number, number][]), 0, 4),
    STEPS: clamp(Math.round(rng.normal({ 2: 5200, 3: 4000, 4: 2800 }[p.gold]!, 1500) / 10) * 10, 300, 15000),
  };
  const change = (months: 3 | 12): Record<Instrument, number> => {
    const f = months === 3 ? 1 : 0.8;
    return {
      SIX_MWT: Math.round(38 * benefit * f + rng.normal(0, months === 3 ? 25 : 35) - (months === 12 && p.gold === 4 ? 10 : 0)),
      CCQ: Math.round(-4.5 * benefit * f + rng.normal(0, months === 3 ? 3 : 4)),
      CAT: Math.round(-3 * benefit * f + rng.normal(0, months === 3 ? 3 : 4)),
      MMRC: benefit > 1.2 && rng.chance(0.4) ? -1 : 0,
      STEPS: Math.round((700 * benefit * f + rng.normal(0, 800)) / 10) * 10,
    };
  };
  const timepoints: { day: number; present: number; delta: Record<Instrument, number> | null }[] = [
    { day: p.intake + rng.int(-Math.min(7, p.intake - p.referral), 3), present: 0.95, delta: null },
    { day: p.intake + 91 + rng.int(-12, 14), present: 0.78, delta: change(3) },
    { day: p.intake + 365 + rng.int(-25, 30), present: 0.72, delta: change(12) },
  ];
  const instruments: Instrument[] = ['SIX_MWT', symptomInstrument, 'MMRC', ...(monitor ? (['STEPS'] as const) : [])];
  const out: ExchangeMeasurement[] = [];
  for (const t of timepoints) {
    if (t.day > p.lastDay || !rng.chance(t.present)) continue;
    const taken = instruments.filter((i) => rng.chance(i === 'MMRC' ? 0.8 : 0.95));
    for (const instrument of INSTRUMENT_ORDER.filter((i) => taken.includes(i))) {
      const [min, max] = STORED_RANGE[instrument];
      const stored = clamp(base[instrument] + (t.delta?.[instrument] ?? 0), min, max);
      // CCQ is generated in tenths and written in the unit users enter (16 -> 1.6).
      const value = instrument === 'CCQ' ? stored / 10 : stored;
      out.push({ patient: p.ref, practice: p.agb, date: toIso(t.day), instrument, value });
    }
  }
  return out;
}

const STORED_RANGE: Readonly<Record<Instrument, [number, number]>> = {
  SIX_MWT: [0, 1200],
  CCQ: [0, 60],
  CAT: [0, 40],
  MMRC: [0, 4],
  STEPS: [0, 60000],
};

/** Exacerbations as Poisson processes by GOLD stage; most severe ones lead to an admission; a death event at death. */
export function eventsFor(
  rng: Random,
  p: { ref: string; agb: string; gold: number; profile: number; intake: number; lastDay: number; died?: number },
): ExchangeEvent[] {
  const rates = EXACERBATIONS_PER_YEAR[p.gold];
  const frailty = p.profile >= 5 ? 1.3 : 1;
  const found = new Map<string, ExchangeEvent>();
  const add = (day: number, kind: EventKind) => {
    if (day <= p.lastDay) found.set(`${toIso(day)} ${kind}`, { patient: p.ref, practice: p.agb, date: toIso(day), kind });
  };
  const process = (ratePerYear: number, onEvent: (day: number) => void) => {
    for (let t = p.intake + rng.exponential(ratePerYear / 365.25); t <= p.lastDay; t += rng.exponential(ratePerYear / 365.25)) {
      onEvent(Math.floor(t));
    }
  };
  process(rates.moderate * frailty, (day) => add(day, 'EXACERBATION_MODERATE'));
  process(rates.severe * frailty, (day) => {
    add(day, 'EXACERBATION_SEVERE');
    if (rng.chance(0.75)) add(day + rng.int(0, 1), 'HOSPITAL_ADMISSION');
  });
  process(0.05, (day) => add(day, 'HOSPITAL_ADMISSION'));
  if (p.died !== undefined) add(p.died, 'DEATH');
  return [...found.values()].sort((a, b) => compare(a.date, b.date) || compare(a.kind, b.kind));
}

