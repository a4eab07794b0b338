import type { Arm, CompletenessRow, CostSeriesRow, Indicator, PeerIndicator, WaitDaysArm } from '../api/types';
import type { IntervalMarkerOptions } from './interval-markers';
import { buildArmValuesChart, buildForestPlot, INDICATOR_GROUPS } from './comparison-charts';
import { buildCostSeriesChart, buildPracticeCostChart } from './cost-charts';
import { toCsv } from './csv';
import { buildPeerStrip } from './peer-charts';
import { buildCompletenessChart, buildMixChart, buildWaitDaysChart } from './population-charts';

const t = (key: string) => key;
const plain = (s: string) => s.replace(/\u00a0/g, ' ');
const markers = (options: unknown) => (options as { plugins: { intervalMarkers: IntervalMarkerOptions } }).plugins.intervalMarkers;

function indicator(code: string, unit: string, mcid: number | null, arms: Record<Arm, [number | null, number | null, number | null]>, diff: [number, number, number, number]): Indicator {
  const arm = ([value, ciLow, ciHigh]: [number | null, number | null, number | null]) => ({ n: 10, value, ciLow, ciHigh, adjusted: value, adjustedNote: null });
  return {
    code: code as Indicator['code'],
    unit,
    kind: 'MEAN',
    mcid,
    arms: { BUNDLE: arm(arms.BUNDLE), FFS: arm(arms.FFS) },
    difference: { value: diff[0], ciLow: diff[1], ciHigh: diff[2], mdd: diff[3] },
    clustered: null,
  };
}

const sixMwt = INDICATOR_GROUPS.find((g) => g.key === 'sixMwt')!;
const shares = INDICATOR_GROUPS.find((g) => g.key === 'shares')!;
const indicators = [
  indicator('SIX_MWT_CHANGE_3M', 'm', 30, { BUNDLE: [40, 30, 50], FFS: [25, 15, 35] }, [15, 1, 29, 20]),
  indicator('SIX_MWT_CHANGE_12M', 'm', 30, { BUNDLE: [35, null, null], FFS: [null, null, null] }, [0, 0, 0, 0]),
  indicator('BASELINE_COMPLETE', 'fraction of patients', null, { BUNDLE: [0.8, 0.7, 0.9], FFS: [0.6, 0.5, 0.7] }, [0.2, 0.05, 0.35, 0.1]),
];

describe('forest plot', () => {
  it('should draw each difference as its CI bar with the estimate, a zero line and the MCID when the group has one', () => {
    const spec = buildForestPlot(indicators, sixMwt, t);
    expect(spec.config.data.labels).toEqual(['indicators.SIX_MWT_CHANGE_3M', 'indicators.SIX_MWT_CHANGE_12M']);
    expect(spec.config.data.datasets[0].data).toEqual([[1, 29], [0, 0]]);
    const m = markers(spec.config.options);
    expect(m.estimates).toEqual([[15, 0]]);
    expect(m.lines!.map((l) => l.value)).toEqual([0, 30]);
    // The axis is suggested to include zero and the MCID (30 m) even though every CI ends below 30.
    expect((spec.config.options!.scales!.x as { suggestedMax: number }).suggestedMax).toBeGreaterThan(30);
  });

  it('should scale fractions to percentage points when the group holds proportions', () => {
    const spec = buildForestPlot(indicators, shares, t);
    expect(spec.config.data.datasets[0].data).toEqual([[5, 35]]);
    expect(markers(spec.config.options).lines).toHaveLength(1);
    expect(spec.table.rows[0].map((c) => c.text)).toEqual(['indicators.BASELINE_COMPLETE', '20,0 pp', '5,0 pp – 35,0 pp', '10,0 pp', '–']);
  });
});

describe('arm values chart', () => {
  it('should give one dataset per arm with CI bars and a zero-width bar when an arm has no interval', () => {
    const spec = buildArmValuesChart(indicators, sixMwt, t);
    expect(spec.config.data.datasets.map((d) => d.data)).toEqual([
      [[30, 50], [35, 35]],
      [[15, 35], null],
    ]);
    expect(markers(spec.config.options).estimates).toEqual([[40, 35], [25, null]]);
    expect(spec.table.rows).toHaveLength(4);
    expect(spec.table.rows[0].map((c) => c.text)).toEqual(['indicators.SIX_MWT_CHANGE_3M', 'arms.BUNDLE', '40,0 m', '30,0 m – 50,0 m', '40,0 m', '10']);
  });
});

