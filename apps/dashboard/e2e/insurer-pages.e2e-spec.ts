import type { Page, Response } from 'playwright-core';
import { formatCents } from '../src/format';
import type { CostItems, InsurerCosts, InsurerPatients } from '../src/insurer/insurer-data';
import path from 'node:path';
import { E2eStack, SCREENSHOTS, signIn, startE2eStack, waitForIndicators } from './e2e-stack';
import { apiJson, expectAccessible, screenshot, sticksOut } from './page-checks';

/** Keys that would carry a clinical field of a patient (README "What an insurer sees of a patient"). */
const CLINICAL_KEYS = [
  'goldStage',
  'profile',
  'sex',
  'birthYear',
  'ref',
  'referralDate',
  'endReason',
  'value',
  'instrument',
  'measurements',
  'events',
  'sessions',
  'sessionKind',
  'sessionCount',
];
/** Words of clinical fields as the dashboard labels them elsewhere (nl and en). */
const CLINICAL_WORDS = [
  'GOLD',
  'KNGF',
  'Geboortejaar',
  'Birth year',
  'Geslacht',
  'Sex',
  'Verwijsdatum',
  'Referral',
  'Reden einde',
  'End reason',
  '6MWT',
  'CCQ',
  'CAT-',
  'Exacerbatie',
  'Exacerbation',
  'Patiëntnummer',
  'Patient number',
];

function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
}

/**
 * Issue 16 item 3 in the browser: an insurer reads the practice x quarter table, narrows the period, opens a
 * practice, one of its quarters and a patient's priced items, and sees no clinical field: not on the page and not in
 * any JSON answer the pages received. axe on every page; screenshots at 1280x800 and 390 px in Dutch and English;
 * nothing sticks out sideways at 390 px (and the document is no wider than the viewport).
 */
