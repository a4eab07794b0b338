import { INestApplicationContext } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './support/cli-process';
import { scenarioDocument, SCENARIO_ANALYSIS_DATE } from './fixtures/scenario';
import { Http, startTestApp, TestContext } from './support/test-app';
import { startTestWorker, waitForIndicators } from './support/test-worker';

/*
 * The monitoring report of a snapshot (issue 13 item 2) on the 24-patient scenario of fixtures/scenario.ts
 * (analysis date 2026-06-30; BUNDLE practices 11110001 and 11110002, FFS 22220001 and 22220002), through
 * GET /api/v1/snapshots/:id/report against the real PostgreSQL, Redis and the Chromium of CHROMIUM_PATH.
 * Amounts are formatted the dashboard's way: Intl nl-NL puts a no-break space (U+00A0) after the euro sign.
 */
const NBSP = '\u00a0';
const euro = (text: string) => `€${NBSP}${text}`;

/** GET a report as raw bytes (supertest would not parse text/html or a PDF into a body). */
async function report(http: Http, id: string, query = '', status = 200) {
  const response = await http
    .get(`/api/v1/snapshots/${id}/report${query}`)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    })
    .expect(status);
  return { headers: response.headers as Record<string, string>, body: response.body as Buffer };
}

/** The HTML without its one generation line. */
const withoutGenerationLine = (html: string) =>
  html
    .split('\n')
    .filter((line) => !line.startsWith('<p class="generated">'))
    .join('\n');

/** The text of the element with `id` (tags stripped), or of the first tbody/tr/li carrying data-code or data-agb. */
function textOf(html: string, marker: string): string {
  const start = html.indexOf(marker);
  if (start < 0) throw new Error(`${marker} not in the report`);
  const element = /^<(\w+)/.exec(html.slice(html.lastIndexOf('<', start)))![1];
  const end = html.indexOf(`</${element}>`, start);
  return html
    .slice(start, end)
    .replace(/^[^>]*>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/ +/g, ' ')
    .trim();
}