describe('cost series chart', () => {
  const rows: CostSeriesRow[] = [
    { arm: 'BUNDLE', quarter: '2025-Q1', quarterStart: '2025-01-01', careQuarters: 1, patients: 1, paidCents: 45000, counterfactualCents: 22000, complete: true },
    { arm: 'BUNDLE', quarter: '2025-Q2', quarterStart: '2025-04-01', careQuarters: 2, patients: 2, paidCents: 72000, counterfactualCents: 8000, complete: true },
    { arm: 'FFS', quarter: '2025-Q2', quarterStart: '2025-04-01', careQuarters: 4, patients: 3, paidCents: 40000, counterfactualCents: 100000, complete: true },
  ];

  it('should plot paid and counterfactual per care quarter for each arm by calendar quarter', () => {
    const spec = buildCostSeriesChart(rows, t);
    expect(spec.config.data.labels).toEqual(['2025-Q1', '2025-Q2']);
    // BUNDLE Q2: 72000 cents over 2 care quarters = EUR 360; FFS has no Q1 point.
    expect(spec.config.data.datasets.map((d) => d.data)).toEqual([[450, 360], [220, 40], [null, 100], [null, 250]]);
    expect(spec.config.data.datasets[1].borderDash).toEqual([6, 4]);
    expect(plain(spec.table.rows[1][4].text)).toBe('€ 720,00');
  });

  it('should draw a quarter still running on the analysis date dotted, hollow and labelled when the API marks it incomplete', () => {
    // Analysis date 2025-05-15: 2025-Q2 ends 2025-06-30 > 2025-05-15, so the API sends complete: false for it.
    const running = rows.map((r) => (r.quarter === '2025-Q2' ? { ...r, complete: false } : r));
    const spec = buildCostSeriesChart(running, t);
    // The values are drawn as they are (BUNDLE Q2: 72000 / 2 care quarters = EUR 360), not hidden.
    expect(spec.config.data.datasets.slice(0, 4).map((d) => d.data)).toEqual([[450, 360], [220, 40], [null, 100], [null, 250]]);
    expect(spec.config.data.labels).toEqual(['2025-Q1', ['2025-Q2', '(incomplete.label)']]);
    // The segment from Q1 into Q2 (p1DataIndex 1) is dotted [2, 4] and lighter (#154273 at 0x73 = 45% opacity);
    // a segment into a complete quarter keeps the dataset's own dash (paid: solid, counterfactual: [6, 4]).
    type Segment = { borderDash: (ctx: { p1DataIndex: number }) => number[]; borderColor: (ctx: { p1DataIndex: number }) => string };
    const paid = spec.config.data.datasets[0] as unknown as { segment: Segment; pointBackgroundColor: string[] };
    const counterfactual = spec.config.data.datasets[1] as unknown as { segment: Segment };
    expect(paid.segment.borderDash({ p1DataIndex: 1 })).toEqual([2, 4]);
    expect(paid.segment.borderColor({ p1DataIndex: 1 })).toBe('#15427373');
    expect(paid.segment.borderDash({ p1DataIndex: 0 })).toEqual([]);
    expect(counterfactual.segment.borderDash({ p1DataIndex: 0 })).toEqual([6, 4]);
    expect(paid.pointBackgroundColor).toEqual(['#154273', '#ffffff']);
    // A fifth dataset without values is the legend entry.
    expect(spec.config.data.datasets[4]).toMatchObject({ label: 'incomplete.label', data: [null, null], borderDash: [2, 4] });
    // The table (and so its CSV) says which quarters are complete.
    expect(spec.table.head[8]).toBe('incomplete.column');
    expect(spec.table.rows.map((r) => [r[0].text, r[1].text, r[8].text])).toEqual([
      ['2025-Q1', 'arms.BUNDLE', 'incomplete.yes'],
      ['2025-Q2', 'arms.BUNDLE', 'incomplete.no'],
      ['2025-Q2', 'arms.FFS', 'incomplete.no'],
    ]);
    expect(spec.summary.startsWith('2025-Q1 – 2025-Q2 (incomplete.label). ')).toBe(true);
  });

  it('should add no legend entry and keep plain labels when every quarter is complete', () => {
    const spec = buildCostSeriesChart(rows, t);
    expect(spec.config.data.datasets).toHaveLength(4);
    expect(spec.config.data.labels).toEqual(['2025-Q1', '2025-Q2']);
  });

  it('should plot totals in euros when asked for totals', () => {
    expect(buildCostSeriesChart(rows, t, 'total').config.data.datasets[0].data).toEqual([450, 720]);
  });

  it('should put paid next to counterfactual per practice', () => {
    const spec = buildPracticeCostChart([{ practice: { agb: '12345678', name: 'Praktijk C' }, arm: 'BUNDLE', patients: 1, careQuarters: 3, paidCents: 117000, counterfactualCents: 30000 }], t);
    expect(spec.config.data.datasets.map((d) => d.data)).toEqual([[1170], [300]]);
    expect(plain(spec.table.rows[0][7].text)).toBe('€ 870,00');
  });

  it('should show "< 5" and plot no point when the API withheld a cell of fewer than 5 patients', () => {
    const withheld: CostSeriesRow = { arm: 'FFS', quarter: '2025-Q2', quarterStart: '2025-04-01', careQuarters: null, patients: 4, paidCents: null, counterfactualCents: null, complete: true, withheld: true };
    const spec = buildCostSeriesChart([rows[0], rows[1], withheld], t);
    expect(spec.config.data.datasets.map((d) => d.data)).toEqual([[450, 360], [220, 40], [null, null], [null, null]]);
    // Care quarters, paid, counterfactual and both per-care-quarter columns withheld; the 4 patients stay.
    expect(spec.table.rows[2].map((c) => c.text)).toEqual(['2025-Q2', 'arms.FFS', 'insurer.withheld', '4', 'insurer.withheld', 'insurer.withheld', 'insurer.withheld', 'insurer.withheld', 'incomplete.yes']);
    const practice = buildPracticeCostChart([{ practice: { agb: '12345678', name: 'Praktijk C' }, arm: 'FFS', patients: 4, careQuarters: null, paidCents: null, counterfactualCents: null, withheld: true }], t);
    expect(practice.config.data.datasets.map((d) => d.data)).toEqual([[null], [null]]);
    expect(practice.table.rows[0][5].text).toBe('insurer.withheld');
  });
});

