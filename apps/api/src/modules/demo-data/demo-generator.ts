import type { Arm, EndReason, IsoDate, SessionKind, Sex } from '@copd/domain';
import type {
  ExchangeContract,
  ExchangeDocument,
  ExchangePatient,
  ExchangePractice,
  ExchangeSession,
} from '../exchange/exchange-document';
import {
  DEMO_INSURERS,
  EXERCISE_THERAPY_NAMES,
  NEIGHBOURHOODS,
  PHYSIO_NAMES,
  PLACES_BY_PROVINCE,
  PROVINCE_WEIGHTS,
  SURNAMES,
} from './demo-catalogue';
import { clamp, compare, monthStartOnOrBefore, toDay, toIso, weekday, weekdayWithin } from './demo-days';
import { eventsFor, measurementsFor } from './demo-observations';
import { Random } from './random';

export interface DemoOptions {
  practices: number;
  patients: number;
  seed: number;
  /** Nothing is dated after it. Fixed by default so that a seed always gives the same data. */
  analysisDate?: IsoDate;
  experimentCode?: string;
}

export const DEFAULT_ANALYSIS_DATE = '2026-09-30';
export const DEFAULT_EXPERIMENT_CODE = 'COPD-DEMO';
/** The policy rule's period (BR/REG-25147). */
const EXPERIMENT_START = '2025-01-01';
const EXPERIMENT_END = '2029-12-31';

/**
 * A whole demo experiment as an exchange document: a pure function of its options (same options, byte-identical
 * JSON), valid under the domain rules, in the order export writes. The numbers are plausible, not real: GOLD
 * 2/3/4 about 50/35/15%, KNGF profiles mostly 2-4, intensive then tapering session schedules, measurements at
 * baseline, 3 and 12 months with improvement and missing follow-ups, exacerbations by GOLD stage.
 */
export function generateExperiment(options: DemoOptions): ExchangeDocument {
  const analysisDate = options.analysisDate ?? DEFAULT_ANALYSIS_DATE;
  const code = options.experimentCode ?? DEFAULT_EXPERIMENT_CODE;
  if (!Number.isInteger(options.practices) || options.practices < 1) throw new RangeError('practices must be an integer >= 1');
  if (!Number.isInteger(options.patients) || options.patients < 0) throw new RangeError('patients must be an integer >= 0');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(analysisDate) || analysisDate < EXPERIMENT_START || toIso(toDay(analysisDate)) !== analysisDate) {
    throw new RangeError(`analysisDate must be a date on or after ${EXPERIMENT_START}`);
  }

  const rng = new Random(options.seed);
  const analysisDay = toDay(analysisDate);
  const practices = generatePractices(rng, options.practices, analysisDay);
  const counts = allocate(rng, options.patients, practices.map((p) => p.sizeWeight));

  const doc: ExchangeDocument = {
    experiment: {
      code,
      name: 'Demo: experiment bundelbekostiging oefentherapie COPD',
      start: EXPERIMENT_START,
      end: EXPERIMENT_END,
      analysisDate,
    },
    insurers: DEMO_INSURERS.map(({ uzovi, name }) => ({ uzovi, name })),
    practices: practices.map((p) => p.practice),
    contracts: practices.flatMap((p) => p.contracts),
    patients: [],
    sessions: [],
    measurements: [],
    events: [],
  };
  practices.forEach((practice, i) => generatePatients(rng, practice, counts[i], analysisDay, doc));
  return doc;
}

// ---- practices and contracts ----

interface DemoPractice {
  practice: ExchangePractice;
  contracts: ExchangeContract[];
  /** Contract periods per insurer: the first day covered (all later days up to the analysis date are covered too). */
  coveredFrom: Map<string, number>;
  /** Arm of each contract, to pick the arm at a date. */
  armAt: (uzovi: string, day: number) => Arm;
  sizeWeight: number;
  offersGroups: boolean;
  symptomInstrument: 'CCQ' | 'CAT';
}

