import { createElement as h, Fragment, type ReactNode } from 'react';
import { ARMS, INDICATORS, type Arm, type IndicatorGroup } from '@copd/domain';
import type { IndicatorResultDto } from '../indicators/dto/comparison.dto';
import type { ReportChart } from './report-charts';
import { DASH, formatInterval, formatNumber, formatPercent, formatValue } from './report-format';
import type { ReportModel } from './report-model';
import type { ReportWords } from './report-words';

/*
 * The report's sections as React elements (rendered to static markup: every text is escaped by React). One
 * function per section; each takes the model, the words of its language and the indicator names.
 */

export interface SectionContext {
  model: ReportModel;
  words: ReportWords;
  names: Record<string, string>;
}

const COST_CODES = ['PAID_PER_CARE_QUARTER', 'COUNTERFACTUAL_PER_CARE_QUARTER'] as const;
/** Quality and access: the catalogue's groups other than cost and volume (as the dashboard's key results). */
const QUALITY_ACCESS = new Set<string>(INDICATORS.filter((i) => i.group !== 'COST').map((i) => i.code));

/** Whether a 95% CI lies wholly on one side of 0. */
export function excludesZero(low: number | null | undefined, high: number | null | undefined): boolean {
  return low !== null && low !== undefined && high !== null && high !== undefined && (low > 0 || high < 0);
}

/** A canvas the chart script draws on; its size is fixed so the page lays out the same before and after. */
export function chartCanvas(chart: ReportChart): ReactNode {
  const rows = chart.kind === 'forest' ? chart.labels.length : chart.stacked ? chart.labels.length : 6;
  const height = chart.kind === 'forest' || chart.stacked ? 70 + rows * 34 : 260;
  return h(
    'figure',
    { className: 'chart', key: chart.id },
    h('canvas', { id: chart.id, width: 680, height, role: 'img', 'aria-label': chart.title }),
    h('figcaption', null, chart.title),
  );
}

function indicatorOf(ctx: SectionContext, code: string): IndicatorResultDto | undefined {
  return ctx.model.comparison.indicators.find((i) => i.code === code);
}

function differenceText(ctx: SectionContext, i: IndicatorResultDto): string {
  const { words } = ctx;
  const d = i.difference;
  return (
    `${formatValue(d.value, i.unit, true)} (${words.ci} ${formatInterval(d.ciLow, d.ciHigh, i.unit, true)}; ` +
    `${words.clusteredCi} ${formatInterval(i.clustered?.difference.ciLow, i.clustered?.difference.ciHigh, i.unit, true)})`
  );
}

export function summarySection(ctx: SectionContext): ReactNode {
  const { words, names } = ctx;
  const hits = ctx.model.comparison.indicators.filter(
    (i) => QUALITY_ACCESS.has(i.code) && excludesZero(i.difference.ciLow, i.difference.ciHigh),
  );
  const costs = COST_CODES.map((code) => indicatorOf(ctx, code)).filter((i): i is IndicatorResultDto => !!i);
  return h(
    'section',
    { id: 'summary' },
    h('h2', null, words.summary),
    h('p', null, words.summaryIntro),
    h('h3', null, words.cost),
    h(
      'table',
      { className: 'figures', id: 'summary-cost' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', null, ''),
          ...ARMS.map((arm) => h('th', { key: arm, className: 'num' }, words.arms[arm])),
          h('th', { className: 'num' }, words.difference),
          h('th', { className: 'num' }, words.ci),
          h('th', { className: 'num' }, words.clusteredCi),
        ),
      ),
      h(
        'tbody',
        null,
        ...costs.map((i) =>
          h(
            'tr',
            { key: i.code, 'data-code': i.code },
            h('th', { scope: 'row' }, names[i.code]),
            ...ARMS.map((arm) => h('td', { key: arm, className: 'num' }, formatValue(i.arms[arm].value, i.unit))),
            h('td', { className: 'num' }, formatValue(i.difference.value, i.unit, true)),
            h('td', { className: 'num' }, formatInterval(i.difference.ciLow, i.difference.ciHigh, i.unit, true)),
            h(
              'td',
              { className: 'num' },
              formatInterval(i.clustered?.difference.ciLow, i.clustered?.difference.ciHigh, i.unit, true),
            ),
          ),
        ),
      ),
    ),
    h('h3', null, words.qualityAccess),
    hits.length === 0
      ? h('p', null, words.qualityNone)
      : h(
          Fragment,
          null,
          h('p', null, words.qualityHits(hits.length)),
          h(
            'ul',
            { id: 'summary-quality' },
            ...hits.map((i) =>
              h(
                'li',
                { key: i.code, 'data-code': i.code },
                h('strong', null, names[i.code]),
                `: ${differenceText(ctx, i)}; `,
                excludesZero(i.clustered?.difference.ciLow, i.clustered?.difference.ciHigh)
                  ? words.clusteredAlso
                  : words.clusteredNot,
              ),
            ),
          ),
        ),
  );
}