describe('risk-selection and completeness charts', () => {
  it('should stack each arm to 100% by GOLD stage', () => {
    // The API lists every profile 1-6 (buildComparison fills absent ones with 0); only the GOLD stages are charted here.
    const profile = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0, '6': 0 };
    const mix = { BUNDLE: { goldStage: { '2': 1, '3': 3, '4': 0 }, profile, meanAge: 70 }, FFS: { goldStage: { '2': 2, '3': 2, '4': 0 }, profile, meanAge: 68 } };
    const spec = buildMixChart(mix, 'goldStage', t);
    expect(spec.config.data.datasets.map((d) => d.data)).toEqual([[25, 50], [75, 50], [0, 0]]);
  });

  it('should keep the ranking it is given and show shares with their counts', () => {
    const row = (agb: string, x: number, n: number): CompletenessRow => ({
      practice: { agb, name: `P${agb}`, region: 'R' },
      arms: ['BUNDLE'],
      patients: n,
      baselineEligible: n,
      baselineComplete: x,
      followup3mEligible: 0,
      followup3mComplete: 0,
      followup12mEligible: n,
      followup12mComplete: n,
    });
    const spec = buildCompletenessChart([row('00000001', 1, 4), row('00000002', 3, 4)], t);
    expect(spec.config.data.labels).toEqual(['P00000001', 'P00000002']);
    expect(spec.config.data.datasets[0].data).toEqual([25, 75]);
    // No one eligible yet: no bar, and a dash in the table.
    expect(spec.config.data.datasets[1].data).toEqual([null, null]);
    expect(spec.table.rows[0][3].text).toBe('25,0% (1/4)');
    expect(spec.table.rows[0][4].text).toBe('–');
  });
});