describe('the insurer pages', () => {
  let stack: E2eStack;
  beforeAll(async () => {
    stack = await startE2eStack({ practices: 4, patients: 120, seed: 16 });
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
  });

  /** Every JSON body the page receives from the API, with its URL. */
  function recordResponses(page: Page): { url: string; body: unknown }[] {
    const seen: { url: string; body: unknown }[] = [];
    page.on('response', (response: Response) => {
      if (!response.url().includes('/api/') || !(response.headers()['content-type'] ?? '').includes('json'))
        return;
      response.json().then(
        (body) => seen.push({ url: response.url(), body }),
        () => undefined,
      );
    });
    return seen;
  }

  async function phoneAndDesktop(page: Page, name: string, ready: string) {
    for (const language of ['nl', 'en']) {
      if (language === 'en') {
        await page.getByTestId('language').click();
        await page.locator('html[lang="en"]').waitFor();
      }
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.locator(ready).first().waitFor();
      await screenshot(page, `${name}-1280x800-${language}`);
      await page.setViewportSize({ width: 390, height: 800 });
      await page.reload();
      await page.locator(ready).first().waitFor();
      expect(await sticksOut(page, 390)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(page, `${name}-390-${language}`);
    }
    await page.getByTestId('language').click();
    await page.locator('html[lang="nl"]').waitFor();
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  it("should open a practice, a quarter and a patient's items and show no clinical field when an insurer reads its costs", async () => {
    const { context, page } = await signIn(stack, stack.users.insurer);
    const responses = recordResponses(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(stack.baseUrl + '/verzekeraar');
    await page.getByTestId('cost-matrix').waitFor();

    // The table holds the API's figures, every practice labelled "name (AGB)".
    const costs = await apiJson<InsurerCosts>(page, '/api/v1/insights/insurer-costs');
    const shown = costs.byPracticeQuarter.find((c) => c.paidCents !== null)!;
    const row = page
      .locator(`[data-testid="cost-matrix"] tbody tr[data-agb="${shown.practice.agb}"]`)
      .first();
    await expect(row.locator('th').innerText()).resolves.toContain(
      `${shown.practice.name} (${shown.practice.agb})`,
    );
    const cellText = await row.locator(`td[data-quarter="${shown.quarter}"]`).innerText();
    expect(cellText).toContain(formatCents(shown.paidCents));
    expect(cellText).toContain(formatCents(shown.counterfactualCents));
    for (const label of await page.locator('[data-testid="cost-matrix"] tbody th a').allInnerTexts())
      expect(label).toMatch(/ \(\d{8}\)$/);
    // A quarter still running on the analysis date is marked in the table.
    for (const quarter of costs.byQuarter.filter((q) => !q.complete).map((q) => q.quarter)) {
      await expect(
        page.locator(`[data-testid="cost-matrix"] thead th[data-quarter="${quarter}"]`).innerText(),
      ).resolves.toContain('lopend, nog niet compleet');
    }
    await expect(page.getByTestId('counterfactual-note').innerText()).resolves.toContain(
      'wat dezelfde zorg onder de andere bekostiging had gekost',
    );
    expect(await page.getByTestId('counterfactual-note').locator('a').getAttribute('href')).toBe(
      '/definities#prices',
    );
    await expectAccessible(page);
    await phoneAndDesktop(page, 'insurer-costs', '[data-testid="cost-matrix"]');
    // The table on a phone: it scrolls inside its own box, the practice column stays in view.
    await page.setViewportSize({ width: 390, height: 800 });
    await page
      .locator('.insurer-matrix-scroll')
      .screenshot({ path: path.join(SCREENSHOTS, 'insurer-costs-table-390-nl.png') });
    await page.setViewportSize({ width: 1280, height: 800 });

    // The period: an inverted one is refused at its field; one quarter shows that quarter alone.
    const quarter = shown.quarter;
    const later = costs.quarters[costs.quarters.length - 1];
    await page.getByLabel('Van kwartaal').selectOption(later);
    await page.getByLabel('Tot en met kwartaal').selectOption(costs.quarters[0]);
    await page.getByRole('button', { name: 'Toon periode' }).click();
    if (later > costs.quarters[0]) await page.getByTestId('period-error').waitFor();
    await page.getByLabel('Van kwartaal').selectOption(quarter);
    await page.getByLabel('Tot en met kwartaal').selectOption(quarter);
    await page.getByRole('button', { name: 'Toon periode' }).click();
    await page.waitForURL(new RegExp(`van=${quarter}&tot=${quarter}`));
    await page
      .getByTestId('period-words')
      .filter({ hasText: `${quarter} t/m ${quarter}` })
      .waitFor();
    await page.locator('[data-testid="insurer-costs"][aria-busy="false"]').waitFor();
    expect(
      await page
        .locator('[data-testid="cost-matrix"] thead th[data-quarter]')
        .evaluateAll((ths) => ths.map((th) => th.getAttribute('data-quarter'))),
    ).toEqual([quarter]);

    // A practice, then its patients of that quarter.
    await row.locator('th a').click();
    await page.waitForURL(
      new RegExp(`/verzekeraar/praktijk/${shown.practice.agb}\\?van=${quarter}&tot=${quarter}`),
    );
    await page.getByTestId('insurer-patients').waitFor();
    await expect(page.locator('h1').innerText()).resolves.toBe(
      `Praktijk ${shown.practice.name} (${shown.practice.agb})`,
    );
    const patients = await apiJson<InsurerPatients>(
      page,
      `/api/v1/insights/insurer-patients?practice=${shown.practice.agb}&from=${quarter}&to=${quarter}`,
    );
    expect(await page.locator('[data-testid="insurer-patients"] tbody th').allInnerTexts()).toEqual(
      patients.patients.map((p) => p.pseudonym),
    );
    // The practice's cell of the quarter is the sum of its patients' amounts in that quarter (when not withheld).
    const sum = patients.patients.reduce((s, p) => s + p.paidCents, 0);
    expect(sum).toBe(shown.paidCents);
    await expectAccessible(page);
    await phoneAndDesktop(page, 'insurer-practice', '[data-testid="insurer-patients"]');

    // A patient's priced care quarters and their items.
    const patient = patients.patients[0];
    await page.getByRole('link', { name: `Open de kosten van ${patient.pseudonym}` }).click();
    await page.waitForURL(new RegExp(`/verzekeraar/patient/${patient.id}`));
    await page.getByTestId('care-quarter-1').waitFor();
    const items = await apiJson<CostItems>(page, `/api/v1/patients/${patient.id}/cost-items`);
    await expect(page.getByTestId('insurer-patient-totals').innerText()).resolves.toContain(
      formatCents(items.totals.paidCents),
    );
    const first = items.quarters[0];
    const lines = page.locator('[data-testid="care-quarter-lines-1"] tbody tr');
    expect(await lines.count()).toBe(first.lines.length + 1);
    await expect(lines.last().innerText()).resolves.toContain(formatCents(first.paidCents));
    await expectAccessible(page);
    await phoneAndDesktop(page, 'insurer-patient', '[data-testid="care-quarter-1"]');

    // No clinical field on any page the insurer saw, nor in any JSON answer those pages received.
    for (const url of [
      '/verzekeraar',
      `/verzekeraar/praktijk/${shown.practice.agb}`,
      `/verzekeraar/patient/${patient.id}`,
    ]) {
      await page.goto(stack.baseUrl + url);
      await page.locator('main h1').waitFor();
      await page.waitForLoadState('networkidle');
      const body = await page.locator('main').innerText();
      expect(CLINICAL_WORDS.filter((w) => body.includes(w))).toEqual([]);
    }
    const answered = responses.filter((r) =>
      /insurer-costs|insurer-patients|cost-items|contracts|insurers/.test(r.url),
    );
    expect(answered.length).toBeGreaterThan(5);
    expect(
      responses.flatMap((r) =>
        keysOf(r.body)
          .filter((k) => CLINICAL_KEYS.includes(k))
          .map((k) => `${new URL(r.url).pathname}: ${k}`),
      ),
    ).toEqual([]);
    await context.close();
  }, 300_000);

  it('should carry the chosen insurer into the practice page when an evaluator reads an insurer\'s costs', async () => {
    const { context, page } = await signIn(stack, stack.users.evaluator);
    const uzovi = stack.users.insurer.insurer!;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${stack.baseUrl}/verzekeraar?insurer=${uzovi}`);
    await page.getByTestId('cost-matrix').waitFor();
    // The evaluator is not withheld anything: every cell of its table has amounts.
    expect(await page.locator('[data-testid="cost-matrix"] .matrix-amounts.withheld').count()).toBe(0);
    await page.locator('[data-testid="cost-matrix"] tbody th a').first().click();
    await page.waitForURL(new RegExp(`/verzekeraar/praktijk/\\d{8}\\?insurer=${uzovi}`));
    await page.getByTestId('insurer-patients').waitFor();
    await expectAccessible(page);
    await context.close();
  }, 120_000);

  it('should mark the running quarter in the table and the chart when the analysis date falls inside a quarter', async () => {
    const [experiment] = (await stack.ctx.http().get('/api/v1/experiments').expect(200)).body.items;
    await stack.ctx
      .http()
      .put(`/api/v1/experiments/${experiment.id}/analysis-date`)
      .send({ analysisDate: '2026-08-31', reason: 'Browsertest: een lopend kwartaal' })
      .expect(200);
    await waitForIndicators(stack.ctx.dataSource, 60_000);
    const { context, page } = await signIn(stack, stack.users.insurer);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(stack.baseUrl + '/verzekeraar');
    await page.getByTestId('cost-matrix').waitFor();
    const costs = await apiJson<InsurerCosts>(page, '/api/v1/insights/insurer-costs');
    // 2026-Q3 ends 2026-09-30, after the analysis date 2026-08-31: still running.
    expect(costs.byQuarter.filter((q) => !q.complete).map((q) => q.quarter)).toEqual(
      expect.arrayContaining(['2026-Q3']),
    );
    await expect(
      page.locator('[data-testid="cost-matrix"] thead th[data-quarter="2026-Q3"]').innerText(),
    ).resolves.toContain('lopend, nog niet compleet');
    await expect(page.getByTestId('matrix-running-note').innerText()).resolves.toContain('31 augustus 2026');
    await expect(page.getByTestId('incomplete-quarter-note').innerText()).resolves.toContain(
      'lopend kwartaal, nog niet compleet',
    );
    await page.locator('[data-testid="cost-matrix"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'insurer-costs-running-quarter-1280x800-nl', false);
    await page.getByTestId('insurer-by-quarter').scrollIntoViewIfNeeded();
    await screenshot(page, 'insurer-chart-running-quarter-1280x800-nl', false);
    await context.close();
  }, 120_000);

  it('should name an unknown quarter of the address once and show no figures when the period does not exist', async () => {
    const { context, page } = await signIn(stack, stack.users.insurer);
    await page.goto(stack.baseUrl + '/verzekeraar?van=2031-Q9');
    await page.getByTestId('unknown-filter').waitFor();
    await expect(page.getByTestId('unknown-filter').innerText()).resolves.toContain('„2031-Q9”');
    expect(await page.getByTestId('cost-matrix').count()).toBe(0);
    await expectAccessible(page);
    await context.close();
  }, 60_000);
});
