// The spec pauses the API's recompute queue for a moment, as e2e-stack.ts reaches into apps/api for its stack.
/* eslint-disable @nx/enforce-module-boundaries */
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { readFileSync } from 'node:fs';
import { INDICATORS_QUEUE } from '../../api/src/core/queue/queue-names';
import type { Comparison, CostSeries, Experiment, IndicatorStatus } from '../src/api/types';
import { E2eStack, signIn, startE2eStack } from './e2e-stack';
import { apiJson, expectAccessible, screenshot } from './page-checks';

/**
 * Issue 12 items 3 (CSV), 4 (analysis-date control) and 6 (incomplete quarters) in the browser: the evaluator
 * moves the analysis date with a reason, sees the recompute's progress and then the new date; the running quarter
 * is marked in the cost chart's table and on the insurer page; the comparison CSV downloaded after a filter has
 * its columns, bounds, rounding, filter columns and file name.
 */
/** The demo experiment's analysis date is 2026-09-30 (the last day of 2026-Q3); the evaluator moves it to 2026-08-31. */
const OLD_DATE = '2026-09-30';
const NEW_DATE = '2026-08-31';
const REASON = 'Monitoringrapportage tot en met augustus 2026';

describe('the evaluator exports: analysis-date control, incomplete quarters and the comparison CSV', () => {
  let stack: E2eStack;
  let experiment: Experiment;
  beforeAll(async () => {
    stack = await startE2eStack({ practices: 6, patients: 240, seed: 12 });
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  async function evaluatorPage(width = 1280, height = 800) {
    const session = await signIn(stack, stack.users.evaluator);
    await session.page.setViewportSize({ width, height });
    await session.page.goto(stack.baseUrl + '/evaluatie');
    await session.page.getByTestId('analysis-date-control').waitFor();
    return session;
  }

  it('should store the new analysis date with its reason, show the recompute progress and then the new date when the evaluator changes it', async () => {
    const { context, page } = await evaluatorPage();
    [experiment] = (await apiJson<{ items: Experiment[] }>(page, '/api/v1/experiments')).items;
    expect(experiment.analysisDate).toBe(OLD_DATE);
    await expect(page.getByTestId('analysis-date-current').innerText()).resolves.toBe('Peildatum: 30 september 2026');

    // A reason is required: too short, the form says so and nothing is sent.
    await page.getByTestId('analysis-date-change').click();
    await page.getByTestId('analysis-date-input').fill(NEW_DATE);
    await page.getByTestId('analysis-date-reason').fill('kort');
    await page.getByTestId('analysis-date-save').click();
    await expect(page.getByTestId('analysis-date-control').getByTestId('field-error').innerText()).resolves.toBe('Geef een reden van minstens 5 tekens.');
    await page.getByTestId('analysis-date-reason').fill(REASON);
    await screenshot(page, 'analysis-date-form', false);

    // The recompute queue is paused for a moment, so the page is seen while the recompute waits (a 240-patient
    // recompute takes a fraction of a second: without the pause the progress could be over before anyone looks).
    const queue = stack.ctx.app.get<Queue>(getQueueToken(INDICATORS_QUEUE), { strict: false });
    await queue.pause();
    await page.getByTestId('analysis-date-save').click();
    await page.getByTestId('analysis-date-progress').waitFor();
    await expect(page.getByTestId('analysis-date-progress').innerText()).resolves.toContain('Herberekening met peildatum 31 augustus 2026: bezig');
    expect(await page.getByTestId('analysis-date-progress').locator('progress').count()).toBe(1);
    // The page reloaded: the freshness bar says the figures wait for the recompute.
    await page.getByTestId('stale-warning').waitFor();
    await expect(page.getByTestId('analysis-date-saved').innerText()).resolves.toBe('Peildatum gewijzigd naar 31 augustus 2026. De cijfers worden opnieuw berekend.');
    await screenshot(page, 'analysis-date-progress', false);

    // Stored and audited before the recompute: the date, and before, after and reason in the audit row.
    const [stored] = await stack.ctx.dataSource.query(`SELECT analysis_date::text AS d FROM experiments WHERE id = $1`, [experiment.id]);
    expect(stored.d).toBe(NEW_DATE);
    const audit = await stack.ctx.dataSource.query(`SELECT detail FROM audit_log WHERE action = 'experiment.analysis-date'`);
    expect(audit).toEqual([{ detail: { before: OLD_DATE, after: NEW_DATE, reason: REASON } }]);

    await queue.resume();
    await page.getByTestId('analysis-date-done').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('analysis-date-done').innerText()).resolves.toBe('Herberekening klaar: de cijfers zijn berekend met peildatum 31 augustus 2026.');
    await page.getByTestId('stale-warning').waitFor({ state: 'detached', timeout: 10_000 });
    await expect(page.getByTestId('freshness').innerText()).resolves.toContain('met peildatum 31 augustus 2026');
    await expect(page.getByTestId('analysis-date-current').innerText()).resolves.toBe('Peildatum: 31 augustus 2026');
    const status = await apiJson<IndicatorStatus>(page, '/api/v1/indicators/status');
    expect({ analysisDate: status.lastComputed?.analysisDate, backlog: status.outboxBacklog.rows }).toEqual({ analysisDate: NEW_DATE, backlog: 0 });

    // Item 6: 2026-Q3 runs to 2026-09-30, after the new analysis date 2026-08-31, so it is still running.
    const cost = await apiJson<CostSeries>(page, '/api/v1/insights/cost-series');
    expect([...new Set(cost.rows.filter((r) => !r.complete).map((r) => r.quarter))]).toEqual(['2026-Q3']);
    expect(cost.rows.filter((r) => r.quarter !== '2026-Q3').every((r) => r.complete)).toBe(true);
    const runningRows = await page.getByTestId('cost-series').locator('tbody tr').evaluateAll((rows) =>
      rows.map((r) => [...r.children].map((c) => c.textContent ?? '')).filter((cells) => cells[0] === '2026-Q3').map((cells) => cells[cells.length - 1]),
    );
    expect(runningRows).toEqual(['nee, lopend kwartaal', 'nee, lopend kwartaal']);
    await page.getByTestId('cost-series').scrollIntoViewIfNeeded();
    await screenshot(page, 'evaluator-cost-running-quarter', false);
    await page.getByTestId('analysis-date-control').scrollIntoViewIfNeeded();
    await expectAccessible(page);

    // The same control at 390 px and in English.
    await page.setViewportSize({ width: 390, height: 800 });
    await page.getByTestId('language').click();
    await expect(page.getByTestId('analysis-date-current').innerText()).resolves.toBe('Analysis date: 31 August 2026');
    await page.getByTestId('analysis-date-change').click();
    await page.getByTestId('analysis-date-control').scrollIntoViewIfNeeded();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    await screenshot(page, 'analysis-date-390-en', false);
    await page.getByTestId('language').click();
    await context.close();
  }, 120_000);

  it('should mark the running quarter on the insurer page when the analysis date is inside a quarter', async () => {
    const { context, page } = await signIn(stack, stack.users.insurer);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(stack.baseUrl + '/verzekeraar');
    await page.getByTestId('incomplete-quarter-note').waitFor();
    await expect(page.getByTestId('incomplete-quarter-note').innerText()).resolves.toBe(
      'Gestippeld en lichter: lopend kwartaal, nog niet compleet (het loopt na de peildatum 31 augustus 2026 door).',
    );
    const last = await page.getByTestId('insurer-by-quarter').locator('tbody tr').last().locator('td, th').last().textContent();
    expect(last).toBe('nee, lopend kwartaal');
    await page.getByTestId('insurer-by-quarter').scrollIntoViewIfNeeded();
    await screenshot(page, 'insurer-running-quarter', false);
    await context.close();
  }, 60_000);

  it('should download the comparison CSV with bounds, screen rounding, filter columns and a file name of experiment, date and filter', async () => {
    const { context, page } = await evaluatorPage();
    await page.getByRole('group', { name: 'GOLD-stadium' }).getByLabel('3').check();
    await page.getByRole('group', { name: 'GOLD-stadium' }).getByLabel('4').check();
    await page.getByRole('group', { name: 'KNGF-profiel' }).getByLabel('4').check();
    await page.getByTestId('apply-filters').click();
    await page.waitForURL(/goldStage=3%2C4&profile=4|goldStage=3,4&profile=4/);
    const query = new URL(page.url()).search;
    const api = await apiJson<Comparison>(page, `/api/v1/indicators/comparison${query}`);
    expect(api.filters).toMatchObject({ goldStage: [3, 4], profile: [4] });
    // The page shows the filtered comparison once its selection line names the filter (it is read from the comparison).
    await page.waitForFunction(() => /GOLD-stadium 3/.test(document.querySelector('[data-testid="context-bar"]')?.textContent ?? ''));
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="comparison-table"] tr[data-code]').length > 0);

    const download = page.waitForEvent('download');
    await page.getByTestId('comparison-csv').click();
    expect((await download).suggestedFilename()).toBe(`armvergelijking_${experiment.code}_${NEW_DATE}_gold-3-4_profiel-4.csv`);
    const text = readFileSync(await (await download).path(), 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines[lines.length - 1]).toBe('');
    const [head, ...rows] = lines.slice(0, -1).map((l) => l.split(';'));
    // Code, name, unit; 9 columns per arm; 8 of the difference; 7 filter columns, experiment, analysis date, computed at.
    expect(head).toHaveLength(3 + 2 * 9 + 8 + 10);
    expect(head.slice(0, 12)).toEqual([
      'Indicatorcode', 'Indicator', 'Eenheid', 'Bundel: n', 'Bundel: waarde', 'Bundel: 95%-BI onder', 'Bundel: 95%-BI boven',
      'Bundel: 95%-BI onder, geclusterd per praktijk', 'Bundel: 95%-BI boven, geclusterd per praktijk', 'Bundel: designeffect (2 decimalen)',
      'Bundel: praktijken (clusters)', 'Bundel: gecorrigeerd voor GOLD-stadium',
    ]);
    expect(head.slice(21)).toEqual([
      'Verschil bundel − per verrichting', 'Verschil 95%-BI onder', 'Verschil 95%-BI boven', 'Verschil 95%-BI onder, geclusterd per praktijk',
      'Verschil 95%-BI boven, geclusterd per praktijk', 'MDV', 'MDV, geclusterd per praktijk', 'MCID',
      'Filter praktijk (AGB)', 'Filter verzekeraar (UZOVI)', 'Filter regio', 'Filter GOLD-stadium', 'Filter KNGF-profiel',
      'Filter intake vanaf', 'Filter intake tot en met', 'Experiment', 'Peildatum', 'Berekend op',
    ]);
    expect(rows.map((r) => r[0])).toEqual(api.indicators.map((i) => i.code));
    for (const row of rows) expect(row).toHaveLength(head.length);
    const col = (name: string) => head.indexOf(name);
    const byCode = (code: string) => rows.find((r) => r[0] === code)!;

    // Euros with exactly 2 decimals, equal to the API's value rounded to cents; the bounds are there.
    const paid = byCode('PAID_PER_CARE_QUARTER');
    const apiPaid = api.indicators.find((i) => i.code === 'PAID_PER_CARE_QUARTER')!;
    const cents = (v: number | null) => (v === null ? '' : v.toFixed(2).replace('.', ','));
    expect(paid[col('Bundel: waarde')]).toMatch(/^-?\d+,\d{2}$/);
    expect(paid[col('Bundel: waarde')]).toBe(cents(apiPaid.arms.BUNDLE.value));
    expect(paid[col('Bundel: 95%-BI onder')]).toBe(cents(apiPaid.arms.BUNDLE.ciLow));
    expect(paid[col('Bundel: 95%-BI boven')]).toBe(cents(apiPaid.arms.BUNDLE.ciHigh));
    expect(paid[col('Bundel: 95%-BI onder')]).not.toBe('');
    expect(paid[col('Per verrichting: 95%-BI boven')]).toBe(cents(apiPaid.arms.FFS.ciHigh));
    expect(paid[col('Verschil bundel − per verrichting')]).toBe(cents(apiPaid.difference.value));
    expect(paid[col('Verschil 95%-BI onder')]).toBe(cents(apiPaid.difference.ciLow));
    expect(paid[col('Verschil 95%-BI boven')]).toBe(cents(apiPaid.difference.ciHigh));
    expect(paid[col('MDV')]).toBe(cents(apiPaid.difference.mdd));
    expect(paid[col('Bundel: praktijken (clusters)')]).toBe(String(apiPaid.clustered?.arms.BUNDLE.clusters));
    expect(paid[col('Verschil 95%-BI onder, geclusterd per praktijk')]).toBe(cents(apiPaid.clustered?.difference.ciLow ?? null));
    const deff = apiPaid.clustered?.arms.BUNDLE.designEffect ?? null;
    expect(paid[col('Bundel: designeffect (2 decimalen)')]).toBe(cents(deff));
    if (deff !== null) expect(paid[col('Bundel: designeffect (2 decimalen)')]).toMatch(/^\d+,\d{2}$/);
    // Shares with 4 decimals.
    const baseline = byCode('BASELINE_COMPLETE');
    const apiBaseline = api.indicators.find((i) => i.code === 'BASELINE_COMPLETE')!;
    expect(baseline[col('Eenheid')]).toBe('fraction of patients');
    expect(baseline[col('Bundel: waarde')]).toBe(apiBaseline.arms.BUNDLE.value === null ? '' : apiBaseline.arms.BUNDLE.value.toFixed(4).replace('.', ','));
    if (apiBaseline.arms.BUNDLE.value !== null) expect(baseline[col('Bundel: waarde')]).toMatch(/^[01],\d{4}$/);
    // The filter columns hold the applied codes; the context columns the experiment and the analysis date.
    for (const row of rows) {
      expect(row[col('Filter GOLD-stadium')]).toBe('3|4');
      expect(row[col('Filter KNGF-profiel')]).toBe('4');
      expect(row[col('Filter praktijk (AGB)')]).toBe('');
      expect(row[col('Experiment')]).toBe(experiment.code);
      expect(row[col('Peildatum')]).toBe(NEW_DATE);
      expect(row[col('Berekend op')]).toBe(api.computedAt);
    }
    await context.close();
  }, 90_000);
});