describe('wait days histogram', () => {
  const arms: WaitDaysArm[] = [
    { arm: 'BUNDLE', n: 4, median: 9.5, p90: 15, counts: [{ days: 3, patients: 1 }, { days: 7, patients: 1 }, { days: 12, patients: 1 }, { days: 15, patients: 1 }] },
  ];

  it('should bin by 7 days as shares of the arm and mark median and p90 at their day', () => {
    const spec = buildWaitDaysChart(arms, t);
    expect(spec.config.data.labels).toEqual(['0–6', '7–13', '14–20']);
    expect(spec.config.data.datasets[0].data).toEqual([25, 50, 25]);
    // Day d sits at category position (d - 3) / 7: day 3 is the centre of bin 0.
    expect(markers(spec.config.options).lines!.map((l) => l.value)).toEqual([(9.5 - 3) / 7, (15 - 3) / 7]);
  });
});

describe('peer strip', () => {
  it('should show peers as values only and rank the practice among them', () => {
    const indicator: PeerIndicator = {
      code: 'BASELINE_COMPLETE', unit: 'fraction of patients', n: 10, value: 0.5,
      peers: [0.2, 0.4, 0.6, 0.7, 0.9], peerMedian: 0.6, peersWithheld: false,
    };
    const spec = buildPeerStrip(indicator, 'FFS', t);
    expect(spec.config.data.datasets.map((d) => d.data)).toEqual([
      [{ x: 20, y: 0 }, { x: 40, y: 0 }, { x: 60, y: 0 }, { x: 70, y: 0 }, { x: 90, y: 0 }],
      [{ x: 50, y: 0 }],
    ]);
    // 0.5 is above 0.2 and 0.4: rank 3 of 6.
    expect(spec.table.rows[0].map((c) => c.text)).toEqual([
      'indicators.BASELINE_COMPLETE', '50,0%', '10', '60,0%', '3 / 6', '20,0%; 40,0%; 60,0%; 70,0%; 90,0%',
    ]);
  });

  it('should show only the practice itself, without rank, when its peers are withheld', () => {
    const indicator: PeerIndicator = {
      code: 'BASELINE_COMPLETE', unit: 'fraction of patients', n: 10, value: 0.5, peers: [], peerMedian: null, peersWithheld: true,
    };
    const spec = buildPeerStrip(indicator, 'FFS', t);
    expect(spec.config.data.datasets.map((d) => d.data)).toEqual([[], [{ x: 50, y: 0 }]]);
    expect(spec.table.rows[0].map((c) => c.text)).toEqual(['indicators.BASELINE_COMPLETE', '50,0%', '10', '–', '–', '']);
    expect(spec.summary).toBe('practice.peersWithheld');
  });
});

describe('CSV', () => {
  const table = {
    head: ['Praktijk', 'Betaald'],
    rows: [
      [{ text: 'A, B', value: 'A, B' }, { text: '€ 1.234,56', value: 1234.56 }],
      [{ text: '–', value: null }, { text: 'x"y; z', value: 'x"y; z' }],
    ],
  };

  it('should write Dutch CSV with semicolons and a decimal comma, quoting a value that holds a separator', () => {
    expect(toCsv(table, 'nl')).toBe('\uFEFFPraktijk;Betaald\r\nA, B;1234,56\r\n;"x""y; z"\r\n');
  });

  it('should keep a text that looks like a formula as text, and a negative number as a number', () => {
    const risky = { head: ['Praktijk', 'Verschil'], rows: [[{ text: '=HYPERLINK("x")', value: '=HYPERLINK("x")' }, { text: '-€ 12,50', value: -12.5 }]] };
    expect(toCsv(risky, 'nl')).toBe('\uFEFFPraktijk;Verschil\r\n"\'=HYPERLINK(""x"")";-12,5\r\n');
  });

  it('should write English CSV as RFC 4180 with commas and a decimal point', () => {
    expect(toCsv(table, 'en')).toBe('\uFEFFPraktijk,Betaald\r\n"A, B",1234.56\r\n,"x""y; z"\r\n');
  });
});

