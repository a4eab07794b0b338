import {
  addDays,
  careQuarterOf,
  daysBetween,
  isAboveGuideline,
  isEligibleFor,
  isResponder,
  MEASUREMENT_MILESTONES,
  MEASUREMENT_WINDOWS,
  pickMeasurement,
  PICKED_INSTRUMENTS,
  todayInZone,
  type EndReason,
  type MeasurementMilestone,
  type PickedInstrument,
  type TimedIndicator,
} from '@copd/domain';
import { OutboxService } from '../src/core/outbox/outbox.service';
import { responderSql } from '../src/modules/indicators/comparison.repository';
import { startTestApp, TestContext } from './support/test-app';
import { recomputeNow } from './support/test-worker';
import { aContractRow } from './fixtures/builders';

/*
 * Issue 11, part 3: every SQL twin of a domain rule against the rule itself, on real PostgreSQL.
 *  - Measurement windows: FactsRepository's pick (measurementPickSql) vs libs/domain pickMeasurement, for
 *    hand-made boundary and tie cases and 40 generated patients.
 *  - Eligibility of BASELINE_COMPLETE, FOLLOWUP_3M/12M_COMPLETE (incl. the DECEASED rule) and
 *    ABOVE_GUIDELINE_VOLUME: FactsRepository's eligibleSql vs isEligibleFor, and above_guideline vs
 *    isAboveGuideline over the sessions of [intake, intake + 365).
 *  - Care quarter: the SQL function care_quarter_of of migration 1764300000000, as 1765400000000 last defined it
 *    (and the session trigger and bulk load that use it), vs careQuarterOf.
 *  - Responders: ComparisonRepository's responderSql vs isResponder.
 * Pricing has its own parity test (indicators-facts-consistency.int-spec.ts).
 */

const ANALYSIS = '2026-06-30';
const PRACTICE = '11120001';
const INSURER = '3311';
/** Records may not lie in the future: nothing is dated after yesterday. */
const LAST_DAY = addDays(todayInZone(new Date()), -1);

interface PatientSpec {
  ref: string;
  intakeDate: string;
  profile: number;
  endDate?: string;
  endReason?: EndReason;
  /** [day offset from intake, instrument, stored value] */
  measurements?: [number, PickedInstrument, number][];
  /** day offsets from intake */
  sessions?: number[];
}

/** A small deterministic generator (LCG), so the generated patients are the same on every run. */
function generator(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return { int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), next };
}

/** Window edges, their neighbours and the targets: where a twin would slip first. */
const EDGE_OFFSETS = [
  -31, -30, -29, -3, -1, 0, 1, 3, 13, 14, 15, 69, 70, 71, 81, 90, 91, 92, 101, 111, 112, 113,
];
const EDGE_OFFSETS_12M = [319, 320, 321, 364, 365, 366, 409, 410, 411];

