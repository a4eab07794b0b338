import { createElement as h, type ReactNode } from 'react';
import type { Arm } from '@copd/domain';
import type { FigureChangeDto, RecordChangeCountsDto } from '../snapshots/dto/snapshot.dto';
import { DASH, formatDate, formatDateTime, formatNumber, formatValue } from './report-format';
import type { SectionContext } from './report-sections';

/*
 * The report's sections about the snapshot itself rather than its figures: what changed since the previous
 * snapshot, and the status of the data (digest, verification, record counts).
 */

/** 'BUNDLE.ciLow' -> 'Bundel: 95%-BI ondergrens', in the words of the report. */
function figureName(ctx: SectionContext, figure: string): string {
  const { words } = ctx;
  const parts = figure.split('.');
  const last = parts[parts.length - 1];
  const part: Record<string, string> = {
    n: words.n,
    value: words.value,
    ciLow: `${words.ci} ${words.bounds.low}`,
    ciHigh: `${words.ci} ${words.bounds.high}`,
    mdd: words.mdd,
    df: 'df',
  };
  const head = parts[0] === 'clustered' ? `${words.difference} (${words.clusteredCi.split(' ')[0]})` : parts[0] === 'difference' ? words.difference : words.arms[parts[0] as Arm] ?? parts[0];
  return `${head}: ${part[last] ?? last}`;
}

function figureValue(figure: string, value: number | null, unit: string, change = false): string {
  if (figure.endsWith('.n')) return value === null ? DASH : `${change && value > 0 ? '+' : ''}${formatNumber(value)}`;
  const text = formatValue(value, unit, change || !/^(BUNDLE|FFS)\./.test(figure));
  return change && value !== null && value > 0 ? `+${text}` : text;
}

function countsCells(counts: RecordChangeCountsDto): ReactNode[] {
  return [
    h('td', { key: 'added', className: 'num' }, formatNumber(counts.added)),
    h('td', { key: 'late', className: 'num' }, formatNumber(counts.late)),
    h('td', { key: 'corrected', className: 'num' }, formatNumber(counts.corrected)),
    h('td', { key: 'deleted', className: 'num' }, formatNumber(counts.deleted)),
  ];
}

export function changesSection(ctx: SectionContext): ReactNode {
  const { words, names, model } = ctx;
  const units = new Map<string, string>(model.comparison.indicators.map((i) => [i.code, i.unit]));
  if (!model.previous) {
    return h('section', { id: 'changes' }, h('h2', null, words.changes), h('p', { id: 'changes-first' }, words.changesFirst));
  }
  const { snapshot: previous, changes } = model.previous;
  const figures: FigureChangeDto[] = changes.figures;
  return h(
    'section',
    { id: 'changes' },
    h('h2', null, words.changes),
    h('p', null, words.changesIntro(previous.label, formatDate(previous.analysisDate, model.language))),
    h('h3', null, words.figuresMoved),
    figures.length === 0
      ? h('p', null, words.figuresNone)
      : h(
          'table',
          { className: 'figures compact', id: 'changes-figures' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', null, words.indicator),
              h('th', null, words.figure),
              h('th', { className: 'num' }, words.before),
              h('th', { className: 'num' }, words.after),
              h('th', { className: 'num' }, words.change),
            ),
          ),
          h(
            'tbody',
            null,
            ...figures.map((f) => {
              const unit = units.get(f.code) ?? '';
              return h(
                'tr',
                { key: `${f.code} ${f.figure}` },
                h('th', { scope: 'row' }, names[f.code] ?? f.code),
                h('td', null, figureName(ctx, f.figure)),
                h('td', { className: 'num' }, figureValue(f.figure, f.before, unit)),
                h('td', { className: 'num' }, figureValue(f.figure, f.after, unit)),
                h('td', { className: 'num' }, figureValue(f.figure, f.change, unit, true)),
              );
            }),
          ),
        ),
    h('h3', null, words.recordsPerPractice),
    changes.practices.length === 0
      ? h('p', null, words.recordsNone)
      : h(
          'table',
          { className: 'figures compact', id: 'changes-records' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', null, words.practice),
              h('th', { className: 'num' }, words.added),
              h('th', { className: 'num' }, words.late),
              h('th', { className: 'num' }, words.corrected),
              h('th', { className: 'num' }, words.deleted),
            ),
          ),
          h(
            'tbody',
            null,
            ...changes.practices.map((p) =>
              h(
                'tr',
                { key: p.agb ?? '-', 'data-changes-agb': p.agb ?? '' },
                h('th', { scope: 'row' }, p.agb === null ? words.noPractice : `${p.agb} ${p.name ?? ''}`),
                ...countsCells(p.total),
              ),
            ),
          ),
          h('tfoot', null, h('tr', null, h('th', { scope: 'row' }, words.total), ...countsCells(changes.total))),
        ),
  );
}

export function dataStatusSection(ctx: SectionContext): ReactNode {
  const { words, model } = ctx;
  const { snapshot, verification } = model;
  return h(
    'section',
    { id: 'data-status' },
    h('h2', null, words.dataStatus),
    h(
      'dl',
      { className: 'meta' },
      h('dt', null, words.factsComputedAt),
      h('dd', null, formatDateTime(snapshot.factsComputedAt, model.language)),
      h('dt', null, words.digest),
      h('dd', { className: 'digest' }, snapshot.inputDigest),
      h('dt', null, words.codeVersion),
      h('dd', null, snapshot.codeVersion),
      h('dt', null, words.verification),
      h(
        'dd',
        { id: 'verification', 'data-matches': String(verification.matches) },
        verification.matches ? words.verified : words.notVerified(verification.recomputedDigest),
      ),
    ),
    h('h3', null, words.records),
    h(
      'table',
      { className: 'figures compact', id: 'record-counts' },
      h('thead', null, h('tr', null, h('th', null, words.table), h('th', { className: 'num' }, words.count))),
      h(
        'tbody',
        null,
        ...Object.entries(snapshot.records).map(([table, n]) =>
          h('tr', { key: table }, h('th', { scope: 'row' }, words.tables[table] ?? table), h('td', { className: 'num' }, formatNumber(n))),
        ),
      ),
    ),
  );
}
