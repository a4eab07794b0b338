import type { Page } from 'playwright-core';
import type { PatientRecordPage } from '../src/records/record-types';
import { E2eStack, SCREENSHOTS, signIn, startE2eStack } from './e2e-stack';
import { apiJson, expectAccessible, screenshot, sticksOut, text } from './page-checks';

/*
 * Issue 16, items 5 and 6: the page states (loading, error with retry, unknown filter value, empty selection)
 * and every page of the evaluator and the practice at 390 px without the page scrolling sideways.
 */

/** Waits until the page's loads have settled: no request in flight and nothing marked busy. */
async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => document.querySelectorAll('[aria-busy="true"]').length === 0, undefined, { timeout: 20_000 });
}

/** The page's own width: what it scrolls sideways, wider than the viewport when something sticks out. */
const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe('page states and phones (issue 16)', () => {
  let stack: E2eStack;
  beforeAll(async () => {
    stack = await startE2eStack({ practices: 4, patients: 80, seed: 16 });
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('should show one unknown-value message naming the practice and keep it in the filter when the URL names a practice that does not exist', async () => {
    const { context, page } = await signIn(stack, stack.users.evaluator);
    await page.goto(`${stack.baseUrl}/evaluatie?practice=99999999`);
    await page.getByTestId('unknown-filter').waitFor();
    await settled(page);
    // One message, naming the value; no section error beside it (the API refuses all four loads alike).
    expect(await page.getByTestId('unknown-filter').count()).toBe(1);
    expect(await text(page, '[data-testid="unknown-filter"] li')).toBe('Praktijk „99999999” bestaat niet of u heeft er geen toegang toe.');
    expect(await page.getByTestId('load-error').count()).toBe(0);
    // The filter shows what was asked, not "Alle".
    expect(await page.locator('select[name="practice"]').inputValue()).toBe('99999999');
    expect(await page.locator('select[name="practice"] option:checked').innerText()).toBe('99999999 (onbekend)');
    // No charts of nothing.
    expect(await page.locator('canvas').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'states-unknown-filter-1280', false);
    // Clearing the filters brings the figures back.
    await page.getByTestId('unknown-filter').getByRole('button', { name: 'Filters wissen' }).click();
    await page.getByTestId('key-results').waitFor();
    expect(await page.getByTestId('unknown-filter').count()).toBe(0);
    await context.close();
  });

  it('should say once that no patient matches and draw no empty chart when the selection is empty', async () => {
    const { context, page } = await signIn(stack, stack.users.evaluator);
    // No patient has an intake in January 2000 (the experiment starts in 2025).
    await page.goto(`${stack.baseUrl}/evaluatie?intakeFrom=2000-01-01&intakeTo=2000-01-31`);
    await page.getByTestId('empty-selection').waitFor();
    await settled(page);
    expect(await page.getByTestId('empty-selection').count()).toBe(1);
    expect(await text(page, '[data-testid="empty-selection"] .state-title')).toBe('Geen patiënten voldoen aan deze selectie');
    expect(await page.locator('canvas').count()).toBe(0);
    expect(await page.locator('table').count()).toBe(0);
    // The controls stay: filters and the recompute button.
    expect(await page.getByTestId('apply-filters').isVisible()).toBe(true);
    expect(await page.getByTestId('recompute').isVisible()).toBe(true);
    await expectAccessible(page);
    await screenshot(page, 'states-empty-1280', false);
    await context.close();
  });

  it('should show a styled error with a retry that works and keep the recompute button when a load fails', async () => {
    const { context, page } = await signIn(stack, stack.users.evaluator);
    let fail = true;
    await page.route('**/api/v1/insights/cost-series**', (route) =>
      fail
        ? route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ title: 'Service Unavailable', detail: 'De rekenservice is even niet bereikbaar.', code: 'HTTP.503' }) })
        : route.continue(),
    );
    await page.goto(`${stack.baseUrl}/evaluatie`);
    await page.getByTestId('load-error').waitFor();
    await page.getByTestId('key-results').waitFor();
    const error = page.getByTestId('load-error');
    expect(await error.count()).toBe(1);
    expect(await error.getAttribute('role')).toBe('alert');
    expect(await error.locator('.state-title').innerText()).toBe('De gegevens konden niet worden geladen');
    expect(await error.locator('p').nth(1).innerText()).toBe('Melding: De rekenservice is even niet bereikbaar.');
    // Styled: a red left border, not bare text.
    expect(await error.evaluate((el) => getComputedStyle(el).borderLeftColor)).toBe('rgb(176, 0, 32)');
    expect(await page.getByTestId('recompute').isVisible()).toBe(true);
    await expectAccessible(page);
    await error.scrollIntoViewIfNeeded();
    await screenshot(page, 'states-error-1280', false);
    // Retry: the chart comes.
    fail = false;
    await error.getByRole('button', { name: 'Opnieuw proberen' }).click();
    await page.getByTestId('cost-series').locator('canvas').waitFor();
    expect(await page.getByTestId('load-error').count()).toBe(0);
    await context.close();
  });

  it('should keep the recompute button when the comparison itself fails', async () => {
    const { context, page } = await signIn(stack, stack.users.evaluator);
    await page.route('**/api/v1/indicators/comparison**', (route) =>
      route.fulfill({ status: 500, contentType: 'application/problem+json', body: JSON.stringify({ title: 'Internal Server Error', detail: 'Interne fout.', code: 'HTTP.500' }) }),
    );
    await page.goto(`${stack.baseUrl}/evaluatie`);
    await page.getByTestId('load-error').first().waitFor();
    await page.getByTestId('recompute').waitFor();
    expect(await page.getByTestId('recompute').isEnabled()).toBe(true);
    expect(await page.getByTestId('apply-filters').isVisible()).toBe(true);
    await context.close();
  });

  it('should dim the old figures and mark them busy until the new ones arrive when the filters change', async () => {
    const { context, page } = await signIn(stack, stack.users.evaluator);
    await page.goto(`${stack.baseUrl}/evaluatie`);
    await page.getByTestId('comparison-table').waitFor();
    await settled(page);
    const before = await text(page, '[data-testid="practices-per-arm"]');
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/v1/indicators/comparison?**', async (route) => {
      await held;
      await route.continue();
    });
    await page.locator('input[name="goldStage"][value="3"]').check();
    await page.getByTestId('apply-filters').click();
    const region = page.getByTestId('comparison-state');
    await page.waitForFunction(() => document.querySelector('[data-testid="comparison-state"]')?.getAttribute('aria-busy') === 'true');
    // The old figures stay on screen, dimmed, under a visible busy line.
    expect(await text(page, '[data-testid="practices-per-arm"]')).toBe(before);
    expect(Number(await page.locator('[data-testid="comparison-state"] > [data-testid="practices-per-arm"]').evaluate((el) => getComputedStyle(el).opacity))).toBeLessThan(0.5);
    expect(await region.locator('.busy-line').innerText()).toBe('Cijfers worden bijgewerkt…');
    await screenshot(page, 'states-loading-1280', false);
    release();
    await page.waitForFunction(() => document.querySelector('[data-testid="comparison-state"]')?.getAttribute('aria-busy') === 'false');
    expect(await region.locator('.busy-line').count()).toBe(0);
    expect(await text(page, '[data-testid="summary-filters"]')).toContain('3');
    await context.close();
  });

  it('should fit every evaluator page into 390 px with no sideways page scroll', async () => {
    const { context, page } = await signIn(stack, stack.users.evaluator);
    await page.setViewportSize({ width: 390, height: 844 });
    const pages: [string, string][] = [
      ['evaluatie', '/evaluatie'],
      ['evaluatie-leeg', '/evaluatie?intakeFrom=2000-01-01&intakeTo=2000-01-31'],
      ['evaluatie-onbekend', '/evaluatie?practice=99999999'],
      ['momentopnamen', '/momentopnamen'],
      ['experiment', '/experiment'],
      ['patienten', '/patienten'],
      ['importeren', '/importeren'],
      ['definities', '/definities'],
    ];
    const wide: string[] = [];
    for (const [name, path] of pages) {
      await page.goto(stack.baseUrl + path);
      await page.locator('h1').first().waitFor();
      await settled(page);
      const width = await pageWidth(page);
      if (width > 390) wide.push(`${path}: ${width} px (${(await sticksOut(page, 390)).join(', ')})`);
      await screenshot(page, `phone-evaluator-${name}-390`);
    }
    expect(wide).toEqual([]);
    await page.goto(`${stack.baseUrl}/evaluatie`);
    await settled(page);
    await expectAccessible(page);
    // The charts one by one, on the phone and on a desktop: labels above bars, MCID and MDD, wait-time labels.
    const charts = ['arm-chart-cost', 'forest-cost', 'arm-chart-shares', 'forest-shares', 'forest-sixMwt', 'forest-sessions', 'cost-series', 'gold-mix', 'completeness', 'wait-days'];
    for (const id of charts) await page.getByTestId(id).screenshot({ path: `${SCREENSHOTS}/chart-${id}-390.png` });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${stack.baseUrl}/evaluatie`);
    await settled(page);
    await screenshot(page, 'desktop-evaluatie-1280');
    for (const id of charts) await page.getByTestId(id).screenshot({ path: `${SCREENSHOTS}/chart-${id}-1280.png` });
    await context.close();
  }, 120_000);

  it('should fit every practice page into 390 px with no sideways page scroll', async () => {
    const { context, page } = await signIn(stack, stack.users.practiceBundle);
    await page.setViewportSize({ width: 390, height: 844 });
    const agb = stack.users.practiceBundle.practices![0];
    const list = await apiJson<PatientRecordPage>(page, `/api/v1/patient-records?practice=${agb}&sort=ref&order=asc&limit=1`);
    const pages: [string, string][] = [
      ['praktijk', '/praktijk'],
      ['patienten', '/patienten'],
      ['dossier', `/patienten/${list.items[0].id}`],
      ['importeren', '/importeren'],
    ];
    const wide: string[] = [];
    for (const [name, path] of pages) {
      await page.goto(stack.baseUrl + path);
      await page.locator('h1').first().waitFor();
      await settled(page);
      const width = await pageWidth(page);
      if (width > 390) wide.push(`${path}: ${width} px (${(await sticksOut(page, 390)).join(', ')})`);
      await screenshot(page, `phone-practice-${name}-390`);
    }
    expect(wide).toEqual([]);
    await page.goto(`${stack.baseUrl}/praktijk`);
    await settled(page);
    await expectAccessible(page);
    await context.close();
  }, 120_000);

  it('should keep the first column of a wide table in view while the table scrolls inside its box on a phone', async () => {
    const { context, page } = await signIn(stack, stack.users.evaluator);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${stack.baseUrl}/evaluatie`);
    await page.getByTestId('comparison-table').waitFor();
    await settled(page);
    const box = page.locator('.table-scroll', { has: page.getByTestId('comparison-table') });
    const first = page.locator('[data-testid="comparison-table"] tbody tr.indicator-row').first().locator('> :first-child');
    const x0 = (await first.boundingBox())!.x;
    await box.evaluate((el) => el.scrollBy(300, 0));
    expect(await box.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    // position: sticky: the indicator's name has not moved with the scroll.
    expect(Math.round((await first.boundingBox())!.x)).toBe(Math.round(x0));
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await screenshot(page, 'phone-comparison-scrolled-390', false);
    await context.close();
  });
});