function windowPatients(): PatientSpec[] {
  const hand: PatientSpec[] = [
    // Baseline [-30, 14] -> 0: -31 is outside, -30 is in; +15 is outside. Picked: -30 (value 410).
    {
      ref: 'W-EDGE',
      intakeDate: '2025-02-10',
      profile: 3,
      measurements: [
        [-31, 'SIX_MWT', 400],
        [-30, 'SIX_MWT', 410],
        [15, 'SIX_MWT', 420],
      ],
    },
    // -3 and +3 tie: the earlier (-3, 390). 3M: 81 and 101 tie around 91: 81 (300). 12M: 320 and 410 tie around 365: 320 (310).
    {
      ref: 'W-TIES',
      intakeDate: '2025-03-03',
      profile: 3,
      measurements: [
        [3, 'SIX_MWT', 380],
        [-3, 'SIX_MWT', 390],
        [101, 'SIX_MWT', 305],
        [81, 'SIX_MWT', 300],
        [410, 'SIX_MWT', 315],
        [320, 'SIX_MWT', 310],
        [364, 'CAT', 12],
        [366, 'CAT', 14],
      ],
    },
    // Outside every follow-up window: 69, 113, 319, 411. The baseline's last day 14 is in (CCQ 2.2 = 22 tenths).
    {
      ref: 'W-OUT',
      intakeDate: '2025-01-15',
      profile: 2,
      measurements: [
        [69, 'CCQ', 20],
        [113, 'CCQ', 21],
        [14, 'CCQ', 22],
        [319, 'CCQ', 23],
        [411, 'CCQ', 24],
      ],
    },
    // Intake 2026-04-11 (80 days before the analysis date): day 91 (2026-07-11) is after it and does not count;
    // day 75 (2026-06-25) does: picked 75 (CAT 18).
    {
      ref: 'W-LATE',
      intakeDate: '2026-04-11',
      profile: 4,
      measurements: [
        [75, 'CAT', 18],
        [91, 'CAT', 16],
      ],
    },
  ];
  const random = generator(20251201);
  const generated: PatientSpec[] = [];
  for (let i = 1; i <= 40; i++) {
    const intakeDate = addDays('2024-03-01', random.int(0, daysBetween('2024-03-01', '2026-06-20')));
    const measurements: [number, PickedInstrument, number][] = [];
    for (const instrument of PICKED_INSTRUMENTS) {
      const used = new Set<number>();
      const count = random.int(0, 9);
      for (let k = 0; k < count; k++) {
        const r = random.next();
        const offset =
          r < 0.4
            ? EDGE_OFFSETS[random.int(0, EDGE_OFFSETS.length - 1)]
            : r < 0.6
              ? EDGE_OFFSETS_12M[random.int(0, EDGE_OFFSETS_12M.length - 1)]
              : random.int(-45, 430);
        if (used.has(offset)) continue;
        used.add(offset);
        const max = instrument === 'SIX_MWT' ? 700 : instrument === 'CCQ' ? 60 : 40;
        measurements.push([offset, instrument, random.int(instrument === 'SIX_MWT' ? 100 : 0, max)]);
      }
    }
    generated.push({
      ref: `W-${String(i).padStart(2, '0')}`,
      intakeDate,
      profile: random.int(1, 6),
      measurements,
    });
  }
  return [...hand, ...generated];
}

/** Intake dates at each eligibility day count and one short of it, with deaths and drop-outs around the follow-up days. */
function eligibilityPatients(): PatientSpec[] {
  const patients: PatientSpec[] = [];
  for (const days of [13, 14, 111, 112, 364, 365, 409, 410, 500]) {
    const intakeDate = addDays(ANALYSIS, -days);
    for (const profile of [1, 5, 6]) patients.push({ ref: `E-${days}-P${profile}`, intakeDate, profile });
    for (const [reason, end] of [
      ['DECEASED', 111],
      ['DECEASED', 112],
      ['DECEASED', 409],
      ['DECEASED', 410],
      ['DROPPED_OUT', 50],
      ['DECEASED', 5],
    ] as [EndReason, number][]) {
      const endDate = addDays(intakeDate, end);
      // An end date in the future cannot be recorded (DOMAIN.md 4): such a patient is left out.
      if (endDate <= LAST_DAY)
        patients.push({
          ref: `E-${days}-${reason}-${end}`,
          intakeDate,
          profile: 3,
          endDate,
          endReason: reason,
        });
    }
  }
  return patients;
}

/**
 * Session counts at and one over the KNGF maximum (profile: maximum 1: 0, 2: 6, 3: 42, 4: 62, 5: 70), spread over
 * the guideline year, plus sessions on day 365 and later that must not count. G-LEAP: intake 2024-02-10, so its
 * Q4 ends 2025-02-10 = intake + 366 (29 February 2024 lies in it); the session on day 365 (2025-02-09) is in Q4
 * but outside [intake, intake + 365): 6 counted, not above 6.
 */