function generatePractices(rng: Random, count: number, analysisDay: number): DemoPractice[] {
  // Balanced arms, shuffled, so even two practices give both arms.
  const arms: Arm[] = Array.from({ length: count }, (_, i) => (i % 2 === 0 ? 'BUNDLE' : 'FFS'));
  for (let i = arms.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [arms[i], arms[j]] = [arms[j], arms[i]];
  }
  const agbs = new Set<string>();
  const practices: DemoPractice[] = [];
  for (let i = 0; i < count; i++) {
    const exerciseTherapy = rng.chance(0.2);
    let agb: string;
    do agb = (exerciseTherapy ? '84' : '04') + String(rng.int(0, 999_999)).padStart(6, '0');
    while (agbs.has(agb));
    agbs.add(agb);
    const province = rng.weighted(PROVINCE_WEIGHTS);
    const place = rng.pick(PLACES_BY_PROVINCE[province]);
    const name = rng.pick(exerciseTherapy ? EXERCISE_THERAPY_NAMES : PHYSIO_NAMES)(place, rng.pick(NEIGHBOURHOODS), rng.pick(SURNAMES));

    // Most practices join at the start; some a few months later (first of a month), never after the analysis date.
    const start = toDay(EXPERIMENT_START);
    const join = rng.chance(0.7) ? start : Math.min(toDay(`2025-${String(rng.int(2, 7)).padStart(2, '0')}-01`), monthStartOnOrBefore(analysisDay));
    const mixed = count >= 4 && rng.chance(0.15);
    const insurers = DEMO_INSURERS.filter((_, k) => k === 0 || rng.chance(0.85));
    const contracts: ExchangeContract[] = [];
    const coveredFrom = new Map<string, number>();
    for (const insurer of insurers) {
      const arm: Arm = mixed && rng.chance(0.5) ? other(arms[i]) : arms[i];
      contracts.push(...contractsFor(rng, agb, insurer.uzovi, arm, join, analysisDay));
      coveredFrom.set(insurer.uzovi, join);
    }
    practices.push({
      practice: { agb, name, region: province },
      contracts,
      coveredFrom,
      armAt: (uzovi, day) => contracts.find((c) => c.insurer === uzovi && toDay(c.validFrom) <= day && day <= toDay(c.validTo))!.arm,
      sizeWeight: 0.4 + rng.next() * 1.6,
      offersGroups: rng.chance(0.6),
      symptomInstrument: rng.chance(0.6) ? 'CCQ' : 'CAT',
    });
  }
  practices.sort((a, b) => compare(a.practice.agb, b.practice.agb));
  for (const p of practices) p.contracts.sort((a, b) => compare(a.insurer, b.insurer) || compare(a.validFrom, b.validFrom));
  return practices;
}

/**
 * One contract for the whole experiment, or (40%) yearly contracts up to the end of the analysis year with tariffs
 * indexed 2-4.5% a year; now and then a renewal moves an FFS practice into the bundle.
 */
function contractsFor(rng: Random, agb: string, uzovi: string, arm: Arm, join: number, analysisDay: number): ExchangeContract[] {
  const round5 = (cents: number) => Math.round(cents / 5) * 5;
  let tariffs = {
    bundle: { intake: round5(rng.int(8000, 11000)), quarter: round5(rng.int(30000, 45000)) },
    ffs: {
      intake: round5(rng.int(6000, 8000)),
      session: round5(rng.int(3500, 4500)),
      homeSupplement: round5(rng.int(1500, 2500)),
      groupSession: round5(rng.int(1500, 2000)),
    },
  };
  if (!rng.chance(0.4)) {
    return [{ practice: agb, insurer: uzovi, arm, validFrom: toIso(join), validTo: EXPERIMENT_END, ...tariffs }];
  }
  const contracts: ExchangeContract[] = [];
  const lastYear = Math.max(Number(toIso(analysisDay).slice(0, 4)), Number(toIso(join).slice(0, 4)));
  let current = arm;
  for (let year = Number(toIso(join).slice(0, 4)); year <= lastYear; year++) {
    const validFrom = year === Number(toIso(join).slice(0, 4)) ? toIso(join) : `${year}-01-01`;
    contracts.push({ practice: agb, insurer: uzovi, arm: current, validFrom, validTo: `${year}-12-31`, ...tariffs });
    const index = 1 + rng.int(20, 45) / 1000;
    const scale = (cents: number) => round5(cents * index);
    tariffs = {
      bundle: { intake: scale(tariffs.bundle.intake), quarter: scale(tariffs.bundle.quarter) },
      ffs: {
        intake: scale(tariffs.ffs.intake),
        session: scale(tariffs.ffs.session),
        homeSupplement: scale(tariffs.ffs.homeSupplement),
        groupSession: scale(tariffs.ffs.groupSession),
      },
    };
    if (current === 'FFS' && rng.chance(0.1)) current = 'BUNDLE';
  }
  return contracts;
}

