import { addDays, worklistStatus, type Instrument } from '@copd/domain';
import { Clock } from '../src/core/clock';
import { windowStatusSql } from '../src/modules/insights/read-models/worklist.repository';
import { aContractRow, aPatientRow } from './fixtures/builders';
import { Http, startTestApp, TestContext } from './support/test-app';

type Row = Record<string, unknown>;

/** "Today" of this spec: the Clock is fixed to it before anything is written. */
const TODAY = '2026-12-10';
const A = '12345678';

/**
 * Six patients of practice A (BUNDLE contract for 2026), the windows of DOMAIN.md 6 counted by hand:
 * - W1 intake 2026-09-01, a baseline 6MWT on 09-01 but no CCQ or CAT. Baseline [08-02, 09-15]: CCQ_OR_CAT MISSED.
 *   3 months [+70, +112] = [11-10, 12-22] (29 days to 09-30, 31 to 10-31, 10 more), target +91 = 12-01: open on
 *   12-10 and its last day 12-22 within 14 days (12-24): CLOSING for both instruments.
 * - W2 enrolled last week, intake 2026-12-03, nothing measured: baseline [11-03, 12-17] CLOSING for both.
 * - W3 intake 2026-10-15, baseline 6MWT and CCQ on 10-15: 3 months opens 10-15 + 70 = 12-24 (16 + 30 + 24) =
 *   today + 14: UPCOMING for both, window end 12-24 + 42 = 2027-02-04, suggested date its first day.
 * - W4 intake 2026-08-01, baseline complete on 08-01, a 6MWT on 10-20: 3 months [10-10, 11-21] (30 + 30 + 10;
 *   +42) closed without a CCQ or CAT: CCQ_OR_CAT MISSED.
 * - W5 intake 2026-09-20, baseline complete on 09-20: 3 months [11-29, 2027-01-10] (10 + 31 + 29; +42) is open and
 *   closes after 12-24: DUE for both, target 11-29 + 21 = 12-20.
 * - W6 intake 2026-09-01, ended 2026-11-30: not enrolled on 12-10, not listed.
 * The 12-month windows open 2027-07 and later: none is within 14 days.
 */
function document() {
  const m = (patient: string, date: string, instrument: Instrument, value: number) => ({ patient, practice: A, date, instrument, value });
  return {
    experiment: { code: 'TODAY', name: 'Worklist of today', start: '2025-01-01', end: '2029-12-31', analysisDate: '2026-09-30' },
    insurers: [{ uzovi: '3311', name: 'Verzekeraar 3311' }],
    practices: [{ agb: A, name: 'Praktijk A', region: 'Utrecht' }],
    contracts: [aContractRow({ validFrom: '2026-01-01', validTo: '2026-12-31' })],
    patients: [
      aPatientRow({ ref: 'W1', referralDate: '2026-08-25', intakeDate: '2026-09-01' }),
      aPatientRow({ ref: 'W2', referralDate: '2026-11-30', intakeDate: '2026-12-03' }),
      aPatientRow({ ref: 'W3', referralDate: '2026-10-01', intakeDate: '2026-10-15' }),
      aPatientRow({ ref: 'W4', referralDate: '2026-07-20', intakeDate: '2026-08-01' }),
      aPatientRow({ ref: 'W5', referralDate: '2026-09-10', intakeDate: '2026-09-20' }),
      aPatientRow({ ref: 'W6', referralDate: '2026-08-25', intakeDate: '2026-09-01', endDate: '2026-11-30', endReason: 'DROPPED_OUT' }),
    ],
    sessions: [],
    measurements: [
      m('W1', '2026-09-01', 'SIX_MWT', 380),
      m('W3', '2026-10-15', 'SIX_MWT', 450),
      m('W3', '2026-10-15', 'CCQ', 2.2),
      m('W4', '2026-08-01', 'SIX_MWT', 400),
      m('W4', '2026-08-01', 'CAT', 21),
      m('W4', '2026-10-20', 'SIX_MWT', 410),
      m('W5', '2026-09-20', 'SIX_MWT', 390),
      m('W5', '2026-09-20', 'CAT', 17),
    ],
    events: [],
  };
}