function guidelinePatients(): PatientSpec[] {
  const spread = (n: number) => Array.from({ length: n }, (_, i) => Math.floor((i * 364) / Math.max(n, 1)));
  const patients: PatientSpec[] = [
    { ref: 'G-LEAP', intakeDate: '2024-02-10', profile: 2, sessions: [...spread(6), 365, 366, 400] },
    { ref: 'G-LEAP-7', intakeDate: '2024-02-10', profile: 2, sessions: [...spread(6), 364] },
  ];
  const maxima: Record<number, number> = { 1: 0, 2: 6, 3: 42, 4: 62, 5: 70 };
  for (const [profile, max] of Object.entries(maxima)) {
    for (const extra of [0, 1]) {
      patients.push({
        ref: `G-P${profile}-${max + extra}`,
        intakeDate: '2025-03-17',
        profile: Number(profile),
        sessions: [...spread(max + extra), 365, 420],
      });
    }
  }
  return patients;
}

function exchangeDocument(patients: PatientSpec[]) {
  const within = (p: PatientSpec, offset: number) => {
    const date = addDays(p.intakeDate, offset);
    return date <= LAST_DAY && (!p.endDate || date <= p.endDate) ? date : null;
  };
  return {
    experiment: {
      code: 'PARITY',
      name: 'Definition parity',
      start: '2024-01-01',
      end: '2029-12-31',
      analysisDate: ANALYSIS,
    },
    insurers: [{ uzovi: INSURER, name: 'Verzekeraar 3311' }],
    practices: [{ agb: PRACTICE, name: 'Praktijk Pariteit', region: 'Utrecht' }],
    contracts: [
      aContractRow({ practice: PRACTICE, insurer: INSURER, validFrom: '2024-01-01', validTo: '2026-12-31' }),
    ],
    patients: patients.map((p) => ({
      ref: p.ref,
      practice: PRACTICE,
      insurer: INSURER,
      birthYear: 1950,
      sex: 'F',
      goldStage: 3,
      profile: p.profile,
      // 45 days before the intake, so every baseline day (from intake - 31) is on or after the referral.
      referralDate: addDays(p.intakeDate, -45),
      intakeDate: p.intakeDate,
      ...(p.endDate ? { endDate: p.endDate, endReason: p.endReason } : {}),
    })),
    sessions: patients.flatMap((p) =>
      (p.sessions ?? [])
        .map((offset) => within(p, offset))
        .filter((date): date is string => date !== null)
        .map((date) => ({ patient: p.ref, practice: PRACTICE, date, kind: 'INDIVIDUAL' })),
    ),
    measurements: patients.flatMap((p) =>
      (p.measurements ?? [])
        .filter(([offset]) => offset >= -31 && within(p, offset) !== null)
        .map(([offset, instrument, stored]) => ({
          patient: p.ref,
          practice: PRACTICE,
          date: addDays(p.intakeDate, offset),
          instrument,
          value: instrument === 'CCQ' ? stored / 10 : stored,
        })),
    ),
    events: [],
  };
}

const PICK_COLUMN: Record<PickedInstrument, Record<MeasurementMilestone, string>> = {
  SIX_MWT: { BASELINE: 'six_mwt_base', FOLLOWUP_3M: 'six_mwt_3m', FOLLOWUP_12M: 'six_mwt_12m' },
  CCQ: { BASELINE: 'ccq_base_tenths', FOLLOWUP_3M: 'ccq_3m_tenths', FOLLOWUP_12M: 'ccq_12m_tenths' },
  CAT: { BASELINE: 'cat_base', FOLLOWUP_3M: 'cat_3m', FOLLOWUP_12M: 'cat_12m' },
};

const ELIGIBLE_COLUMN: Record<TimedIndicator, string> = {
  BASELINE_COMPLETE: 'baseline_eligible',
  FOLLOWUP_3M_COMPLETE: 'followup_3m_eligible',
  FOLLOWUP_12M_COMPLETE: 'followup_12m_eligible',
  ABOVE_GUIDELINE_VOLUME: 'guideline_eligible',
};

interface StoredPatient {
  id: string;
  ref: string;
  intake_date: string;
  profile: number;
  end_date: string | null;
  end_reason: EndReason | null;
}