// ---- patients and their records ----

const GOLD_WEIGHTS: readonly (readonly [number, number])[] = [
  [2, 50],
  [3, 35],
  [4, 15],
];
/** KNGF profile by GOLD stage: mostly 2-4, some 1, 5 and 6; sicker patients have higher profiles. */
const PROFILE_WEIGHTS: Readonly<Record<number, readonly (readonly [number, number])[]>> = {
  2: [[1, 12], [2, 30], [3, 30], [4, 18], [5, 7], [6, 3]],
  3: [[1, 5], [2, 18], [3, 30], [4, 25], [5, 16], [6, 6]],
  4: [[1, 2], [2, 8], [3, 20], [4, 30], [5, 28], [6, 12]],
};
const ANNUAL_MORTALITY: Readonly<Record<number, number>> = { 2: 0.02, 3: 0.05, 4: 0.12 };

interface Plan {
  /** Last day of the program, if it ends; the enrolment ends then with this reason. */
  end?: { day: number; reason: EndReason };
  /** Sessions per week index (0 = the week after intake). */
  perWeek: (week: number) => number;
}

function generatePatients(rng: Random, practice: DemoPractice, count: number, analysisDay: number, doc: ExchangeDocument): void {
  const agb = practice.practice.agb;
  const insurers = DEMO_INSURERS.filter((i) => practice.coveredFrom.has(i.uzovi));
  const drafts = Array.from({ length: count }, () => {
    const insurer = rng.weighted(insurers.map((i) => [i.uzovi, i.share] as const));
    const from = practice.coveredFrom.get(insurer)!;
    return { insurer, intake: weekdayWithin(rng.int(from, analysisDay), from, analysisDay) };
  });
  // Practices number their patients in order of intake.
  drafts.sort((a, b) => a.intake - b.intake);
  drafts.forEach((draft, n) => generatePatient(rng, practice, agb, `P${String(n + 1).padStart(5, '0')}`, draft, analysisDay, doc));
}

function generatePatient(
  rng: Random,
  practice: DemoPractice,
  agb: string,
  ref: string,
  { insurer, intake }: { insurer: string; intake: number },
  analysisDay: number,
  doc: ExchangeDocument,
): void {
  const arm = practice.armAt(insurer, intake);
  const gold = rng.weighted(GOLD_WEIGHTS);
  const profile = rng.weighted(PROFILE_WEIGHTS[gold]);
  const age = clamp(Math.round(rng.normal(69, 9)), 45, 90);
  const sex = rng.weighted<Sex>([['M', 52], ['F', 47], ['X', 1]]);
  const referral = intake - (3 + Math.floor(37 * rng.next() ** 1.7));
  const frail = gold === 4 || age >= 80 || profile >= 5;

  const plan = planCare(rng, profile, arm, intake);
  let end = plan.end;
  const yearsToDeath = rng.exponential(ANNUAL_MORTALITY[gold] * (age >= 80 ? 1.8 : 1));
  const deathDay = intake + 1 + Math.floor(yearsToDeath * 365.25);
  if (!end || deathDay < end.day) end = { day: deathDay, reason: 'DECEASED' };
  if (end.day > analysisDay) end = undefined;
  const lastDay = end ? end.day : analysisDay;

  const patient: ExchangePatient = {
    ref,
    practice: agb,
    insurer,
    birthYear: Number(toIso(intake).slice(0, 4)) - age,
    sex,
    goldStage: gold,
    profile,
    referralDate: toIso(referral),
    intakeDate: toIso(intake),
  };
  if (end) {
    patient.endDate = toIso(end.day);
    patient.endReason = end.reason;
  }
  doc.patients.push(patient);

  // Sessions: weekdays after the intake, following the plan's weekly frequency, some missed.
  const homeBound = frail && rng.chance(0.35);
  const groupMember = practice.offersGroups && profile >= 3 && profile <= 5 && rng.chance(0.5);
  const remoteShare = arm === 'BUNDLE' ? 0.12 : 0.06;
  const firstMonday = intake + 1 + ((8 - weekday(intake + 1)) % 7);
  const preferred = rng.int(0, 1);
  for (let week = 0; ; week++) {
    const weekStart = firstMonday + 7 * week;
    if (weekStart > lastDay) break;
    const n = plan.perWeek(week);
    const days = n >= 2 ? [preferred, preferred + 3] : n === 1 ? [preferred + rng.int(0, 2)] : [];
    for (const offset of days) {
      const day = weekStart + offset;
      if (day > lastDay || rng.chance(0.08)) continue;
      const kind: SessionKind = homeBound && rng.chance(0.8)
        ? 'HOME'
        : groupMember && week >= 2 && rng.chance(0.6)
          ? 'GROUP'
          : rng.chance(week >= 8 ? remoteShare : remoteShare / 3)
            ? 'REMOTE'
            : 'INDIVIDUAL';
      doc.sessions.push({ patient: ref, practice: agb, date: toIso(day), kind } satisfies ExchangeSession);
    }
  }

  doc.measurements.push(...measurementsFor(rng, practice.symptomInstrument, { ref, agb, gold, profile, age, intake, referral, lastDay }));
  doc.events.push(...eventsFor(rng, { ref, agb, gold, profile, intake, lastDay, died: end?.reason === 'DECEASED' ? end.day : undefined }));
}