/** The indicator's name over the full width of the table, above its arm and difference rows. */
function indicatorRow(ctx: SectionContext, i: IndicatorResultDto): ReactNode {
  return h(
    'tr',
    { key: 'name', className: 'indicator' },
    h('th', { scope: 'rowgroup', colSpan: 8 }, ctx.names[i.code], ' ', h('span', { className: 'code' }, i.code)),
  );
}

function armRow(ctx: SectionContext, i: IndicatorResultDto, arm: Arm): ReactNode {
  const a = i.arms[arm];
  const c = i.clustered?.arms[arm];
  const withheld = i.withheld?.includes(arm) ?? false;
  return h(
    'tr',
    { key: arm },
    h('td', { className: 'arm' }, ctx.words.arms[arm]),
    h('td', { className: 'num' }, formatNumber(a.n)),
    withheld
      ? h('td', { colSpan: 4, className: 'note' }, ctx.words.withheld)
      : h(
          Fragment,
          null,
          h('td', { className: 'num' }, formatValue(a.value, i.unit)),
          h('td', { className: 'num' }, formatInterval(a.ciLow, a.ciHigh, i.unit)),
          h('td', { className: 'num' }, i.clustered ? formatInterval(c?.ciLow, c?.ciHigh, i.unit) : ctx.words.noInterval),
          h('td', { className: 'num' }, formatNumber(c?.designEffect, 2)),
        ),
    h('td', { className: 'num' }, ''),
    h('td', { className: 'num' }, ''),
  );
}

function differenceRow(ctx: SectionContext, i: IndicatorResultDto): ReactNode {
  const d = i.difference;
  const cd = i.clustered?.difference;
  return h(
    'tr',
    { key: 'difference', className: 'difference' },
    h('td', { className: 'arm' }, ctx.words.differenceShort),
    h('td', { className: 'num' }, ''),
    h('td', { className: 'num' }, formatValue(d.value, i.unit, true)),
    h('td', { className: 'num' }, formatInterval(d.ciLow, d.ciHigh, i.unit, true)),
    h('td', { className: 'num' }, i.clustered ? formatInterval(cd?.ciLow, cd?.ciHigh, i.unit, true) : ctx.words.noInterval),
    h('td', { className: 'num' }, ''),
    h(
      'td',
      { className: 'num' },
      formatValue(d.mdd, i.unit, true),
      cd?.mdd !== null && cd?.mdd !== undefined
        ? h('span', { className: 'sub' }, `${ctx.words.clusteredShort} ${formatValue(cd.mdd, i.unit, true)}`)
        : null,
    ),
    h('td', { className: 'num' }, i.mcid === null ? DASH : formatValue(i.mcid, i.unit, true)),
  );
}

export function indicatorTable(ctx: SectionContext, group: IndicatorGroup): ReactNode {
  const { words } = ctx;
  const codes = new Set(INDICATORS.filter((d) => d.group === group).map((d) => d.code));
  const results = ctx.model.comparison.indicators.filter((i) => codes.has(i.code));
  return h(
    'table',
    { className: 'indicators', id: `table-${group.toLowerCase()}` },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', null, words.arm),
        h('th', { className: 'num' }, words.n),
        h('th', { className: 'num' }, words.value),
        h('th', { className: 'num' }, words.ci),
        h('th', { className: 'num' }, words.clusteredCi),
        h('th', { className: 'num' }, words.designEffect),
        h('th', { className: 'num' }, words.mdd),
        h('th', { className: 'num' }, words.mcid),
      ),
    ),
    ...results.map((i) =>
      h(
        'tbody',
        { key: i.code, 'data-code': i.code },
        indicatorRow(ctx, i),
        armRow(ctx, i, 'BUNDLE'),
        armRow(ctx, i, 'FFS'),
        differenceRow(ctx, i),
      ),
    ),
  );
}

