import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Comparison, InsurerCosts, PeerDistribution } from '../src/api/types';
import { formatCents, formatValue, formatWithInterval } from '../src/format';
import { aContractRow, aPatientRow, E2eStack, PASSWORD, SCREENSHOTS, signIn, startE2eStack, waitForIndicators } from './e2e-stack';
import { apiJson, expectAccessible, screenshot } from './page-checks';

/** The text of a comparison-table field: the indicator's row or its details row, field number (1 = BUNDLE value, 2 its adjusted value). */
async function comparisonCell(page: Page, code: string, column: number): Promise<string> {
  const rows = `:is(tr[data-code="${code}"], tr[data-details="${code}"])`;
  return (await page.locator(`[data-testid="comparison-table"] ${rows} [data-col="${column}"]`).innerText()).trim();
}

describe('dashboard in headless Chromium', () => {
  let stack: E2eStack;
  beforeAll(async () => {
    stack = await startE2eStack({ practices: 6, patients: 240, seed: 5 });
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('should refuse a wrong password with a message on the sign-in page', async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    await page.goto(stack.baseUrl + '/evaluatie');
    await page.getByLabel('Gebruikersnaam').fill(stack.users.evaluator.username);
    await page.getByLabel('Wachtwoord').fill('niet-het-wachtwoord');
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    await expect(page.getByTestId('sign-in-error').innerText()).resolves.toContain('klopt niet');
    await screenshot(page, 'sign-in');
    await expectAccessible(page);
    await context.close();
  });

  it('should show the evaluator the API numbers for the same filters, with charts, tables and freshness', async () => {
    const { context, page } = await signIn(stack, stack.users.evaluator);
    expect(new URL(page.url()).pathname).toBe('/evaluatie');
    await page.locator('[data-testid="comparison-table"]').waitFor();
    await page.locator('canvas[data-chart]').first().waitFor();

    const check = async (query: string) => {
      const api = await apiJson<Comparison>(page, `/api/v1/indicators/comparison${query}`);
      for (const indicator of api.indicators.filter((i) => i.kind !== 'MEDIAN')) {
        const bundle = indicator.arms.BUNDLE;
        const ffs = indicator.arms.FFS;
        expect(await comparisonCell(page, indicator.code, 1)).toBe(formatWithInterval(bundle.value, bundle.ciLow, bundle.ciHigh, indicator.unit));
        expect(await comparisonCell(page, indicator.code, 3)).toBe(String(bundle.n));
        expect(await comparisonCell(page, indicator.code, 4)).toBe(formatWithInterval(ffs.value, ffs.ciLow, ffs.ciHigh, indicator.unit));
        const d = indicator.difference;
        expect(await comparisonCell(page, indicator.code, 7)).toBe(formatWithInterval(d.value, d.ciLow, d.ciHigh, indicator.unit, true));
        expect(await comparisonCell(page, indicator.code, 8)).toBe(formatValue(d.mdd, indicator.unit, true));
        if (bundle.adjusted !== null) expect(await comparisonCell(page, indicator.code, 2)).toBe(formatValue(bundle.adjusted, indicator.unit));
      }
      await expect(page.getByTestId('practices-per-arm').innerText()).resolves.toContain(`bundel ${api.practices.BUNDLE}, per verrichting ${api.practices.FFS}`);
      return api;
    };
    const all = await check('');
    await expect(page.getByTestId('freshness').innerText()).resolves.toContain('met peildatum 30 september 2026');
    expect(all.stale).toBe(false);

    // Every chart has a text alternative and a table with a CSV download.
    const charts = page.locator('canvas[data-chart]');
    expect(await charts.count()).toBeGreaterThanOrEqual(17);
    for (const label of await charts.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('aria-label') ?? ''))) expect(label.length).toBeGreaterThan(20);
    const firstChart = await page.evaluate(() => performance.getEntriesByName('first-chart')[0]?.startTime ?? null);
    expect(firstChart).not.toBeNull();
    process.stdout.write(`[e2e] time to first chart (240 patients): ${Math.round(firstChart as number)} ms\n`);

    // The CSV of the cost series carries the API's cents as euros.
    const download = page.waitForEvent('download');
    await page.getByTestId('cost-series').getByRole('button', { name: /CSV downloaden/ }).click();
    expect((await download).suggestedFilename()).toBe('kosten-per-kwartaal.csv');
    // Dutch CSV for Excel with Dutch settings: byte order mark, semicolons, decimal commas.
    const csvLines = readFileSync(await (await download).path(), 'utf8').split('\r\n');
    expect(csvLines[0].startsWith('\uFEFF')).toBe(true);
    const fields = csvLines[0].split(';').length;
    expect(fields).toBeGreaterThan(2);
    expect(csvLines[1].split(';')).toHaveLength(fields);
    expect(csvLines[1]).toMatch(/;\d+,\d+(;|$)/);
    await screenshot(page, 'evaluator');
    await expectAccessible(page);

    // Filters through the form land in the URL and the numbers follow the API for the same filters.
    await page.getByRole('group', { name: 'GOLD-stadium' }).getByLabel('3').check();
    await page.getByRole('group', { name: 'KNGF-profiel' }).getByLabel('4').check();
    await page.getByTestId('apply-filters').click();
    await page.waitForURL(/goldStage=3&profile=4/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="comparison-table"] tr[data-code]').length > 0);
    await page.waitForResponse((r) => r.url().includes('/indicators/comparison?goldStage=3&profile=4')).catch(() => undefined);
    const filtered = await apiJson<Comparison>(page, '/api/v1/indicators/comparison?goldStage=3&profile=4');
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="comparison-table"] tr[data-code="ENROLLED"] [data-col="3"]')?.textContent === String(n),
      filtered.indicators.find((i) => i.code === 'ENROLLED')!.arms.BUNDLE.n,
    );
    await check('?goldStage=3&profile=4');

    // The shared URL opens the same view.
    const shared = await context.newPage();
    await shared.goto(page.url());
    await shared.locator('[data-testid="comparison-table"]').waitFor();
    expect(await comparisonCell(shared, 'ENROLLED', 3)).toBe(String(filtered.indicators.find((i) => i.code === 'ENROLLED')!.arms.BUNDLE.n));

    // Recompute shows job progress and ends with the figures fresh.
    await page.getByTestId('recompute').click();
    await page.getByTestId('recompute-message').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('recompute-message').innerText()).resolves.toBe('Herberekening klaar.');

    // Keyboard: the skip link is the first stop and moves focus to the content; a table view opens with Enter.
    await page.goto(page.url());
    await page.locator('canvas[data-chart]').first().waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Naar de inhoud');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    const summary = page.getByTestId('cost-series').locator('summary');
    await summary.focus();
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('cost-series').locator('details').getAttribute('open')).not.toBeNull();

    // Print: controls are left out, charts and the opened table stay.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('filters').isVisible()).toBe(false);
    expect(await page.getByTestId('cost-series').locator('table').isVisible()).toBe(true);
    await page.pdf({ path: path.join(SCREENSHOTS, 'evaluator-print.pdf'), format: 'A4', printBackground: false });
    await page.emulateMedia({ media: 'screen' });

    // English switch: labels change, numbers keep the Dutch format.
    await page.getByTestId('language').click();
    await page.getByRole('heading', { name: 'Evaluation: bundle versus fee-for-service' }).waitFor();
    await page.getByTestId('language').click();
    await page.getByRole('heading', { name: 'Evaluatie: bundel tegenover betaling per verrichting' }).waitFor();
    await context.close();
  });

  it('should show a practice only its own practice and patients, with peers, worklist and field errors', async () => {
    const own = stack.users.practiceBundle.practices![0];
    const { context, page } = await signIn(stack, stack.users.practiceBundle);
    expect(new URL(page.url()).pathname).toBe('/praktijk');
    await page.getByTestId('peers-BUNDLE').waitFor();
    await page.getByTestId('worklist-judged-on').waitFor();
    await page.getByTestId('record-form').waitFor();

    // No other practice's name, AGB code or patient anywhere on the page.
    const text = await page.locator('body').innerText();
    const html = await page.content();
    const others: { agb: string; name: string }[] = await stack.ctx.dataSource.query(`SELECT agb, name FROM practices WHERE agb <> $1`, [own]);
    for (const other of others) {
      expect(text).not.toContain(other.name);
      expect(text).not.toContain(other.agb);
    }
    const foreign: { pseudonym: string }[] = await stack.ctx.dataSource.query(
      `SELECT p.pseudonym FROM patients p JOIN practices pr ON pr.id = p.practice_id WHERE pr.agb <> $1`,
      [own],
    );
    for (const { pseudonym } of foreign) expect(html).not.toContain(pseudonym);

    // The peers' values match the API; the practice's own value is shown next to them.
    const peers = await apiJson<PeerDistribution>(page, `/api/v1/insights/peer-distribution?practice=${own}`);
    const sessions = peers.arms[0].indicators.find((i) => i.code === 'SESSIONS_PER_CARE_QUARTER')!;
    const ownCell = page.locator('[data-testid="peer-BUNDLE-SESSIONS_PER_CARE_QUARTER"] tbody td').first();
    expect(await ownCell.textContent()).toBe(formatValue(sessions.value, sessions.unit));
    await screenshot(page, 'practice');
    await expectAccessible(page);

    // Enrolment of a patient under 18 (GOLD 1 is no longer offered: the stage is a choice of 2, 3 or 4): the API's
    // business-rule message appears at the birth year field.
    const enrol = page.getByTestId('enrol-form');
    await enrol.getByLabel('Patiëntnummer van de praktijk').fill('E2E-1');
    await enrol.getByLabel('Verzekeraar').selectOption({ index: 1 });
    await enrol.getByLabel('Geboortejaar').fill('2015');
    await enrol.getByLabel('Geslacht').selectOption('F');
    await enrol.getByLabel('GOLD-stadium').selectOption('3');
    await enrol.getByLabel('KNGF-profiel').selectOption('3');
    await enrol.getByLabel('Verwijsdatum').fill('2026-03-02');
    await enrol.getByLabel('Intakedatum').fill('2026-03-09');
    await enrol.getByRole('button', { name: 'Inschrijven' }).click();
    const birthField = enrol.locator('.field', { has: page.locator('input[name="birthYear"]') });
    await birthField.getByTestId('field-error').waitFor();
    // 2026 - 2015 = 11 years at intake, under the minimum of 18.
    expect(await birthField.getByTestId('field-error').innerText()).toMatch(/18/);
    expect(await enrol.locator('input[name="birthYear"]').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'practice-field-error');
    await expectAccessible(page);

    // A session in a patient's first care quarter raises sessions per care quarter after the recompute.
    const [patient] = await stack.ctx.dataSource.query(
      `SELECT p.id, p.ref, to_char(p.intake_date + 1, 'YYYY-MM-DD') AS day FROM patients p JOIN practices pr ON pr.id = p.practice_id
       WHERE pr.agb = $1 AND p.intake_date + 1 <= '2026-09-30' AND (p.end_date IS NULL OR p.end_date > p.intake_date)
         AND NOT EXISTS (SELECT 1 FROM therapy_sessions s WHERE s.patient_id = p.id AND s.date = p.intake_date + 1)
       ORDER BY p.intake_date DESC LIMIT 1`,
      [own],
    );
    const record = page.getByTestId('record-form');
    // The patient is found by searching (not a dropdown of every code) and chosen from the matches.
    await record.getByRole('combobox', { name: 'Patiënt' }).fill(patient.ref);
    await record.getByRole('option', { name: new RegExp(`^${patient.ref} \\(`) }).click();
    await record.getByLabel('Datum').fill(patient.day);
    await record.getByRole('button', { name: 'Vastleggen' }).click();
    await expect(record.getByTestId('record-done').innerText()).resolves.toBe('Vastgelegd.');
    // The session's outbox row is written in its own transaction, so the recompute it asks for is known once
    // "Vastgelegd." shows. Waiting for the worker first, then for the page, avoids racing a fast recompute.
    await waitForIndicators(stack.ctx.dataSource, 60_000);
    const after = await apiJson<PeerDistribution>(page, `/api/v1/insights/peer-distribution?practice=${own}`);
    const updated = after.arms[0].indicators.find((i) => i.code === 'SESSIONS_PER_CARE_QUARTER')!;
    expect(updated.value).toBeGreaterThan(sessions.value!);
    await page.waitForFunction(
      (expected) => {
        const cell = document.querySelector('[data-testid="peer-BUNDLE-SESSIONS_PER_CARE_QUARTER"] tbody td');
        return cell !== null && cell.textContent === expected && !document.querySelector('[data-testid="stale-warning"]');
      },
      formatValue(updated.value, updated.unit),
      { timeout: 30_000 },
    );
    expect(await ownCell.textContent()).toBe(formatValue(updated.value, updated.unit));
    await context.close();
  });

  it('should show the other practice its own view as well', async () => {
    const { context, page } = await signIn(stack, stack.users.practiceFfs);
    await page.getByTestId('peers-FFS').waitFor();
    expect(await page.getByTestId('peers-BUNDLE').count()).toBe(0);
    await context.close();
  });

  it('should show the insurer its costs per practice and quarter with the API totals, and its contracts', async () => {
    const { context, page } = await signIn(stack, stack.users.insurer);
    expect(new URL(page.url()).pathname).toBe('/verzekeraar');
    await page.getByTestId('insurer-totals').waitFor();
    await page.getByTestId('contracts').waitFor();
    const api = await apiJson<InsurerCosts>(page, '/api/v1/insights/insurer-costs');
    const rows = page.locator('[data-testid="insurer-totals"] tbody tr');
    expect(await rows.count()).toBe(api.totals.length + 1);
    for (const [i, total] of api.totals.entries()) {
      const cells = rows.nth(i).locator('td');
      expect(await cells.nth(2).textContent()).toBe(formatCents(total.paidCents));
      expect(await cells.nth(3).textContent()).toBe(formatCents(total.counterfactualCents));
    }
    // An insurer may not open the evaluator's view: it is sent back to its own.
    await page.goto(stack.baseUrl + '/praktijk');
    await page.waitForURL(/\/verzekeraar$/);
    await page.getByTestId('insurer-totals').waitFor();
    await screenshot(page, 'insurer');
    await expectAccessible(page);
    await context.close();
  });

  it('should show "< 5" instead of amounts, with the explanation, when the insurer has fewer than 5 insured at a practice', async () => {
    // The evaluator imports a practice where this insurer has 3 insured (below MIN_CELL_SIZE = 5).
    const uzovi = stack.users.insurer.insurer!;
    const experiments = await stack.ctx.http().get('/api/v1/experiments').expect(200);
    const experiment = experiments.body.items[0];
    const insurers = await stack.ctx.http().get(`/api/v1/insurers?q=${uzovi}`).expect(200);
    const insurerName = insurers.body.items.find((i: { uzovi: string }) => i.uzovi === uzovi).name;
    const intake = experiment.start.replace(/-01-01$/, '-03-10');
    const patients = ['KD-1', 'KD-2', 'KD-3'];
    await stack.ctx
      .http()
      .post('/api/v1/experiment-data')
      .send({
        experiment: { code: experiment.code, name: experiment.name, start: experiment.start, end: experiment.end, analysisDate: experiment.analysisDate },
        insurers: [{ uzovi, name: insurerName }],
        practices: [{ agb: '99990001', name: 'Fysio Klein Dorp', region: 'Drenthe' }],
        contracts: [aContractRow({ practice: '99990001', insurer: uzovi, validFrom: experiment.start, validTo: experiment.end })],
        patients: patients.map((ref) =>
          aPatientRow({ ref, practice: '99990001', insurer: uzovi, goldStage: 2, profile: 3, referralDate: intake, intakeDate: intake }),
        ),
        sessions: patients.map((ref) => ({ patient: ref, practice: '99990001', date: intake, kind: 'INDIVIDUAL' })),
        measurements: [],
        events: [],
      })
      .expect(200);
    await waitForIndicators(stack.ctx.dataSource, 60_000);

    const { context, page } = await signIn(stack, stack.users.insurer);
    await page.getByTestId('insurer-totals').waitFor();
    const api = await apiJson<InsurerCosts>(page, '/api/v1/insights/insurer-costs');
    const small = api.byPractice.find((r) => r.practice.agb === '99990001')!;
    // 3 patients: the count stays (the insurer can count its own insured), the amounts are withheld.
    expect(small).toMatchObject({ patients: 3, withheld: true, paidCents: null, counterfactualCents: null });
    await page.getByTestId('insurer-withheld-note').waitFor();
    // The practice chart's table (the practice x quarter table above it has one cell per quarter and the total).
    const row = page.getByTestId('insurer-by-practice').locator('tr', { hasText: '99990001' }).first();
    await row.scrollIntoViewIfNeeded();
    expect(await row.getByText('< 5', { exact: true }).count()).toBeGreaterThanOrEqual(3);
    expect(await row.textContent()).not.toContain('€');
    await screenshot(page, 'insurer-withheld');
    await context.close();
  });

  it('should show the administrator the administration and let every role sign out', async () => {
    const { context, page } = await signIn(stack, stack.users.admin);
    // Issue 16: the administrator starts in the administration (it reads no contracts, so no overview of dashes).
    expect(new URL(page.url()).pathname).toBe('/beheer/gebruikers');
    await page.getByTestId('users').waitFor();
    await screenshot(page, 'admin');
    await expectAccessible(page);
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in').waitFor();
    expect(PASSWORD.length).toBeGreaterThanOrEqual(12);
    await context.close();
  });
});