describe('monitoring report of a snapshot: HTML and PDF (real PostgreSQL, Redis and Chromium)', () => {
  let ctx: TestContext;
  let worker: INestApplicationContext;
  let first: string;

  beforeAll(async () => {
    ctx = await startTestApp();
    worker = await startTestWorker();
    await ctx.http().post('/api/v1/experiment-data').send(scenarioDocument()).expect(200);
    await waitForIndicators(ctx.dataSource);
    first = (await ctx.http().post('/api/v1/snapshots').send({ label: 'Rapportage Q2 2026' }).expect(201)).body
      .snapshot.id;
  });
  afterAll(async () => {
    await worker?.close();
    await ctx?.close();
  });

  it('should give the same HTML byte for byte apart from the generation line when one snapshot is rendered twice', async () => {
    const one = await report(ctx.http(), first);
    const two = await report(ctx.http(), first);
    expect(one.headers['content-type']).toBe('text/html; charset=utf-8');
    const code = (await ctx.dataSource.query(`SELECT code FROM experiments`))[0].code as string;
    expect(one.headers['content-disposition']).toBe(
      `inline; filename="monitoringsrapportage_${code}_${SCENARIO_ANALYSIS_DATE}_${first.slice(0, 8)}.html"`,
    );
    const [a, b] = [one.body.toString('utf8'), two.body.toString('utf8')];
    // Exactly one generation line in each, and nothing else differs.
    expect(a.split('\n').filter((l) => l.startsWith('<p class="generated">'))).toHaveLength(1);
    expect(a.split('\n').find((l) => l.startsWith('<p class="generated">'))).toMatch(/^<p class="generated">Gegenereerd op .+<\/p>$/);
    expect(withoutGenerationLine(a)).toBe(withoutGenerationLine(b));
    expect(withoutGenerationLine(a)).not.toBe(a);
    // Self-contained: chart.js inlined, no script or stylesheet from elsewhere.
    expect(a).toContain('<html lang="nl">');
    expect(a).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet/);
    expect(a).toMatch(/Chart\.js v4/);
    // Opened from the API, its policy allows exactly its two executable inline scripts, by hash, and no network.
    const scripts = [...a.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    expect(scripts).toHaveLength(2);
    const hashes = scripts.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`);
    expect(one.headers['content-security-policy']).toBe(
      `default-src 'none'; script-src ${hashes.join(' ')}; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'`,
    );
  });

  it("should show the scenario's hand-known cost figures, case mix and completeness in Dutch when no language is asked", async () => {
    const html = (await report(ctx.http(), first)).body.toString('utf8');
    expect(html).toContain('<h1>Monitoringsrapportage ');
    expect(html).toContain('Samenvatting van de resultaten');
    expect(textOf(html, `id="analysis-date"`)).toBe('30 juni 2026');
    // PAID_PER_CARE_QUARTER (clustered-intervals.int-spec): BUNDLE 4867.5 / 12 = 405.625 -> € 405,63;
    // FFS 1070.516667 / 12 = 89.2097222 -> € 89,21; difference 405.625 - 89.2097222 = 316.4152778 -> € 316,42.
    const summary = textOf(html, 'data-code="PAID_PER_CARE_QUARTER"');
    expect(summary).toContain(`Betaald per zorgkwartaal ${euro('405,63')} ${euro('89,21')} ${euro('316,42')}`);
    // In the cost table, the BUNDLE row: n 12, value, and its clustered CI 405.625 -/+ 12.7062047 x 1.875
    // = [381.8008661, 429.4491339] -> € 381,80 – € 429,45; design effect 0.0546659 -> 0,05.
    const table = textOf(html, '<tbody data-code="PAID_PER_CARE_QUARTER"');
    expect(table).toContain(`Bundel 12 ${euro('405,63')}`);
    expect(table).toContain(`${euro('381,80')} – ${euro('429,45')} 0,05`);
    // FFS clustered: 89.2097222 -/+ 12.7062047 x 11.3736111 = [-55.3057091, 233.7251536]; design effect 2.3921331 -> 2,39.
    expect(table).toContain(`${euro('-55,31')} – ${euro('233,73')} 2,39`);
    // Mean age at intake (indicators-scenario.int-spec): BUNDLE 75+70+65+78+68+80+73+85+63+69+76+72 = 874 / 12 = 72.83;
    // FFS 74+62+70+78+66+71+64+76+79+81+86+61 = 868 / 12 = 72.33.
    expect(textOf(html, 'id="case-mix-table"')).toContain('Gemiddelde leeftijd bij intake 72,8 72,3');
    // Completeness from snapshot_patient_facts (baseline: eligible = intake >= 14 days before the analysis date):
    // 11110001 B01 B03 B06 B08 B11 complete, B05 not yet due: 5 / 5; 11110002 B12 lacks its baseline 6MWT: 5 / 6;
    // 22220001 6 / 6; 22220002 F10 lacks its baseline 6MWT: 5 / 6. Lowest share first, then AGB.
    const agbs = [...textOf(html, 'id="completeness-table"').matchAll(/\b(\d{8})\b/g)].map((m) => m[1]);
    expect(agbs).toEqual(['11110002', '22220002', '11110001', '22220001']);
    expect(textOf(html, 'data-agb="11110002"')).toContain('83,3% (5/6)');
    expect(textOf(html, 'data-agb="11110001"')).toContain('100,0% (5/5)');
    // Baseline over all practices: 10 / 11 + 11 / 12 = 21 / 23 = 91.3%.
    expect(textOf(html, 'id="completeness-table"')).toContain('Alle praktijken 24 91,3% (21/23)');
    // The first snapshot of the experiment, verified, with its digest and the definitions text.
    expect(textOf(html, 'id="changes-first"')).toContain('eerste momentopname');
    expect(html).toContain('data-matches="true"');
    const digest = (await ctx.dataSource.query(`SELECT input_digest FROM snapshots WHERE id = $1`, [first]))[0].input_digest;
    expect(html).toContain(digest);
    expect(html).toContain('id="def-PAID_PER_CARE_QUARTER"');
  });

  it('should render the report in English when lang=en is asked', async () => {
    const { headers, body } = await report(ctx.http(), first, '?lang=en');
    const html = body.toString('utf8');
    expect(headers['content-disposition']).toMatch(/^inline; filename="monitoring-report_.+_2026-06-30_[0-9a-f]{8}\.html"$/);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<h1>Monitoring report ');
    expect(html).toContain('<h2>Summary of results</h2>');
    expect(textOf(html, `id="analysis-date"`)).toBe('30 June 2026');
    expect(textOf(html, 'data-code="PAID_PER_CARE_QUARTER"')).toContain(`Paid per care quarter ${euro('405,63')}`);
    expect(html).not.toContain('Samenvatting');
  });

  it('should count a late session per practice in the changes since the previous snapshot when a second one is taken', async () => {
    // At practice 11110001, B01 gets a session on 2026-06-12 (before the analysis date: late), then a second snapshot.
    const practice = await ctx.signIn({ role: 'PRACTICE', practices: ['11110001'] });
    const [{ id: b01 }] = await ctx.dataSource.query(`SELECT id FROM patients WHERE ref = 'B01'`);
    await practice().post(`/api/v1/patients/${b01}/sessions`).send({ date: '2026-06-12', kind: 'INDIVIDUAL' }).expect(201);
    await waitForIndicators(ctx.dataSource);
    const second = (await ctx.http().post('/api/v1/snapshots').send({ label: 'Na late registratie' }).expect(201)).body
      .snapshot.id as string;
    const html = (await report(ctx.http(), second)).body.toString('utf8');
    expect(html).toContain('Vergeleken met de vorige momentopname “Rapportage Q2 2026” (analysedatum 30 juni 2026).');
    // Added 1, of which late 1, corrected 0, deleted 0; the same as the total.
    expect(textOf(html, 'data-changes-agb="11110001"')).toMatch(/^11110001 .+ 1 1 0 0$/);
    expect(textOf(html, 'id="changes-records"')).toMatch(/Totaal 1 1 0 0$/);
    // B01: 7 -> 8 sessions over 4 care quarters, 1.75 -> 2; the BUNDLE mean over 12 patients moves 0.25 / 12 = 0.0208 -> +0,02.
    expect(textOf(html, 'id="changes-figures"')).toContain('Behandelingen per zorgkwartaal Bundel: Waarde');
    expect(textOf(html, 'id="changes-figures"')).toMatch(/Behandelingen per zorgkwartaal Bundel: Waarde [\d,]+ [\d,]+ \+0,02/);
    // The first snapshot's report did not change: its data are its own.
    const again = (await report(ctx.http(), first)).body.toString('utf8');
    expect(again).toContain('id="changes-first"');
  });

  it('should print an A4 PDF of several pages with Chromium when format=pdf', async () => {
    const { headers, body } = await report(ctx.http(), first, '?format=pdf');
    const code = (await ctx.dataSource.query(`SELECT code FROM experiments`))[0].code as string;
    expect(headers['content-type']).toBe('application/pdf');
    expect(headers['content-disposition']).toMatch(/^attachment; filename="monitoringsrapportage_.+_2026-06-30_[0-9a-f]{8}\.pdf"$/);
    expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = body.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
    // The PDF's title is the document's <title>.
    expect(body.toString('latin1')).toContain(`/Title (Monitoringsrapportage ${code} 2026-06-30)`);
    // Summary, three indicator sections, case mix, completeness, changes, data status and methods each start a page.
    expect(pages.length).toBeGreaterThanOrEqual(9);
    // A4 portrait: 595 x 842 points.
    const boxes = [...body.toString('latin1').matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [Math.round(Number(m[1])), Math.round(Number(m[2]))]);
    expect(boxes.length).toBe(pages.length);
    expect(new Set(boxes.map((b) => b.join('x')))).toEqual(new Set(['595x842']));
  }, 60_000);

  it('should write the same report as the route, audited as the operator, when the CLI report command is run', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'copd-report-'));
    try {
      const file = path.join(dir, 'rapport.html');
      const result = await runCli(['report', '--snapshot', first, '--out', file]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Monitoring report written to .+rapport\.html \(\d+ bytes\)\.\n$/);
      const route = (await report(ctx.http(), first)).body.toString('utf8');
      expect(withoutGenerationLine(readFileSync(file, 'utf8'))).toBe(withoutGenerationLine(route));
      const [row] = await ctx.dataSource.query(
        `SELECT actor, resource_id, detail FROM audit_log WHERE action = 'report.render' AND actor = 'cli:tester'`,
      );
      expect(row).toMatchObject({ resource_id: first, detail: { language: 'nl', format: 'html' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('should audit every render as report.render naming the snapshot, its language and format', async () => {
    const before = await ctx.count('audit_log');
    await report(ctx.http(), first, '?lang=en&format=html');
    const rows = await ctx.dataSource.query(
      `SELECT actor, resource_type, resource_id, detail FROM audit_log WHERE action = 'report.render' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0]).toMatchObject({
      actor: 'test-evaluator',
      resource_type: 'snapshot',
      resource_id: first,
      detail: { analysisDate: SCENARIO_ANALYSIS_DATE, label: 'Rapportage Q2 2026', language: 'en', format: 'html' },
    });
    expect(await ctx.count('audit_log')).toBe(before + 1);
  });

  it('should answer 403 for other roles, 404 for an unknown snapshot and 400 for a bad language or format, writing nothing', async () => {
    const practice = await ctx.signIn({ role: 'PRACTICE', practices: ['11110001'] });
    const uzovi = (await ctx.dataSource.query(`SELECT uzovi FROM insurers LIMIT 1`))[0].uzovi;
    const insurer = await ctx.signIn({ role: 'INSURER', insurer: uzovi });
    const renders = async () =>
      (await ctx.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'report.render'`))[0].n;
    const before = await renders();
    for (const http of [practice(), insurer(), ctx.http('ADMIN')]) {
      const res = await http.get(`/api/v1/snapshots/${first}/report`).expect(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('AUTH.FORBIDDEN');
    }
    const missing = await ctx.http().get('/api/v1/snapshots/00000000-0000-4000-8000-000000000000/report').expect(404);
    expect(missing.body).toMatchObject({ code: 'SNAPSHOT.NOT_FOUND' });
    const lang = await ctx.http().get(`/api/v1/snapshots/${first}/report?lang=de`).expect(400);
    expect(lang.body.code).toBe('REQUEST.INVALID');
    expect(lang.body.errors).toEqual([
      expect.objectContaining({ code: 'SHAPE.NOT_ONE_OF', path: 'lang', message: "Taal: 'de' is geen geldige keuze; kies uit nl, en." }),
    ]);
    const format = await ctx.http().get(`/api/v1/snapshots/${first}/report?format=docx`).expect(400);
    expect(format.body.errors).toEqual([
      expect.objectContaining({ code: 'SHAPE.NOT_ONE_OF', path: 'format', message: "Formaat: 'docx' is geen geldige keuze; kies uit html, pdf." }),
    ]);
    expect((await ctx.http().get('/api/v1/snapshots/not-a-uuid/report').expect(400)).body.code).toBe('REQUEST.INVALID_ID');
    expect(await renders()).toBe(before);
  });
});