export function caseMixSection(ctx: SectionContext, chart: ReactNode): ReactNode {
  const { words } = ctx;
  const mix = ctx.model.comparison.caseMix;
  if (!mix) return null;
  const totals = Object.fromEntries(
    ARMS.map((arm) => [arm, Object.values(mix[arm].goldStage).reduce((s: number, n: number) => s + n, 0)]),
  ) as Record<Arm, number>;
  const countRow = (label: string, counts: Record<Arm, number>) =>
    h(
      'tr',
      { key: label },
      h('th', { scope: 'row' }, label),
      ...ARMS.map((arm) =>
        h(
          'td',
          { key: arm, className: 'num' },
          `${formatNumber(counts[arm])} (${formatPercent(totals[arm] === 0 ? null : counts[arm] / totals[arm])})`,
        ),
      ),
    );
  return h(
    'section',
    { id: 'case-mix' },
    h('h2', null, words.caseMix),
    h('p', null, words.caseMixIntro),
    h(
      'table',
      { className: 'figures', id: 'case-mix-table' },
      h(
        'thead',
        null,
        h('tr', null, h('th', null, ''), ...ARMS.map((arm) => h('th', { key: arm, className: 'num' }, words.armsLong[arm]))),
      ),
      h(
        'tbody',
        null,
        h('tr', { className: 'group' }, h('th', { colSpan: 3 }, words.goldStage)),
        ...(['2', '3', '4'] as const).map((g) =>
          countRow(`GOLD ${g}`, { BUNDLE: mix.BUNDLE.goldStage[g], FFS: mix.FFS.goldStage[g] }),
        ),
        h('tr', { className: 'group' }, h('th', { colSpan: 3 }, words.profile)),
        ...(['1', '2', '3', '4', '5', '6'] as const).map((p) =>
          countRow(`${words.profile} ${p}`, { BUNDLE: mix.BUNDLE.profile[p], FFS: mix.FFS.profile[p] }),
        ),
        h(
          'tr',
          null,
          h('th', { scope: 'row' }, words.meanAge),
          ...ARMS.map((arm) => h('td', { key: arm, className: 'num' }, formatNumber(mix[arm].meanAge, 1))),
        ),
      ),
    ),
    chart,
  );
}

function share(x: number, n: number): string {
  return `${formatPercent(n === 0 ? null : x / n)} (${formatNumber(x)}/${formatNumber(n)})`;
}

export function completenessSection(ctx: SectionContext): ReactNode {
  const { words } = ctx;
  const rows = ctx.model.completeness;
  const sum = (key: keyof (typeof rows)[number]) => rows.reduce((s, r) => s + (r[key] as number), 0);
  return h(
    'section',
    { id: 'completeness' },
    h('h2', null, words.completeness),
    h('p', null, words.completenessIntro),
    h(
      'table',
      { className: 'figures compact', id: 'completeness-table' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', null, `${words.practice} (${words.region.toLowerCase()})`),
          h('th', null, words.arm),
          h('th', { className: 'num' }, words.patients),
          h('th', { className: 'num' }, words.baseline),
          h('th', { className: 'num' }, words.followup3m),
          h('th', { className: 'num' }, words.followup12m),
        ),
      ),
      h(
        'tbody',
        null,
        ...rows.map((r) =>
          h(
            'tr',
            { key: r.agb, 'data-agb': r.agb },
            h('th', { scope: 'row' }, `${r.agb} ${r.name}`, h('span', { className: 'sub' }, r.region)),
            h('td', null, r.arms.map((arm) => words.arms[arm]).join(', ')),
            h('td', { className: 'num' }, formatNumber(r.patients)),
            h('td', { className: 'num' }, share(r.baselineComplete, r.baselineEligible)),
            h('td', { className: 'num' }, share(r.followup3mComplete, r.followup3mEligible)),
            h('td', { className: 'num' }, share(r.followup12mComplete, r.followup12mEligible)),
          ),
        ),
      ),
      h(
        'tfoot',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'row', colSpan: 2 }, words.completenessTotal),
          h('td', { className: 'num' }, formatNumber(sum('patients'))),
          h('td', { className: 'num' }, share(sum('baselineComplete'), sum('baselineEligible'))),
          h('td', { className: 'num' }, share(sum('followup3mComplete'), sum('followup3mEligible'))),
          h('td', { className: 'num' }, share(sum('followup12mComplete'), sum('followup12mEligible'))),
        ),
      ),
    ),
  );
}
