import { INDICATORS } from '@copd/domain';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Comparison, Indicator } from '../src/api/types';
import { formatDateTime, formatNumber, formatValue, formatWithInterval } from '../src/format';
import { E2eStack, repoRoot, SCREENSHOTS, signIn, startE2eStack } from './e2e-stack';
import { apiJson, expectAccessible, screenshot, sticksOut, text } from './page-checks';

/** The interval as the dashboard writes it: "low – high". */
const interval = (low: number | null, high: number | null, unit: string) => `${formatValue(low, unit, true)} – ${formatValue(high, unit, true)}`;

// A4 landscape is 297 mm wide; @page takes 10 mm on each side: 277 mm at 96 px per 25.4 mm = 1046.9 CSS px.
const A4_LANDSCAPE_PRINTABLE_PX = Math.floor((277 / 25.4) * 96);

describe('the evaluator first screen, the compact comparison, print and the definitions', () => {
  let stack: E2eStack;
  let api: Comparison;
  beforeAll(async () => {
    stack = await startE2eStack({ practices: 6, patients: 240, seed: 5 });
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  async function evaluatorAt(width: number, height: number) {
    const session = await signIn(stack, stack.users.evaluator);
    await session.page.setViewportSize({ width, height });
    await session.page.goto(stack.baseUrl + '/evaluatie');
    await session.page.getByTestId('key-results').waitFor();
    await session.page.locator('[data-testid="comparison-table"]').waitFor();
    api = await apiJson<Comparison>(session.page, '/api/v1/indicators/comparison');
    return session;
  }

  it('should show the cost, quality and completeness cards above the fold at 1280x800 with the API figures when the evaluator signs in', async () => {
    const { context, page } = await evaluatorAt(1280, 800);
    // The filters' apply button is above the fold as well.
    for (const card of ['card-cost', 'card-quality', 'card-completeness', 'apply-filters']) {
      const box = (await page.getByTestId(card).boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(800);
      expect(box.x + box.width).toBeLessThanOrEqual(1280);
    }
    // The applied selection, the computation time and the analysis date are above the cards.
    expect(await text(page, '[data-testid="summary-filters"]')).toBe('alle patiënten (geen filter)');
    expect(api.computedAt).not.toBeNull();
    expect(await text(page, '[data-testid="freshness"] p')).toBe(`Berekend op ${formatDateTime(api.computedAt, 'nl')}, met peildatum 30 september 2026.`);
    expect((await page.getByTestId('context-bar').boundingBox())!.y).toBeLessThan((await page.getByTestId('card-cost').boundingBox())!.y);

    // Cost per care quarter: paid and counterfactual per arm, and the difference with its CIs, as the API has them.
    for (const code of ['PAID_PER_CARE_QUARTER', 'COUNTERFACTUAL_PER_CARE_QUARTER']) {
      const ind = api.indicators.find((i) => i.code === code)!;
      const d = ind.difference;
      expect(d.ciLow).not.toBeNull();
      expect(await text(page, `[data-testid="card-cost-difference-${code}"]`)).toBe(formatWithInterval(d.value, d.ciLow, d.ciHigh, 'EUR', true));
      expect(await text(page, `[data-testid="card-cost-BUNDLE-${code}"]`)).toBe(formatValue(ind.arms.BUNDLE.value, 'EUR'));
      expect(await text(page, `[data-testid="card-cost-FFS-${code}"]`)).toBe(formatValue(ind.arms.FFS.value, 'EUR'));
      const clustered = ind.clustered!;
      expect(await text(page, `[data-testid="card-cost-clustered-${code}"]`)).toBe(`geclusterd: ${interval(clustered.difference.ciLow, clustered.difference.ciHigh, 'EUR')}`);
    }

    // Quality and access: exactly the indicators outside cost and volume whose difference CI lies wholly on one side of 0.
    const qualityAccess = new Set<string>(INDICATORS.filter((i) => i.group !== 'COST').map((i) => i.code));
    const significant = api.indicators.filter(
      (i: Indicator) => qualityAccess.has(i.code) && i.difference.ciLow !== null && i.difference.ciHigh !== null && (i.difference.ciLow > 0 || i.difference.ciHigh < 0),
    );
    const listed = await page.locator('[data-testid="card-quality"] li[data-code]').evaluateAll((items) => items.map((li) => li.getAttribute('data-code')));
    if (significant.length === 0) {
      expect(await text(page, '[data-testid="card-quality-none"]')).toBe(
        'Bij geen enkele indicator van kwaliteit of toegang sluit het 95%-BI van het verschil bundel − per verrichting 0 uit.',
      );
      expect(listed).toEqual([]);
    } else {
      expect(listed).toEqual(significant.slice(0, 4).map((i) => i.code));
    }
    process.stdout.write(`[e2e] quality/access differences whose CI excludes 0: ${significant.map((i) => i.code).join(', ') || 'none'}\n`);

    // Completeness per arm, as the API's shares.
    for (const code of ['BASELINE_COMPLETE', 'FOLLOWUP_3M_COMPLETE', 'FOLLOWUP_12M_COMPLETE']) {
      const ind = api.indicators.find((i) => i.code === code)!;
      for (const arm of ['BUNDLE', 'FFS'] as const) {
        expect(await text(page, `[data-testid="card-completeness-${arm}-${code}"]`)).toBe(formatValue(ind.arms[arm].value, ind.unit));
      }
    }
    await screenshot(page, 'evaluator-first-screen-1280x800', false);
    await expectAccessible(page);

    // A card leads to its row in the table.
    await page.locator('#card-cost-title a').click();
    await page.waitForURL(/#indicator-PAID_PER_CARE_QUARTER$/);
    const row = (await page.locator('#indicator-PAID_PER_CARE_QUARTER').boundingBox())!;
    // Scrolled to the top of the viewport (within a subpixel).
    expect(row.y).toBeGreaterThan(-1);
    expect(row.y).toBeLessThan(800);
    await context.close();
  });

  it('should fit the comparison table in 1280 px with difference, CI, MDD and MCID in view when the viewport is 1280 wide', async () => {
    const { context, page } = await evaluatorAt(1280, 800);
    const scroll = page.getByTestId('comparison-scroll');
    const { scrollWidth, clientWidth } = await scroll.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    expect(await page.locator('[data-testid="comparison-table"] tr[data-code]').count()).toBe(api.indicators.length);
    for (const ind of api.indicators) {
      const rowSelector = `[data-testid="comparison-table"] tr[data-code="${ind.code}"]`;
      for (const col of [7, 8, 9]) {
        const box = (await page.locator(`${rowSelector} [data-col="${col}"]`).boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(1280);
      }
      const d = ind.difference;
      expect(await text(page, `${rowSelector} [data-col="7"]`)).toBe(formatWithInterval(d.value, d.ciLow, d.ciHigh, ind.unit, true));
      expect(await text(page, `${rowSelector} [data-col="8"]`)).toBe(formatValue(d.mdd, ind.unit, true));
      expect(await text(page, `${rowSelector} [data-col="9"]`)).toBe(ind.mcid === null ? '–' : formatValue(ind.mcid, ind.unit, true));
    }
    await page.getByTestId('comparison-table').screenshot({ path: path.join(SCREENSHOTS, 'comparison-table-1280.png') });

    // A row's details: the clustered interval per arm with G and the design effect, the clustered difference with df and MDD.
    const paid = api.indicators.find((i) => i.code === 'PAID_PER_CARE_QUARTER')!;
    const c = paid.clustered!;
    const toggle = page.getByTestId('details-PAID_PER_CARE_QUARTER');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('#details-PAID_PER_CARE_QUARTER').isVisible()).toBe(false);
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator('#details-PAID_PER_CARE_QUARTER').isVisible()).toBe(true);
    expect(c.arms.BUNDLE.clusters).toBe(api.practices.BUNDLE);
    expect(await text(page, '[data-testid="clustered-BUNDLE-PAID_PER_CARE_QUARTER"]')).toBe(
      `geclusterd per praktijk: ${formatValue(c.arms.BUNDLE.ciLow, 'EUR')} – ${formatValue(c.arms.BUNDLE.ciHigh, 'EUR')} (G = ${c.arms.BUNDLE.clusters} praktijken, designeffect ${formatNumber(c.arms.BUNDLE.designEffect, 2)})`,
    );
    expect(await text(page, '[data-testid="clustered-difference-PAID_PER_CARE_QUARTER"]')).toBe(
      `geclusterd 95%-BI: ${interval(c.difference.ciLow, c.difference.ciHigh, 'EUR')} (df ${formatNumber(c.difference.df, 1)})`,
    );
    // Open, the table still fits.
    expect(await scroll.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    // The row with its details under it.
    await page.locator('#details-PAID_PER_CARE_QUARTER').scrollIntoViewIfNeeded();
    const top = (await page.locator('#indicator-PAID_PER_CARE_QUARTER').boundingBox())!;
    const bottom = (await page.locator('#details-PAID_PER_CARE_QUARTER').boundingBox())!;
    await page.screenshot({ path: path.join(SCREENSHOTS, 'comparison-row-details.png'), clip: { x: 0, y: top.y, width: 1280, height: bottom.y + bottom.height - top.y } });
    await expectAccessible(page);
    await context.close();
  });

  it('should print on A4 landscape with every column, the selection and the analysis date when printed to PDF', async () => {
    const { context, page } = await evaluatorAt(1280, 800);
    // Print media at the printable width of A4 landscape: what the PDF lays out.
    await page.setViewportSize({ width: A4_LANDSCAPE_PRINTABLE_PX, height: 740 });
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('filters').isVisible()).toBe(false);
    expect(await page.getByTestId('recompute').isVisible()).toBe(false);
    expect(await text(page, '[data-testid="summary-filters"]')).toBe('alle patiënten (geen filter)');
    expect(await text(page, '[data-testid="freshness"] p')).toContain('met peildatum 30 september 2026');
    for (const ind of api.indicators) {
      for (const col of [1, 4, 7, 8, 9]) {
        const box = (await page.locator(`[data-testid="comparison-table"] tr[data-code="${ind.code}"] [data-col="${col}"]`).boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(A4_LANDSCAPE_PRINTABLE_PX);
      }
      // Every row's details print opened.
      expect(await page.locator(`#details-${ind.code}`).isVisible()).toBe(true);
    }
    const pdf = await page.pdf({ format: 'A4', landscape: true, printBackground: false, preferCSSPageSize: true });
    writeFileSync(path.join(SCREENSHOTS, 'evaluator-print-a4-landscape.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
    // A4 landscape: the first page's MediaBox is 842 x 595 points.
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 841\.9\d* 59[45]\.\d+\]/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'evaluator-print-media.png'), fullPage: true, clip: { x: 0, y: 0, width: A4_LANDSCAPE_PRINTABLE_PX, height: 1500 } });
    await page.emulateMedia({ media: 'screen' });
    await context.close();
  });

  it('should link every indicator name to its entry on the definitions page when the evaluator follows a link', async () => {
    const { context, page } = await evaluatorAt(1280, 800);
    const links = await page.locator('[data-testid="comparison-table"] tr[data-code] th a').evaluateAll((as) =>
      as.map((a) => ({ row: a.closest('tr')!.getAttribute('data-code'), href: a.getAttribute('href') })),
    );
    expect(links).toEqual(api.indicators.map((i) => ({ row: i.code, href: `/definities#${i.code}` })));
    // The cards' indicator names link there too.
    expect(await page.locator('[data-testid="key-results"] a[href="/definities#PAID_PER_CARE_QUARTER"]').count()).toBe(1);
    expect(await page.locator('[data-testid="key-results"] a[href="/definities#BASELINE_COMPLETE"]').count()).toBe(1);

    // So do the tables of the charts: each row heading that names an indicator.
    const chartRows = await page.locator('[data-testid^="forest-"] tbody th, [data-testid^="arm-chart-"] tbody th').evaluateAll((ths) =>
      ths.map((th) => ({ code: th.getAttribute('data-value'), href: th.querySelector('a')?.getAttribute('href') ?? null })),
    );
    // 23 indicators with an interval are drawn (WAIT_DAYS and ENROLLED are in the table only): once in a forest plot, twice (per arm) in the arm charts' tables.
    expect(chartRows).toHaveLength(23 * 3);
    for (const row of chartRows) expect(row.href).toBe(`/definities#${row.code}`);

    await page.locator('[data-testid="comparison-table"] tr[data-code="CCQ_CHANGE_3M"] th a').click();
    await page.waitForURL(/\/definities#CCQ_CHANGE_3M$/);
    await page.getByTestId('definitions').waitFor();
    // Every indicator of the comparison has its anchor on the page, the one followed is in view.
    for (const ind of api.indicators) expect(await page.locator(`[data-testid="definitions"] [id="${ind.code}"]`).count()).toBe(1);
    const heading = page.locator('[data-testid="definitions"] h4[id="CCQ_CHANGE_3M"]');
    expect(await heading.innerText()).toBe('CCQ_CHANGE_3M: CCQ change at 3 months');
    const box = (await heading.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeLessThan(800);
    await screenshot(page, 'definitions-1280', false);
    await expectAccessible(page);
    // The way back is the evaluator's page.
    await page.getByTestId('definitions-back').click();
    await page.waitForURL(/\/evaluatie/);
    await page.getByTestId('key-results').waitFor();
    await context.close();

    // The definitions hold no data: they open without signing in, through the dashboard server's app-shell fallback.
    const anonymous = await stack.browser.newContext();
    const open = await anonymous.newPage();
    await open.goto(stack.baseUrl + '/definities#ENROLLED');
    await open.getByTestId('definitions').waitFor();
    expect(await open.locator('[data-testid="definitions"] [id="ENROLLED"]').count()).toBe(1);
    await anonymous.close();

    // The README links the definitions.
    expect(readFileSync(path.join(repoRoot, 'README.md'), 'utf8')).toContain('](docs/definitions.md)');
  });

  it('should not scroll the page sideways at 390 px, in Dutch and in English', async () => {
    const { context, page } = await evaluatorAt(390, 844);
    await page.locator('canvas[data-chart]').first().waitFor();
    expect(await sticksOut(page, 390)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'evaluator-390-nl', false);
    await page.getByTestId('comparison-scroll').scrollIntoViewIfNeeded();
    await screenshot(page, 'evaluator-390-nl-table', false);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.getByTestId('language').click();
    await page.getByRole('heading', { name: 'Evaluation: bundle versus fee-for-service' }).waitFor();
    expect(await sticksOut(page, 390)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await text(page, '[data-testid="summary-filters"]')).toBe('all patients (no filter)');
    await screenshot(page, 'evaluator-390-en', false);
    await page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(page, 'evaluator-first-screen-1280x800-en', false);
    await expectAccessible(page);
    // Back to Dutch for the next visitor of this browser profile.
    await page.getByTestId('language').click();
    await context.close();
  });
});