describe('every SQL twin of a domain rule agrees with the rule (measurement windows, eligibility, care quarter, responders)', () => {
  let ctx: TestContext;
  let patients: StoredPatient[];
  let facts: Map<string, Record<string, unknown>>;
  const byRef = (ref: string) => facts.get(patients.find((p) => p.ref === ref)!.id)!;

  beforeAll(async () => {
    ctx = await startTestApp();
    const document = exchangeDocument([
      ...windowPatients(),
      ...eligibilityPatients(),
      ...guidelinePatients(),
    ]);
    await ctx.http().post('/api/v1/experiment-data').send(document).expect(200);
    const [{ id }] = await ctx.dataSource.query(`SELECT id FROM experiments`);
    await ctx.dataSource.transaction((m) => ctx.app.get(OutboxService).announce(m, id, null, 'recompute'));
    await recomputeNow(ctx);
    patients = await ctx.dataSource.query(
      `SELECT id, ref, intake_date, profile, end_date, end_reason FROM patients ORDER BY ref`,
    );
    facts = new Map(
      (await ctx.dataSource.query(`SELECT * FROM patient_facts`)).map((f: Record<string, unknown>) => [
        f.patient_id,
        f,
      ]),
    );
  });
  afterAll(() => ctx.close());

  it('should pick every baseline and follow-up value as pickMeasurement does when windows hold edges and ties', async () => {
    const rows: { patient_id: string; date: string; instrument: PickedInstrument; value: number }[] =
      await ctx.dataSource.query(`SELECT patient_id, date, instrument, value FROM measurements`);
    let compared = 0;
    let picked = 0;
    let ties = 0;
    const wrong: string[] = [];
    for (const p of patients.filter((x) => x.ref.startsWith('W-'))) {
      for (const instrument of PICKED_INSTRUMENTS) {
        const own = rows.filter((m) => m.patient_id === p.id && m.instrument === instrument);
        for (const milestone of MEASUREMENT_MILESTONES) {
          const expected = pickMeasurement(milestone, p.intake_date, ANALYSIS, own)?.value ?? null;
          const actual = facts.get(p.id)![PICK_COLUMN[instrument][milestone]];
          compared++;
          if (expected !== null) picked++;
          if (actual !== expected)
            wrong.push(`${p.ref} ${instrument} ${milestone}: SQL ${actual}, domain ${expected}`);
          // A tie: two measurements in the window, equally far from the target, the closest of all.
          const { from, to, target } = MEASUREMENT_WINDOWS[milestone];
          const distances = own
            .filter((m) => m.date <= ANALYSIS)
            .map((m) => daysBetween(p.intake_date, m.date))
            .filter((d) => d >= from && d <= to)
            .map((d) => Math.abs(d - target));
          if (distances.length > 1 && distances.filter((d) => d === Math.min(...distances)).length > 1)
            ties++;
        }
      }
    }
    expect(wrong).toEqual([]);
    // 44 patients x 3 instruments x 3 milestones = 396 picks compared.
    expect(compared).toBe(396);
    expect(picked).toBeGreaterThan(100);
    expect(ties).toBeGreaterThanOrEqual(4);
    // The hand-made cases, values as listed in windowPatients():
    expect(byRef('W-EDGE').six_mwt_base).toBe(410);
    expect([byRef('W-TIES').six_mwt_base, byRef('W-TIES').six_mwt_3m, byRef('W-TIES').six_mwt_12m]).toEqual([
      390, 300, 310,
    ]);
    expect(byRef('W-TIES').cat_12m).toBe(12);
    expect([
      byRef('W-OUT').ccq_base_tenths,
      byRef('W-OUT').ccq_3m_tenths,
      byRef('W-OUT').ccq_12m_tenths,
    ]).toEqual([22, null, null]);
    expect(byRef('W-LATE').cat_3m).toBe(18);
  });

  it('should judge every timed indicator as isEligibleFor does when intakes sit on and beside each day count', () => {
    const wrong: string[] = [];
    const counts: Record<string, number> = {};
    for (const p of patients.filter((x) => !x.ref.startsWith('W-'))) {
      const f = facts.get(p.id)!;
      for (const [indicator, column] of Object.entries(ELIGIBLE_COLUMN) as [TimedIndicator, string][]) {
        const expected = isEligibleFor(
          indicator,
          { intakeDate: p.intake_date, profile: p.profile, endDate: p.end_date, endReason: p.end_reason },
          ANALYSIS,
        );
        if (f[column] !== expected) wrong.push(`${p.ref} ${indicator}: SQL ${f[column]}, domain ${expected}`);
        if (expected) counts[indicator] = (counts[indicator] ?? 0) + 1;
      }
    }
    expect(wrong).toEqual([]);
    // Spot checks by hand. Intake 13 days ago: not eligible for the baseline; 14 days: eligible.
    expect(byRef('E-13-P5').baseline_eligible).toBe(false);
    expect(byRef('E-14-P5').baseline_eligible).toBe(true);
    // 112 days ago, died on day 111: out of the 3-month denominator; died on day 112: in it; dropped out: in it.
    expect(byRef('E-112-DECEASED-111').followup_3m_eligible).toBe(false);
    expect(byRef('E-112-DECEASED-112').followup_3m_eligible).toBe(true);
    expect(byRef('E-112-DROPPED_OUT-50').followup_3m_eligible).toBe(true);
    // 410 days ago, died on day 409: out of the 12-month denominator, still in the 3-month one (409 >= 112).
    expect(byRef('E-410-DECEASED-409').followup_12m_eligible).toBe(false);
    expect(byRef('E-410-DECEASED-409').followup_3m_eligible).toBe(true);
    // 365 days ago: the guideline volume is judged for profile 5, never for profile 6; 364 days: not yet.
    expect(byRef('E-365-P5').guideline_eligible).toBe(true);
    expect(byRef('E-365-P6').guideline_eligible).toBe(false);
    expect(byRef('E-364-P5').guideline_eligible).toBe(false);
    expect(Object.keys(counts).sort()).toEqual([...Object.keys(ELIGIBLE_COLUMN)].sort());
  });

  it('should flag above-guideline volume as isAboveGuideline does when sessions sit at and over each KNGF maximum', async () => {
    const sessions: { patient_id: string; date: string }[] = await ctx.dataSource.query(
      `SELECT patient_id, date FROM therapy_sessions`,
    );
    const wrong: string[] = [];
    const flagged: string[] = [];
    for (const p of patients.filter((x) => x.ref.startsWith('G-') || x.ref.startsWith('E-'))) {
      const eligible = isEligibleFor(
        'ABOVE_GUIDELINE_VOLUME',
        { intakeDate: p.intake_date, profile: p.profile },
        ANALYSIS,
      );
      const inYear = sessions.filter(
        (s) => s.patient_id === p.id && s.date >= p.intake_date && s.date < addDays(p.intake_date, 365),
      ).length;
      const expected = eligible ? isAboveGuideline(p.profile as 1 | 2 | 3 | 4 | 5, inYear) : null;
      const actual = facts.get(p.id)!.above_guideline;
      if (actual !== expected) wrong.push(`${p.ref}: SQL ${actual}, domain ${expected} (${inYear} sessions)`);
      if (expected) flagged.push(p.ref);
    }
    expect(wrong).toEqual([]);
    // Over the maximum: profile 1 with 1 session, 2 with 7, 3 with 43, 4 with 63, 5 with 71; G-LEAP-7 has 6 + 1 on
    // day 364 = 7 > 6. G-LEAP's session on day 365 (inside its 366-day Q4) does not count: 6, not above.
    expect(flagged.sort()).toEqual(['G-LEAP-7', 'G-P1-1', 'G-P2-7', 'G-P3-43', 'G-P4-63', 'G-P5-71']);
    expect(byRef('G-LEAP').above_guideline).toBe(false);
  });

  it('should place every day in the care quarter careQuarterOf gives when the SQL function care_quarter_of is asked', async () => {
    // Intakes: every day from 2023-11-25 to 2024-03-05 (month ends, 29 February) and the month ends of 2025;
    // days: from the day before each intake to 400 days after it.
    const intakes: string[] = [];
    for (let d = '2023-11-25'; d <= '2024-03-05'; d = addDays(d, 1)) intakes.push(d);
    intakes.push(
      '2025-01-31',
      '2025-02-28',
      '2025-03-31',
      '2025-04-30',
      '2025-05-31',
      '2025-08-31',
      '2025-11-30',
      '2025-12-31',
    );
    const rows: { intake: string; day: string; k: number | null }[] = await ctx.dataSource.query(
      `SELECT i::text AS intake, d::date::text AS day, care_quarter_of(i, d::date) AS k
       FROM unnest($1::date[]) i, generate_series(i - 1, i + 400, interval '1 day') d`,
      [intakes],
    );
    const wrong = rows
      .filter((r) => r.k !== careQuarterOf(r.intake, r.day))
      .map((r) => `${r.intake} ${r.day}: SQL ${r.k}`);
    expect(wrong).toEqual([]);
    // (102 + 8) intakes x 402 days each.
    expect(rows.length).toBe(110 * 402);
    // By hand: intake 2025-01-31 -> Q2 starts 2025-04-30 (clamped), Q3 2025-07-31 (not chained from 04-30).
    const k = (intake: string, day: string) => rows.find((r) => r.intake === intake && r.day === day)?.k;
    expect([
      k('2025-01-31', '2025-01-30'),
      k('2025-01-31', '2025-04-29'),
      k('2025-01-31', '2025-04-30'),
    ]).toEqual([null, 1, 2]);
    expect([k('2025-01-31', '2025-07-30'), k('2025-01-31', '2025-07-31')]).toEqual([2, 3]);
    // Intake 2023-11-30 -> Q2 starts 29 February 2024; intake 2024-02-29 -> Q5 starts 2025-02-28.
    expect([k('2023-11-30', '2024-02-28'), k('2023-11-30', '2024-02-29')]).toEqual([1, 2]);
    expect([k('2024-02-29', '2025-02-27'), k('2024-02-29', '2025-02-28')]).toEqual([4, 5]);
  });

  it('should store on every session the care quarter careQuarterOf gives when the trigger derives it', async () => {
    const rows: { ref: string; intake_date: string; date: string; care_quarter: number }[] =
      await ctx.dataSource.query(
        `SELECT p.ref, p.intake_date, s.date, s.care_quarter FROM therapy_sessions s JOIN patients p ON p.id = s.patient_id`,
      );
    const wrong = rows
      .filter((r) => r.care_quarter !== careQuarterOf(r.intake_date, r.date))
      .map((r) => `${r.ref} ${r.date}: ${r.care_quarter}`);
    expect(wrong).toEqual([]);
    expect(rows.length).toBeGreaterThan(300);
    // G-LEAP (intake 2024-02-10): day 365 = 2025-02-09 is in Q4, day 366 = 2025-02-10 starts Q5.
    const leap = (date: string) => rows.find((r) => r.ref === 'G-LEAP' && r.date === date)?.care_quarter;
    expect([leap('2025-02-09'), leap('2025-02-10')]).toEqual([4, 5]);
  });

  it('should count a responder as isResponder does for every change from -50 to +50', async () => {
    for (const instrument of PICKED_INSTRUMENTS) {
      const rows: { change: number; responds: boolean }[] = await ctx.dataSource.query(
        `SELECT change, (${responderSql(instrument, 'change')}) AS responds FROM generate_series(-50, 50) change`,
      );
      expect(rows).toHaveLength(101);
      expect(rows.filter((r) => r.responds !== isResponder(instrument, r.change))).toEqual([]);
      // 6MWT: +30..+50 = 21 changes respond; CCQ: -50..-4 = 47; CAT: -50..-2 = 49.
      expect(rows.filter((r) => r.responds).length).toBe({ SIX_MWT: 21, CCQ: 47, CAT: 49 }[instrument]);
    }
  });
});