describe('worklist judged on today (Europe/Amsterdam), read live from the records (real PostgreSQL)', () => {
  let ctx: TestContext;
  let practice: () => Http;

  beforeAll(async () => {
    ctx = await startTestApp();
    jest.spyOn(ctx.app.get(Clock), 'today').mockReturnValue(TODAY);
    await ctx.http().post('/api/v1/experiment-data').send(document()).expect(200);
    practice = await ctx.signIn({ role: 'PRACTICE', practices: [A] });
  });
  afterAll(async () => {
    await ctx.close();
  });

  const line = (i: Row) => `${i.ref} ${i.milestone} ${i.instrument} ${i.status} ${i.windowStart}..${i.windowEnd} ${i.suggestedDate}`;

  it('should judge on today, not on the analysis date, and list a patient enrolled last week when no parameter is given', async () => {
    // No worker runs in this spec: there are no facts, yet W2 (intake 2026-12-03) is on the list.
    const body = (await practice().get('/api/v1/insights/worklist').expect(200)).body;
    expect(body).toMatchObject({ experiment: 'TODAY', asOf: TODAY, analysisDate: '2026-09-30' });
    // Ordered by the window's last day.
    expect(body.items.map(line)).toEqual([
      'W1 BASELINE CCQ_OR_CAT MISSED 2026-08-02..2026-09-15 2026-08-02',
      'W4 FOLLOWUP_3M CCQ_OR_CAT MISSED 2026-10-10..2026-11-21 2026-10-10',
      'W2 BASELINE SIX_MWT CLOSING 2026-11-03..2026-12-17 2026-12-10',
      'W2 BASELINE CCQ_OR_CAT CLOSING 2026-11-03..2026-12-17 2026-12-10',
      'W1 FOLLOWUP_3M SIX_MWT CLOSING 2026-11-10..2026-12-22 2026-12-10',
      'W1 FOLLOWUP_3M CCQ_OR_CAT CLOSING 2026-11-10..2026-12-22 2026-12-10',
      'W5 FOLLOWUP_3M SIX_MWT DUE 2026-11-29..2027-01-10 2026-12-10',
      'W5 FOLLOWUP_3M CCQ_OR_CAT DUE 2026-11-29..2027-01-10 2026-12-10',
      'W3 FOLLOWUP_3M SIX_MWT UPCOMING 2026-12-24..2027-02-04 2026-12-24',
      'W3 FOLLOWUP_3M CCQ_OR_CAT UPCOMING 2026-12-24..2027-02-04 2026-12-24',
    ]);
    const [w5] = await ctx.dataSource.query(`SELECT id, pseudonym FROM patients WHERE ref = 'W5'`);
    expect(body.items.find((i: Row) => i.ref === 'W5')).toEqual({
      patientId: w5.id, pseudonym: w5.pseudonym, ref: 'W5', practice: A, arm: 'BUNDLE', intakeDate: '2026-09-20',
      milestone: 'FOLLOWUP_3M', instrument: 'SIX_MWT', status: 'DUE', windowStart: '2026-11-29', windowEnd: '2027-01-10',
      target: '2026-12-20', suggestedDate: TODAY,
    });
  });

  it('should drop an item as soon as its measurement is recorded, without a recompute', async () => {
    const [w5] = await ctx.dataSource.query(`SELECT id FROM patients WHERE ref = 'W5'`);
    await practice().post(`/api/v1/patients/${w5.id}/measurements`).send({ date: '2026-12-09', instrument: 'CCQ', value: 1.8 }).expect(201);
    const body = (await practice().get('/api/v1/insights/worklist').expect(200)).body;
    expect(body.items.filter((i: Row) => i.ref === 'W5').map(line)).toEqual([
      'W5 FOLLOWUP_3M SIX_MWT DUE 2026-11-29..2027-01-10 2026-12-10',
    ]);
  });

  it('should judge on asOf when an evaluator passes one, without the practice reference', async () => {
    // On 2026-11-01 (today + 14 = 11-15): W2 and W3's 3 months are ahead; W4's 3 months [10-10, 11-21] is open
    // without a CCQ or CAT and closes after 11-15: DUE; W6 is still enrolled (ends 11-30): baseline MISSED for both,
    // its 3 months (opens 11-10, before its end) UPCOMING for both, as W1's.
    const body = (await ctx.http().get('/api/v1/insights/worklist?asOf=2026-11-01').expect(200)).body;
    expect(body.asOf).toBe('2026-11-01');
    const refs = await ctx.dataSource.query(`SELECT ref, pseudonym FROM patients`);
    const refOf = new Map(refs.map((r: Row) => [r.pseudonym, r.ref]));
    expect(body.items.every((i: Row) => i.ref === null)).toBe(true);
    expect(body.items.map((i: Row) => `${refOf.get(i.pseudonym)} ${i.milestone} ${i.instrument} ${i.status} ${i.suggestedDate}`).sort()).toEqual([
      'W1 BASELINE CCQ_OR_CAT MISSED 2026-08-02',
      'W1 FOLLOWUP_3M CCQ_OR_CAT UPCOMING 2026-11-10',
      'W1 FOLLOWUP_3M SIX_MWT UPCOMING 2026-11-10',
      'W4 FOLLOWUP_3M CCQ_OR_CAT DUE 2026-11-01',
      'W6 BASELINE CCQ_OR_CAT MISSED 2026-08-02',
      'W6 BASELINE SIX_MWT MISSED 2026-08-02',
      'W6 FOLLOWUP_3M CCQ_OR_CAT UPCOMING 2026-11-10',
      'W6 FOLLOWUP_3M SIX_MWT UPCOMING 2026-11-10',
    ]);
    const ends = body.items.map((i: Row) => i.windowEnd as string);
    expect(ends).toEqual([...ends].sort());
  });

  it('should give the same status in SQL as libs/domain worklistStatus for every day around a window', async () => {
    // The 3-month window of W1, [2026-11-10, 2026-12-22]; every today from 2026-10-20 to 2027-01-05, with and
    // without a value, without an end date and with one before and inside the window.
    const sql = windowStatusSql({ windowStart: `'2026-11-10'::date`, windowEnd: `'2026-12-22'::date`, today: 'd::date', hasValue: 'hv', endDate: 'ed' });
    const rows: { today: string; hv: boolean; ed: string | null; status: string | null }[] = await ctx.dataSource.query(
      `SELECT to_char(d, 'YYYY-MM-DD') AS today, hv, to_char(ed, 'YYYY-MM-DD') AS ed, ${sql} AS status
       FROM generate_series('2026-10-20'::date, '2027-01-05'::date, interval '1 day') AS d
       CROSS JOIN (VALUES (true), (false)) AS v(hv)
       CROSS JOIN (VALUES (NULL::date), ('2026-11-09'::date), ('2026-11-30'::date)) AS e(ed)`,
    );
    // 78 days x 2 x 3.
    expect(rows).toHaveLength(468);
    const window = { windowStart: '2026-11-10', windowEnd: '2026-12-22' };
    const disagreeing = rows.filter((r) => worklistStatus(window, r.today, r.hv, r.ed) !== r.status);
    expect(disagreeing).toEqual([]);
    // Not vacuous: every status occurs.
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set([null, 'UPCOMING', 'DUE', 'CLOSING', 'MISSED']));
    expect(addDays('2026-10-20', 77)).toBe('2027-01-05');
  });
});