/** The course of care by KNGF profile; the bundle arm tapers to slightly sparser maintenance. */
function planCare(rng: Random, profile: number, arm: Arm, intake: number): Plan {
  const after = (days: number) => intake + days;
  switch (profile) {
    case 1: {
      // Profile 1: advice only; at most one session (KNGF maximum 0).
      const sessions = rng.chance(0.5) ? 1 : 0;
      return { end: { day: after(rng.int(7, 35)), reason: 'COMPLETED' }, perWeek: (w) => (w === 0 ? sessions : 0) };
    }
    case 6: {
      // Profile 6 belongs in pulmonary rehabilitation: a session or two, then a referral.
      const sessions = rng.int(0, 2);
      return { end: { day: after(rng.int(14, 45)), reason: 'REFERRED_TO_REHABILITATION' }, perWeek: (w) => (w < sessions ? 1 : 0) };
    }
    case 2: {
      const spacing = rng.int(2, 3);
      return {
        end: dropOut(rng, intake, 0.08, 100) ?? { day: after(rng.int(100, 150)), reason: 'COMPLETED' },
        perWeek: (w) => (w < 14 && w % spacing === 0 ? 1 : 0),
      };
    }
    default: {
      const intensive = { 3: 8, 4: 12, 5: 16 }[profile]! + rng.int(-2, 2);
      const weekly = intensive + { 3: 12, 4: 16, 5: 20 }[profile]! + rng.int(-3, 3);
      const every = arm === 'BUNDLE' ? rng.pick([2, 3, 4]) : rng.pick([2, 2, 3]);
      const months = { 3: rng.int(9, 15), 4: rng.int(12, 20), 5: rng.int(15, 24) }[profile]!;
      const length = Math.round(months * 30.44);
      return {
        end: dropOut(rng, intake, 0.14, length) ?? { day: after(length + rng.int(0, 14)), reason: 'COMPLETED' },
        perWeek: (w) => (w < intensive ? 2 : w < weekly ? 1 : w % every === 0 ? 1 : 0),
      };
    }
  }
}

/** Drop-outs (and the odd move or other reason) part-way through a program of `length` days. */
function dropOut(rng: Random, intake: number, chance: number, length: number): Plan['end'] | undefined {
  const r = rng.next();
  if (r >= chance + 0.03) return undefined;
  const reason: EndReason = r < chance ? 'DROPPED_OUT' : r < chance + 0.02 ? 'MOVED' : 'OTHER';
  return { day: intake + rng.int(14, Math.max(15, Math.round(length * 0.7))), reason };
}

// ---- helpers ----

function allocate(rng: Random, total: number, weights: number[]): number[] {
  const counts = weights.map(() => 0);
  const items = weights.map((w, i) => [i, w] as const);
  for (let k = 0; k < total; k++) counts[rng.weighted(items)]++;
  return counts;
}

function other(arm: Arm): Arm {
  return arm === 'BUNDLE' ? 'FFS' : 'BUNDLE';
}