describe('chart rules of issue 16', () => {
  const scaleX = (options: unknown) => (options as { scales: { x: Record<string, unknown> } }).scales.x;

  it('should put the share forest plot in percentage points bounded to ±100 when the group holds proportions', () => {
    const spec = buildForestPlot(indicators, shares, t);
    // Axis title in the table's unit: percentage points, not "%".
    expect((scaleX(spec.config.options).title as { text: string }).text).toBe('table.difference (units.percentPoints)');
    // Values 5 .. 35 pp, 0 and ±MDD 10 pp: -10 .. 35, pad 45 × 0.04 = 1.8 -> suggested -11.8 .. 36.8, inside ±100.
    expect(scaleX(spec.config.options).suggestedMin).toBeCloseTo(-11.8, 10);
    expect(scaleX(spec.config.options).suggestedMax).toBeCloseTo(36.8, 10);
  });

  it('should draw the MDD as marks at ±MDD and put MCID and MDD in the legend when the group has both', () => {
    const spec = buildForestPlot(indicators, sixMwt, t);
    // 6MWT 3 months MDD 20 m; 12 months MDD 0 m.
    expect(markers(spec.config.options).rowMarks!.map((m) => m.values)).toEqual([[20, 0], [-20, -0]]);
    expect(spec.config.data.datasets.map((d) => d.label)).toEqual(['chart.differenceLegend', 'chart.mcidLegend', 'chart.mddLegend']);
    // The legend-only entries carry no values: they draw nothing.
    expect(spec.config.data.datasets[1].data).toEqual([null, null]);
    expect((spec.config.options!.plugins!.legend as { position: string }).position).toBe('bottom');
    // The MCID line keeps its label on the line: "MCID 30,0 m".
    expect(markers(spec.config.options).lines![1].label).toBe('MCID 30,0 m');
  });

  it('should clip an arm interval at 0 % when a share CI runs below zero', () => {
    const low = [indicator('BASELINE_COMPLETE', 'fraction of patients', null, { BUNDLE: [0.02, -0.03, 0.07], FFS: [0.5, 0.4, 1.05] }, [0, 0, 0, 0])];
    const spec = buildArmValuesChart(low, shares, t);
    // BUNDLE -3 % .. 7 % -> 0 .. 7; FFS 40 % .. 105 % -> 40 .. 100; the axis is fixed at 0 and 100.
    const [bundle, ffs] = spec.config.data.datasets.map((d) => (d.data as unknown as [number, number][])[0]);
    expect(bundle[0]).toBe(0);
    // 0.07 × 100 = 7.000000000000001 in floating point.
    expect(bundle[1]).toBeCloseTo(7, 10);
    expect(ffs).toEqual([40, 100]);
    expect(scaleX(spec.config.options).min).toBe(0);
    expect(scaleX(spec.config.options).max).toBe(100);
  });

  it('should name the arm in every wait-time label and bound the share axis to 0-100 % when two arms are shown', () => {
    const arms: WaitDaysArm[] = [
      { arm: 'BUNDLE', n: 2, median: 10, p90: 13, counts: [{ days: 10, patients: 2 }] },
      { arm: 'FFS', n: 2, median: 11, p90: 13, counts: [{ days: 11, patients: 2 }] },
    ];
    const spec = buildWaitDaysChart(arms, t);
    expect(markers(spec.config.options).lines!.map((l) => l.label)).toEqual(['arms.BUNDLE: table.median 10,0', 'arms.BUNDLE: table.p90 13', 'arms.FFS: table.median 11,0', 'arms.FFS: table.p90 13']);
    // All patients of each arm in bin 7–13: 100 %, so the axis runs 0 .. 100 (never 120 %).
    const y = (spec.config.options as { scales: { y: { min: number; max: number } } }).scales.y;
    expect([y.min, y.max]).toEqual([0, 100]);
    // Four labels: room for four rows of 14 px above the plot, + 6 = 62.
    expect((spec.config.options!.layout as { padding: { top: number } }).padding.top).toBe(62);
  });

  it('should label euro axes in whole euros and not rotate them when costs are drawn', () => {
    const rows: CostSeriesRow[] = [{ quarter: '2025-Q1', arm: 'BUNDLE', patients: 2, careQuarters: 2, paidCents: 240000, counterfactualCents: 120000 } as CostSeriesRow];
    const y = (buildCostSeriesChart(rows, t).config.options as { scales: { y: { min: number; ticks: { callback: (v: number) => string } } } }).scales.y;
    expect(y.min).toBe(0);
    expect(plain(y.ticks.callback(1200))).toBe('€ 1.200');
  });
});
