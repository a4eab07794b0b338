import { createHash } from 'node:crypto';
import { createElement as h, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { indicatorNames, type IndicatorGroup } from '@copd/domain';
import { chartJsSource, definitionsHtml } from './report-assets';
import { CHART_SCRIPT, costChart, forestCharts, goldChart, type ReportChart } from './report-charts';
import { formatDate, formatDateTime } from './report-format';
import type { ReportModel } from './report-model';
import {
  caseMixSection,
  chartCanvas,
  completenessSection,
  indicatorTable,
  summarySection,
  type SectionContext,
} from './report-sections';
import { changesSection, dataStatusSection } from './report-status-sections';
import { REPORT_STYLE } from './report-style';
import { REPORT_WORDS } from './report-words';

const GROUPS: IndicatorGroup[] = ['COST', 'QUALITY', 'ACCESS'];
const GENERATED_MARK = 'data-generated-at';

/**
 * The monitoring report as one self-contained HTML page (issue 13 item 2): React renders it to static markup
 * (every text escaped), the charts are data embedded as JSON and drawn on load by the inlined chart.js. The
 * markup depends on the model only, so the same snapshot gives the same bytes, except for the one line
 * `<p class="generated">…</p>` that says when it was generated.
 */
export function renderReportHtml(model: ReportModel, generatedAt: Date): string {
  const words = REPORT_WORDS[model.language];
  const names = indicatorNames(model.language);
  const ctx: SectionContext = { model, words, names };
  const { comparison, snapshot, experiment } = model;

  const charts: ReportChart[] = [];
  const chart = (c: ReportChart | null): ReactNode => {
    if (!c) return null;
    charts.push(c);
    return chartCanvas(c);
  };
  const sectionId = (group: IndicatorGroup) => `group-${group.toLowerCase()}`;
  const toc: [string, string][] = [
    ['summary', words.summary],
    ...GROUPS.map((g): [string, string] => [sectionId(g), words.groups[g]]),
    ['case-mix', words.caseMix],
    ['completeness', words.completeness],
    ['changes', words.changes],
    ['data-status', words.dataStatus],
    ['methods', words.methods],
  ];

  const groupSections = GROUPS.map((group) =>
    h(
      'section',
      { id: sectionId(group), key: group, className: 'group' },
      h('h2', null, words.groups[group]),
      h('p', { className: 'intro' }, words.groupIntro),
      indicatorTable(ctx, group),
      group === 'COST' ? chart(costChart(comparison, names, words)) : null,
      ...forestCharts(comparison, group, names, words).map((c) => chart(c)),
    ),
  );
  const caseMix = caseMixSection(ctx, chart(goldChart(comparison, words)));

  const body = h(
    'body',
    null,
    h(
      'header',
      null,
      h('h1', null, `${words.title} ${experiment.name}`),
      h(
        'dl',
        { className: 'meta' },
        h('dt', null, words.experiment),
        h('dd', null, `${experiment.name} (${experiment.code})`),
        h('dt', null, words.analysisDate),
        h('dd', { id: 'analysis-date' }, formatDate(snapshot.analysisDate, model.language)),
        h('dt', null, words.snapshot),
        h('dd', null, `${snapshot.label} (${snapshot.id})`),
        h('dt', null, words.takenAt),
        h('dd', null, `${formatDateTime(snapshot.takenAt, model.language)} (${snapshot.takenBy})`),
        h('dt', null, words.digest),
        h('dd', { className: 'digest' }, snapshot.inputDigest),
        h('dt', null, words.codeVersion),
        h('dd', null, snapshot.codeVersion),
      ),
      h('p', { className: 'generated', [GENERATED_MARK]: '' }),
      h(
        'nav',
        { 'aria-label': words.contents },
        h('h2', null, words.contents),
        h('ol', null, ...toc.map(([id, title]) => h('li', { key: id }, h('a', { href: `#${id}` }, title)))),
      ),
    ),
    h(
      'main',
      null,
      summarySection(ctx),
      ...groupSections,
      caseMix,
      completenessSection(ctx),
      changesSection(ctx),
      dataStatusSection(ctx),
      h(
        'section',
        { id: 'methods' },
        h('h2', null, words.methods),
        h('p', null, words.methodsIntro),
        h('h3', null, words.statistics),
        ...words.statisticsText.map((text, i) => h('p', { key: i }, text)),
        h('h3', null, `${words.definitionsHead} (${words.definitionsNote})`),
        h('div', { className: 'definitions', lang: 'en', dangerouslySetInnerHTML: { __html: definitionsHtml() } }),
      ),
    ),
    h('script', { type: 'application/json', id: 'report-data', dangerouslySetInnerHTML: { __html: scriptJson({
      words: { ci: words.chartLegendCi, clustered: words.chartLegendClustered, estimate: words.chartLegendEstimate },
      charts,
    }) } }),
    h('script', { dangerouslySetInnerHTML: { __html: chartJsSource() } }),
    h('script', { dangerouslySetInnerHTML: { __html: CHART_SCRIPT } }),
  );

  const document = h(
    'html',
    { lang: model.language },
    h(
      'head',
      null,
      h('meta', { charSet: 'utf-8' }),
      h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
      h('title', null, `${words.title} ${experiment.code} ${snapshot.analysisDate}`),
      h('style', { dangerouslySetInnerHTML: { __html: REPORT_STYLE } }),
    ),
    body,
  );
  const markup = renderToStaticMarkup(document);
  const empty = `<p class="generated" ${GENERATED_MARK}=""></p>`;
  if (markup.split(empty).length !== 2) throw new Error('the report must hold exactly one generation line');
  // The generation time on a line of its own, the only line that differs between two renders of one snapshot.
  const generated = `${words.generated} ${formatDateTime(generatedAt.toISOString(), model.language)} (${generatedAt.toISOString()})`;
  return `<!DOCTYPE html>\n${markup.replace(empty, () => `\n<p class="generated">${escapeText(generated)}</p>\n`)}\n`;
}

/** JSON inside <script>: nothing in it may close the element or end a line for JavaScript. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

let policy: string | undefined;

/**
 * The Content-Security-Policy of the report page when the browser opens it from the API (helmet's default
 * would block its inline scripts): nothing from any network, and only the two inline scripts it carries (chart.js
 * and the chart script), named by their SHA-256. The JSON data block is not executed and needs no hash.
 */
export function reportContentSecurityPolicy(): string {
  if (policy === undefined) {
    const hash = (script: string) => `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
    policy = [
      "default-src 'none'",
      `script-src ${hash(chartJsSource())} ${hash(CHART_SCRIPT)}`,
      "style-src 'unsafe-inline'",
      "img-src data:",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'self'",
    ].join('; ');
  }
  return policy;
}
