import {
  DAYS_PER_YEAR,
  ELIGIBLE_AFTER_DAYS,
  GUIDELINE_YEAR_DAYS,
  KNGF_MAX_SESSIONS_FIRST_YEAR,
  MCID_STORED,
  MEASUREMENT_WINDOWS,
  NO_RECENT_SESSION_DAYS,
  WORKLIST_CLOSING_DAYS,
  WORKLIST_UPCOMING_DAYS,
} from '@copd/domain';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/*
 * Issue 11, part 1: every threshold and window of the indicator definitions is a named constant in libs/domain
 * (indicators/definitions.ts, pricing/guideline-constants.ts, pricing/care-quarters.ts), and the SQL of the facts
 * pipeline is built from them. This spec reads the pipeline's source (the indicators and insights modules, and
 * every migration that touches the facts) and fails on a threshold typed into SQL as a literal.
 *
 * What counts, in SQL text (template and string literals, without SQL comments and ISO dates):
 *  - any number whose absolute value is one of the constants' values of 10 or more (14, 30, 42, 62, 70, 91,
 *    112, 320, 365, 365.25, 410), wherever it stands, except as a bind parameter ($14);
 *  - the small values (KNGF maxima 0 and 6, MCIDs -4 and -2, quarter months) only where a number can be
 *    nothing but a threshold: a CASE lookup of numbers (WHEN 2 THEN 6), a comparison with a negative number
 *    (<= -4), a range of numbers (BETWEEN 1 AND 5), a month or day count (months => 3, '12 months').
 * And in TypeScript code of those files: a number literal with one of the large values (e.g. / 365.25).
 * Numbers that are not thresholds (ids, LIMIT 1, / 100 for cents, the pick's 10^5 packing) do not match.
 */

const root = path.resolve(__dirname, '../../../../..');

const DAY_AND_MCID_VALUES = [
  ...Object.values(MEASUREMENT_WINDOWS).flatMap((w) => [w.from, w.to, w.target]),
  ...Object.values(ELIGIBLE_AFTER_DAYS),
  GUIDELINE_YEAR_DAYS,
  WORKLIST_UPCOMING_DAYS,
  WORKLIST_CLOSING_DAYS,
  NO_RECENT_SESSION_DAYS,
  DAYS_PER_YEAR,
  ...Object.values(KNGF_MAX_SESSIONS_FIRST_YEAR),
  ...Object.values(MCID_STORED),
].map(Math.abs);
/** Values distinctive enough to flag wherever they stand (below 10, a number is too often a plain count). */
const DISTINCTIVE = new Set(DAY_AND_MCID_VALUES.filter((v) => v >= 10));

/** Always-a-threshold shapes, whatever the number. */
const THRESHOLD_SHAPES: { name: string; pattern: RegExp }[] = [
  { name: 'CASE lookup of numbers', pattern: /\bWHEN\s+-?\d+(?:\.\d+)?\s+THEN\s+-?\d+(?:\.\d+)?/gi },
  { name: 'comparison with a negative number', pattern: /(?:<=|>=|<>|!=|<|>|=)\s*-\s*\d+(?:\.\d+)?/g },
  { name: 'range of numbers', pattern: /\bBETWEEN\s+-?\s*\d+(?:\.\d+)?\s+AND\s+-?\s*\d+(?:\.\d+)?/gi },
  {
    name: 'month or day count',
    pattern: /\b(?:months|days|years|weeks)\s*=>\s*\d+|'\s*\d+\s*(?:day|month|year|week)s?\s*'/gi,
  },
];

interface Finding {
  line: number;
  text: string;
  why: string;
}

/** The findings in one piece of SQL text: a string, or one literal part of a template (between substitutions). */
function sqlFindings(sql: string): { offset: number; text: string; why: string }[] {
  // Blank out comments and ISO dates, keeping offsets (so line numbers stay right).
  const blank = (m: string) => m.replace(/[^\n]/g, ' ');
  const text = sql
    .replace(/--[^\n]*/g, blank)
    .replace(/\/\*[\s\S]*?\*\//g, blank)
    .replace(/\d{4}-\d{2}-\d{2}/g, blank);
  const found: { offset: number; text: string; why: string }[] = [];
  for (const m of text.matchAll(/(?<![\w$.])\d+(?:\.\d+)?(?![\w.])/g)) {
    if (DISTINCTIVE.has(Number(m[0]))) found.push({ offset: m.index, text: m[0], why: 'a threshold value' });
  }
  for (const { name, pattern } of THRESHOLD_SHAPES) {
    for (const m of text.matchAll(pattern)) found.push({ offset: m.index, text: m[0], why: name });
  }
  return found;
}

/** Every literal threshold in a TypeScript file's SQL strings and code numbers. */
function fileFindings(fileName: string, source: string): { findings: Finding[]; sqlTexts: number } {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const findings: Finding[] = [];
  let sqlTexts = 0;
  const report = (start: number, text: string, why: string) =>
    findings.push({ line: file.getLineAndCharacterOfPosition(start).line + 1, text, why });
  const scanSql = (parts: { text: string; start: number }[]) => {
    sqlTexts++;
    for (const part of parts) {
      for (const f of sqlFindings(part.text)) report(part.start + f.offset, f.text, f.why);
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isStringLiteral(node)) {
      // Plain strings only when they read as SQL (DTO texts and messages are prose).
      if (
        ts.isNoSubstitutionTemplateLiteral(node) ||
        /\b(SELECT|WHERE|BETWEEN|FILTER|CASE|JOIN|interval)\b/i.test(node.text)
      ) {
        scanSql([{ text: node.getText(file), start: node.getStart(file) }]);
      }
    } else if (ts.isTemplateExpression(node)) {
      // The literal parts only: substitutions are code, checked below.
      const parts = [node.head, ...node.templateSpans.map((s) => s.literal)].map((p) => ({
        text: p.getText(file),
        start: p.getStart(file),
      }));
      scanSql(parts);
      node.templateSpans.forEach((s) => visit(s.expression));
      return;
    } else if (ts.isNumericLiteral(node) && DISTINCTIVE.has(Number(node.text))) {
      report(node.getStart(file), node.text, 'a threshold value in code');
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { findings, sqlTexts };
}

/** The facts pipeline: the indicators and insights modules (without DTOs and specs) and the facts migrations. */
function pipelineFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? (e.name === 'dto' ? [] : walk(path.join(dir, e.name))) : [path.join(dir, e.name)],
    );
  // patient-records: the patient list's problems and next measurement due (issue 14).
  const modules = ['indicators', 'insights', 'patient-records']
    .flatMap((m) => walk(path.join(root, 'apps/api/src/modules', m)))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
  // The facts SQL shared by the comparison and the insights read models (the completeness counts).
  const shared = readdirSync(path.join(root, 'apps/api/src/core/database'))
    .filter((f) => /^facts-.*\.ts$/.test(f) && !f.endsWith('.spec.ts'))
    .map((f) => path.join(root, 'apps/api/src/core/database', f));
  const migrations = readdirSync(path.join(root, 'migrations'))
    .filter((f) => /^\d+-.*\.ts$/.test(f))
    .map((f) => path.join(root, 'migrations', f))
    .filter((f) => FACTS_OBJECTS.test(readFileSync(f, 'utf8')));
  return [...modules, ...shared, ...migrations];
}

/** A migration belongs to the facts pipeline when it creates or changes what the facts are built from or into. */
const FACTS_OBJECTS =
  /\b(patient_facts|care_quarter_facts|care_quarter_of|care_quarter|comparison_cache|indicator_\w+)\b/;

describe('no threshold of the indicator definitions typed into the facts pipeline', () => {
  it('should find no literal threshold when reading every repository, service and facts migration', () => {
    const files = pipelineFiles();
    let sqlTexts = 0;
    const findings: string[] = [];
    for (const file of files) {
      const result = fileFindings(file, readFileSync(file, 'utf8'));
      sqlTexts += result.sqlTexts;
      for (const f of result.findings)
        findings.push(`${path.relative(root, file)}:${f.line}: ${f.text} (${f.why})`);
    }
    // Not vacuous: the facts repository, the insights read models (however they are split) and the facts
    // migrations are read, and their SQL is seen.
    const names = files.map((f) => path.relative(root, f));
    expect(names).toEqual(
      expect.arrayContaining([
        'apps/api/src/modules/indicators/facts.repository.ts',
        'apps/api/src/core/database/facts-fragments.ts',
        'migrations/1764100000000-indicator-facts.ts',
        'migrations/1764300000000-session-pricing-keys.ts',
      ]),
    );
    expect(
      names.filter((n) => /^apps\/api\/src\/modules\/insights\/.*\.repository\.ts$/.test(n)).length,
    ).toBeGreaterThan(0);
    expect(sqlTexts).toBeGreaterThan(50);
    // A finding names file:line, the number and why it counts: take the value from libs/domain instead
    // (indicators/definitions.ts, pricing/guideline-constants.ts, pricing/care-quarters.ts).
    expect(findings).toEqual([]);
  });

  it.each([
    // The literals the facts, comparison and insights SQL held before issue 11, each of which must be caught.
    ['the baseline eligibility day count', '($3::date - p.intake_date >= 14) AS baseline_eligible', ['14']],
    [
      'a follow-up eligibility with its death rule',
      `($3::date - p.intake_date >= 112
        AND NOT (p.end_reason IS NOT DISTINCT FROM 'DECEASED' AND p.end_date < p.intake_date + 112))`,
      ['112', '112'],
    ],
    ['the windows hull', 'AND m.date BETWEEN p.intake_date - 30 AND p.intake_date + 410', ['30', '410']],
    [
      "a window's pick",
      "FILTER (WHERE instrument = 'CCQ' AND off BETWEEN -30 AND 14) % 100000",
      ['BETWEEN -30 AND 14', '30', '14'],
    ],
    [
      'the KNGF maxima',
      'CASE p.profile WHEN 1 THEN 0 WHEN 2 THEN 6 WHEN 3 THEN 42 WHEN 4 THEN 62 WHEN 5 THEN 70 END',
      [
        'WHEN 1 THEN 0',
        'WHEN 2 THEN 6',
        'WHEN 3 THEN 42',
        '42',
        'WHEN 4 THEN 62',
        '62',
        'WHEN 5 THEN 70',
        '70',
      ],
    ],
    ['the profiles with a maximum', 'AND p.profile BETWEEN 1 AND 5', ['BETWEEN 1 AND 5']],
    ['the 6MWT MCID', '(count(*) FILTER (WHERE six_mwt_d3 >= 30))::int', ['30']],
    [
      'the CCQ MCID in tenths',
      '(count(*) FILTER (WHERE ccq_3m_tenths - ccq_base_tenths <= -4))::int',
      ['<= -4'],
    ],
    ['the CAT MCID', '(count(*) FILTER (WHERE cat_d12 <= -2))::int', ['<= -2']],
    [
      "the worklist's windows and lookahead",
      "CROSS JOIN (VALUES ('BASELINE', 1, -30, 14, 0), ('FOLLOWUP_3M', 2, 70, 112, 91)) AS m WHERE p.intake_date + m.lo <= $2::date + 14",
      ['30', '14', '70', '112', '91', '14'],
    ],
    ['a care quarter length', '(p.intake_date + make_interval(months => 3 * s.k))::date', ['months => 3']],
    [
      'the guideline year as an interval',
      "(p.intake_date + interval '12 months')::date > p.intake_date + 365",
      ["'12 months'", '365'],
    ],
    ['patient-years', 'SELECT sum(followup_days) / 365.25 FROM patient_facts', ['365.25']],
  ])('should flag %s when typed into SQL', (_name, sql, expected) => {
    expect(
      sqlFindings(sql)
        .sort((a, b) => a.offset - b.offset || a.text.length - b.text.length)
        .map((f) => f.text),
    ).toEqual(expected);
  });

  it.each([
    ['bind parameters', 'WHERE a = $14 AND b = $30::date'],
    [
      'the packing of the pick and cents',
      'min(abs(off - x)::bigint * 100000000 + (off + 500) * 100000 + value) / 100',
    ],
    [
      'counts and structural quarter numbers',
      'count(*) FILTER (WHERE quarter_index > 1 AND sessions = 1) LIMIT 1',
    ],
    ['a comment and an ISO date', "-- at least 365 days (DOMAIN.md 6)\nSELECT '2014-03-30'::date"],
    ['column names with digits', 'SELECT six_mwt_12m, ccq_3m_tenths, t14.x FROM t14'],
    ['settings', "SELECT set_config('work_mem', '256MB', true), percentile_cont(0.5), percentile_disc(0.9)"],
  ])('should not flag %s', (_name, sql) => {
    expect(sqlFindings(sql)).toEqual([]);
  });

  it('should flag a number in code and in a template part but not in a substitution when reading TypeScript', () => {
    const source = [
      'const years = days / 365.25;',
      'const sql = `SELECT x FROM t WHERE d >= ${ELIGIBLE_AFTER_DAYS.BASELINE_COMPLETE} AND e <= 112`;',
      "const dto = 'Intake at least 14 days before the analysis date';",
    ].join('\n');
    expect(fileFindings('x.ts', source).findings).toEqual([
      { line: 1, text: '365.25', why: 'a threshold value in code' },
      { line: 2, text: '112', why: 'a threshold value' },
    ]);
  });
});
