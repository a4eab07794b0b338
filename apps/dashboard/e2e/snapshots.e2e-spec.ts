// The spec pauses the API's recompute queue for a moment, as e2e-stack.ts reaches into apps/api for its stack.
/* eslint-disable @nx/enforce-module-boundaries */
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Download, Page } from 'playwright-core';
import { INDICATORS_QUEUE } from '../../api/src/core/queue/queue-names';
import type { Comparison, Snapshot, SnapshotChanges, SnapshotDetail } from '../src/api/types';
import { armValueText } from '../src/components/comparison-cells';
import { figureValue } from '../src/components/figure-change-words';
import { formatWithInterval } from '../src/format';
import { E2eStack, SCREENSHOTS, signIn, startE2eStack, waitForIndicators } from './e2e-stack';
import { apiJson, expectAccessible, screenshot, sticksOut, text } from './page-checks';

/**
 * Issue 13 in the browser: the evaluator takes a snapshot through the form (refused with the reason while a
 * recompute is due), opens it under its banner, sees its figures stay while a late session changes the live ones,
 * compares it with now and with a second snapshot, verifies its digest, and downloads its report and analysis export.
 */
const readDownload = async (download: Download) => readFileSync((await download.path())!);

const FIRST = 'Monitoringsrapportage 2026-Q3';
const SECOND = 'Monitoringsrapportage 2026-Q3, na late registraties';
/** The figure the late session moves: sessions per care quarter of the fee-for-service arm. */
const CODE = 'SESSIONS_PER_CARE_QUARTER';
const FIGURE = 'FFS.value';

describe('the evaluator snapshots: take, open, compare, verify and download', () => {
  let stack: E2eStack;
  let first: Snapshot;
  let frozen: SnapshotDetail;
  let ffsAgb: string;
  beforeAll(async () => {
    stack = await startE2eStack({ practices: 6, patients: 240, seed: 13 });
    ffsAgb = stack.users.practiceFfs.practices![0];
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  async function evaluatorAt(url: string, width = 1280, height = 800) {
    const session = await signIn(stack, stack.users.evaluator);
    await session.page.setViewportSize({ width, height });
    await session.page.goto(stack.baseUrl + url);
    return session;
  }

  async function takeSnapshot(page: Page, label: string) {
    await page.getByTestId('snapshot-label').fill(label);
    await page.getByTestId('snapshot-take').click();
    await page.getByTestId('snapshot-taken').waitFor();
    expect(await text(page, '[data-testid="snapshot-taken"]')).toContain(`Momentopname „${label}” is gemaakt.`);
  }

  it('should take a snapshot through the form and list it with its analysis date, digest and record counts when the evaluator gives a label', async () => {
    const { context, page } = await evaluatorAt('/momentopnamen');
    // The nav leads here.
    expect(await page.getByRole('link', { name: 'Momentopnamen' }).getAttribute('href')).toBe('/momentopnamen');
    await page.getByTestId('snapshots-empty').waitFor();
    expect(await text(page, '[data-testid="snapshots-empty"]')).toBe('Er is nog geen momentopname gemaakt.');
    // An empty label is refused in the form, and nothing is sent.
    await page.getByTestId('snapshot-take').click();
    expect(await text(page, '[data-testid="snapshot-form"] [data-testid="field-error"]')).toBe('Geef een omschrijving van 1 tot 200 tekens.');
    await takeSnapshot(page, FIRST);

    const list = await apiJson<Snapshot[]>(page, '/api/v1/snapshots');
    expect(list.map((s) => s.label)).toEqual([FIRST]);
    [first] = list;
    const card = page.locator(`[data-snapshot-id="${first.id}"]`);
    await card.waitFor();
    expect(await card.getByTestId('snapshot-open').innerText()).toBe(FIRST);
    expect(await card.getByTestId('snapshot-analysis-date').innerText()).toBe('30 september 2026');
    expect(await card.getByTestId('snapshot-digest').innerText()).toBe(`${first.inputDigest.slice(0, 12)}…`);
    expect(await card.getByTestId('snapshot-records').innerText()).toBe(
      `${first.records.patients} patiënten, ${first.records.therapy_sessions.toLocaleString('nl-NL')} behandelingen, ${first.records.measurements.toLocaleString('nl-NL')} metingen, ${first.records.events.toLocaleString('nl-NL')} gebeurtenissen, ${first.records.practices} praktijken`,
    );
    expect(first.records.patients).toBe(240);
    // The digest recomputed from the snapshot's own copies, on demand.
    await card.getByTestId('snapshot-verify').click();
    await card.getByTestId('snapshot-verification').waitFor();
    expect(await card.getByTestId('snapshot-verification').innerText()).toBe('Digest geverifieerd: de bewaarde kopieën zijn wat bevroren werd.');
    await screenshot(page, 'snapshots-1280x800', true);
    await expectAccessible(page);
    await context.close();
  });

  it('should show the frozen comparison under a banner with the label, date, author and id when the evaluator opens the snapshot', async () => {
    const { context, page } = await evaluatorAt('/momentopnamen');
    await page.locator(`[data-snapshot-id="${first.id}"]`).getByTestId('snapshot-open').click();
    await page.waitForURL(new RegExp(`/evaluatie\\?momentopname=${first.id}$`));
    await page.getByTestId('snapshot-banner').waitFor();
    await page.getByTestId('key-results').waitFor();
    frozen = await apiJson<SnapshotDetail>(page, `/api/v1/snapshots/${first.id}`);
    expect(await text(page, '[data-testid="snapshot-banner-title"]')).toBe(`Bevroren cijfers: momentopname „${FIRST}”`);
    expect(await text(page, '[data-testid="snapshot-banner-facts"]')).toMatch(/^Peildatum 30 september 2026; gemaakt op .+ door e2e-evaluator; cijfers berekend op .+\.$/);
    expect(await text(page, '[data-testid="snapshot-banner-id"]')).toBe(first.id);
    expect(await text(page, '[data-testid="snapshot-scope"]')).toBe('het hele experiment');

    // The figures are the snapshot's: a card and a table cell equal the API's frozen comparison, formatted.
    const paid = frozen.comparison.indicators.find((i) => i.code === 'PAID_PER_CARE_QUARTER')!;
    expect(await text(page, '[data-testid="card-cost-difference-PAID_PER_CARE_QUARTER"]')).toBe(
      formatWithInterval(paid.difference.value, paid.difference.ciLow, paid.difference.ciHigh, 'EUR', true),
    );
    const sessions = frozen.comparison.indicators.find((i) => i.code === CODE)!;
    expect(await text(page, `[data-testid="comparison-table"] tr[data-code="${CODE}"] [data-col="4"]`)).toBe(armValueText(sessions, 'FFS'));

    // What a snapshot cannot answer is not offered: no analysis-date control, no recompute, no live filters.
    for (const absent of ['analysis-date-control', 'recompute', 'filters', 'cost-series', 'live-export']) expect(await page.getByTestId(absent).count()).toBe(0);
    expect(await text(page, '[data-testid="snapshot-scope-note"]')).toContain('Andere filters (intakeperiode, praktijk, GOLD-stadium, KNGF-profiel) kan zij niet beantwoorden');
    await screenshot(page, 'snapshot-open-1280x800', false);
    await expectAccessible(page);

    // One insurer's frozen comparison.
    const insurer = frozen.byInsurer[0];
    await page.getByTestId('snapshot-scope-select').selectOption(`insurer:${insurer.uzovi}`);
    await page.getByTestId('snapshot-scope-apply').click();
    await page.waitForURL(new RegExp(`insurer=${insurer.uzovi}`));
    await page.locator('[data-testid="snapshot-scope"]', { hasText: 'verzekeraar' }).waitFor();
    expect(await text(page, '[data-testid="snapshot-scope"]')).toBe(`verzekeraar ${insurer.name} (${insurer.uzovi})`);
    const insurerPaid = insurer.comparison.indicators.find((i) => i.code === 'PAID_PER_CARE_QUARTER')!;
    expect(await text(page, '[data-testid="card-cost-difference-PAID_PER_CARE_QUARTER"]')).toBe(
      formatWithInterval(insurerPaid.difference.value, insurerPaid.difference.ciLow, insurerPaid.difference.ciHigh, 'EUR', true),
    );

    // Printed, the banner with label and id heads the page; the picker and the links do not print. Laid out at the
    // printable width of A4 landscape (277 mm = 1046 CSS px).
    await page.setViewportSize({ width: 1046, height: 740 });
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('snapshot-banner').isVisible()).toBe(true);
    expect(await page.getByTestId('snapshot-banner-id').isVisible()).toBe(true);
    expect(await page.getByTestId('snapshot-scope-form').isVisible()).toBe(false);
    expect(await page.getByTestId('snapshot-back-live').isVisible()).toBe(false);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'snapshot-print-media.png'), clip: { x: 0, y: 0, width: 1046, height: 700 } });
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1280, height: 800 });

    // Back to the live figures.
    await page.getByTestId('snapshot-back-live').click();
    await page.getByTestId('analysis-date-control').waitFor();
    expect(await page.getByTestId('snapshot-banner').count()).toBe(0);
    await context.close();
  });

  it('should refuse a snapshot while a recompute is due and keep the frozen figures while the live ones change when a practice records a late session', async () => {
    // A session of a fee-for-service patient on the day after intake (before the analysis date 2026-09-30: late).
    const [patient] = await stack.ctx.dataSource.query(
      `SELECT p.id, to_char(p.intake_date + 1, 'YYYY-MM-DD') AS day FROM patients p JOIN practices pr ON pr.id = p.practice_id
       WHERE pr.agb = $1 AND p.intake_date + 1 <= '2026-09-30' AND (p.end_date IS NULL OR p.end_date > p.intake_date + 1)
         AND NOT EXISTS (SELECT 1 FROM therapy_sessions s WHERE s.patient_id = p.id AND s.date = p.intake_date + 1)
       ORDER BY p.intake_date DESC LIMIT 1`,
      [ffsAgb],
    );
    // The recompute queue is paused, so the snapshot form is seen while the recompute is due.
    const queue = stack.ctx.app.get<Queue>(getQueueToken(INDICATORS_QUEUE), { strict: false });
    await queue.pause();
    try {
      await refusedWhileStale(queue, patient);
    } finally {
      await queue.resume();
    }
  });

  async function refusedWhileStale(queue: Queue, patient: { id: string; day: string }) {
    const practice = await signIn(stack, stack.users.practiceFfs);
    const written = await practice.page.request.post(`${stack.baseUrl}/api/v1/patients/${patient.id}/sessions`, { data: { date: patient.day, kind: 'INDIVIDUAL' } });
    expect(written.status()).toBe(201);
    await practice.context.close();

    const { context, page } = await evaluatorAt('/momentopnamen');
    await page.getByTestId('stale-warning').waitFor();
    await page.getByTestId('snapshot-label').fill('Te vroeg');
    await page.getByTestId('snapshot-take').click();
    await page.getByTestId('snapshot-stale').waitFor();
    expect(await text(page, '[data-testid="snapshot-stale"]')).toBe(
      'De momentopname is niet gemaakt.\n\n' +
        'Er is nu geen momentopname mogelijk: de cijfers worden nog herberekend na de laatste wijziging, en een momentopname zou gegevens en cijfers bevriezen die niet bij elkaar passen.\n' +
        'Wacht tot de herberekening klaar is (de waarschuwing hierboven verdwijnt) en maak de momentopname dan opnieuw.',
    );
    await screenshot(page, 'snapshots-stale-1280x800', false);
    // Nothing was stored.
    expect((await apiJson<Snapshot[]>(page, '/api/v1/snapshots')).map((s) => s.label)).toEqual([FIRST]);

    // Compared with now meanwhile, "now" is marked as not final.
    await page.goto(`${stack.baseUrl}/momentopnamen/${first.id}/vergelijking?met=nu`);
    await page.getByTestId('changes-now-stale').waitFor();
    expect(await text(page, '[data-testid="changes-now-stale"]')).toBe(
      'Let op: de actuele cijfers wachten op een herberekening; „nu” is nog niet definitief en de cijfers hieronder kunnen nog verschuiven.',
    );
    await page.goto(`${stack.baseUrl}/momentopnamen`);
    await page.getByTestId('stale-warning').waitFor();

    await queue.resume();
    await waitForIndicators(stack.ctx.dataSource, 60_000);
    // The page follows the recompute: the warning goes.
    await page.getByTestId('stale-warning').waitFor({ state: 'detached', timeout: 30_000 });

    const live = await apiJson<Comparison>(page, '/api/v1/indicators/comparison');
    expect(live.stale).toBe(false);
    const before = frozen.comparison.indicators.find((i) => i.code === CODE)!;
    const now = live.indicators.find((i) => i.code === CODE)!;
    expect(now.arms.FFS.value).toBeGreaterThan(before.arms.FFS.value!);

    // The snapshot still shows its frozen figure; the live page shows the new one.
    await page.goto(`${stack.baseUrl}/evaluatie?momentopname=${first.id}`);
    const cell = `[data-testid="comparison-table"] tr[data-code="${CODE}"] [data-col="4"]`;
    await page.locator(cell).waitFor();
    expect(await text(page, cell)).toBe(armValueText(before, 'FFS'));
    expect((await apiJson<SnapshotDetail>(page, `/api/v1/snapshots/${first.id}`)).comparison).toEqual(frozen.comparison);
    await page.goto(`${stack.baseUrl}/evaluatie`);
    await page.locator(cell).waitFor();
    expect(await text(page, cell)).toBe(armValueText(now, 'FFS'));
    expect(armValueText(now, 'FFS')).not.toBe(armValueText(before, 'FFS'));
    await context.close();
  }

  it('should list the changed figure and the practice late session when the evaluator compares the snapshot with now', async () => {
    const { context, page } = await evaluatorAt('/momentopnamen');
    await page.locator(`[data-snapshot-id="${first.id}"]`).getByTestId('snapshot-compare-now').click();
    await page.waitForURL(new RegExp(`/momentopnamen/${first.id}/vergelijking\\?met=nu$`));
    await page.getByTestId('figures-table').waitFor();
    const changes = await apiJson<SnapshotChanges>(page, `/api/v1/snapshots/${first.id}/changes?to=now`);
    expect(changes.to).toMatchObject({ snapshotId: null, stale: false });
    expect(await page.getByTestId('changes-now-stale').count()).toBe(0);
    expect(await text(page, '[data-testid="changes-from"]')).toContain(`Van: momentopname „${FIRST}” (peildatum 30 september 2026)`);

    // The changed figure: before, after and change in the indicator's unit (sessions: 2 decimals).
    const moved = changes.figures.find((f) => f.code === CODE && f.figure === FIGURE)!;
    expect(moved.change).toBeCloseTo(moved.after! - moved.before!, 12);
    const row = `[data-testid="figures-table"] tr[data-code="${CODE}"][data-figure="${FIGURE}"]`;
    expect(await text(page, `${row} [data-col="before"]`)).toBe(figureValue(FIGURE, moved.before, 'sessions'));
    expect(await text(page, `${row} [data-col="after"]`)).toBe(figureValue(FIGURE, moved.after, 'sessions'));
    expect(await text(page, `${row} [data-col="change"]`)).toBe(figureValue(FIGURE, moved.change, 'sessions', true));
    expect(await text(page, `${row} td:first-of-type`)).toBe('Per verrichting: waarde');
    const indicators = new Set(changes.figures.map((f) => f.code)).size;
    expect(await text(page, '[data-testid="figures-count"]')).toBe(`${changes.figures.length} cijfers van ${indicators} indicatoren veranderden.`);
    // Every changed figure has its row, and the indicator's name links to its definition.
    expect(await page.locator('[data-testid="figures-table"] tbody tr').count()).toBe(changes.figures.length);
    expect(await page.locator(`[data-testid="figures-table"] tr[data-code="${CODE}"] th a`).first().getAttribute('href')).toBe(`/definities#${CODE}`);

    // One session added at the fee-for-service practice, dated before the snapshot's analysis date: late.
    const own = changes.practices.find((p) => p.agb === ffsAgb)!;
    expect(own.total).toEqual({ added: 1, late: 1, corrected: 0, deleted: 0 });
    expect(changes.total).toEqual({ added: 1, late: 1, corrected: 0, deleted: 0 });
    const practiceRow = `[data-testid="records-table"] tr[data-agb="${ffsAgb}"]`;
    expect(await text(page, `${practiceRow} [data-col="added"]`)).toBe('1');
    expect(await text(page, `${practiceRow} [data-col="late"]`)).toBe('1');
    expect(await page.locator(`${practiceRow} [data-col="late"]`).getAttribute('class')).toContain('late');
    expect(await text(page, `${practiceRow} th .sub`)).toBe('behandelingen: 1 toegevoegd, 1 laat');
    expect(await text(page, '[data-testid="records-total"] [data-col="late"]')).toBe('1');
    expect(await text(page, '[data-testid="late-explained"]')).toBe(
      'Laat: toegevoegd met een datum op of vóór de peildatum van de momentopname (30 september 2026). Late registraties veranderen cijfers die al gepubliceerd zijn.',
    );
    await screenshot(page, 'snapshot-changes-now-1280x800', true);
    await expectAccessible(page);
    await context.close();
  });

  it('should compare two snapshots, and say nothing changed since the second, when the evaluator takes a second one', async () => {
    const { context, page } = await evaluatorAt('/momentopnamen');
    await page.locator(`[data-snapshot-id="${first.id}"]`).waitFor();
    await takeSnapshot(page, SECOND);
    await page.locator('[data-testid="snapshot-card"]').nth(1).waitFor();
    const list = await apiJson<Snapshot[]>(page, '/api/v1/snapshots');
    // Newest first, on the page as in the API.
    expect(list.map((s) => s.label)).toEqual([SECOND, FIRST]);
    expect(await page.locator('[data-testid="snapshot-card"]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-snapshot-id')))).toEqual(list.map((s) => s.id));
    const second = list[0];

    await page.locator(`[data-snapshot-id="${second.id}"]`).getByTestId('snapshot-compare-previous').click();
    await page.waitForURL(new RegExp(`/momentopnamen/${first.id}/vergelijking\\?met=${second.id}$`));
    await page.getByTestId('figures-table').waitFor();
    const changes = await apiJson<SnapshotChanges>(page, `/api/v1/snapshots/${first.id}/changes?to=${second.id}`);
    expect(await text(page, '[data-testid="changes-to"]')).toContain(`Naar: momentopname „${SECOND}” (peildatum 30 september 2026)`);
    const moved = changes.figures.find((f) => f.code === CODE && f.figure === FIGURE)!;
    const row = `[data-testid="figures-table"] tr[data-code="${CODE}"][data-figure="${FIGURE}"]`;
    expect(await text(page, `${row} [data-col="after"]`)).toBe(figureValue(FIGURE, moved.after, 'sessions'));
    expect(await text(page, `${row} [data-col="change"]`)).toBe(figureValue(FIGURE, moved.change, 'sessions', true));
    expect(await text(page, `[data-testid="records-table"] tr[data-agb="${ffsAgb}"] [data-col="late"]`)).toBe('1');
    await screenshot(page, 'snapshot-changes-two-1280x800', true);
    await expectAccessible(page);

    // The second snapshot against now: nothing changed since.
    await page.goto(`${stack.baseUrl}/momentopnamen/${second.id}/vergelijking?met=nu`);
    await page.getByTestId('figures-none').waitFor();
    expect(await text(page, '[data-testid="figures-none"]')).toBe('Niets veranderd: geen enkel cijfer van de vergelijking is anders.');
    expect(await text(page, '[data-testid="records-none"]')).toBe('Niets veranderd: geen gegevens toegevoegd, gecorrigeerd of verwijderd.');
    await context.close();
  });

  it('should download the report as PDF and the analysis export as a zip when the evaluator clicks them', async () => {
    const { context, page } = await evaluatorAt('/momentopnamen');
    const card = page.locator(`[data-snapshot-id="${first.id}"]`);
    await card.waitFor();

    const [pdf] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), card.getByTestId('report-pdf-nl').click()]);
    expect(pdf.suggestedFilename()).toBe(`monitoringsrapportage_${first.experiment}_2026-09-30_${first.id.slice(0, 8)}.pdf`);
    const pdfBytes = await readDownload(pdf);
    expect(pdfBytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
    await card.getByTestId('report-pdf-nl-message').waitFor();
    process.stdout.write(`[e2e] snapshot report PDF: ${pdfBytes.length} bytes\n`);

    const [zip] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), card.getByTestId('snapshot-export').click()]);
    expect(zip.suggestedFilename()).toBe(`analyse_${first.experiment}_snapshot-2026-09-30_${first.id.slice(0, 8)}.zip`);
    const entries = Object.keys(unzipSync(new Uint8Array(await readDownload(zip))));
    expect(entries).toEqual(expect.arrayContaining(['patients.csv', 'codebook.csv', 'codebook.md', 'experiment.csv']));

    // The HTML report opens in a new tab, in Dutch or English.
    const html = card.getByTestId('report-html-en');
    expect(await html.getAttribute('target')).toBe('_blank');
    const [tab] = await Promise.all([context.waitForEvent('page'), html.click()]);
    await tab.waitForLoadState();
    expect(tab.url()).toBe(`${stack.baseUrl}/api/v1/snapshots/${first.id}/report?lang=en&format=html`);
    expect(await tab.locator('html').getAttribute('lang')).toBe('en');
    await tab.close();

    // The live analysis export sits beside the comparison CSV on the evaluator's page.
    await page.goto(`${stack.baseUrl}/evaluatie`);
    await page.getByTestId('live-export').waitFor();
    const [liveZip] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('live-export').click()]);
    expect(liveZip.suggestedFilename()).toBe(`analyse_${first.experiment}_2026-09-30.zip`);
    expect(Object.keys(unzipSync(new Uint8Array(await readDownload(liveZip))))).toEqual(expect.arrayContaining(['patients.csv', 'codebook.csv']));
    await context.close();
  });

  it('should not scroll sideways at 390 px on the snapshot pages, in Dutch and in English', async () => {
    const { context, page } = await evaluatorAt('/momentopnamen', 390, 844);
    const pages: [string, string, string][] = [
      ['/momentopnamen', 'snapshot-card', 'snapshots'],
      [`/evaluatie?momentopname=${first.id}`, 'snapshot-banner', 'snapshot-open'],
      [`/momentopnamen/${first.id}/vergelijking?met=nu`, 'records-table', 'snapshot-changes-now'],
    ];
    for (const language of ['nl', 'en']) {
      for (const [url, ready, name] of pages) {
        await page.setViewportSize({ width: 390, height: 844 });
        await page.goto(stack.baseUrl + url);
        await page.getByTestId(ready).first().waitFor();
        expect(await sticksOut(page, 390)).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        await screenshot(page, `${name}-390-${language}`, true);
        if (language === 'en') {
          await page.setViewportSize({ width: 1280, height: 800 });
          await screenshot(page, `${name}-1280x800-en`, false);
          await expectAccessible(page);
        }
      }
      if (language === 'nl') {
        await page.getByTestId('language').click();
        await page.getByRole('heading', { name: 'What changed since the snapshot?' }).waitFor();
      }
    }
    await page.goto(`${stack.baseUrl}/evaluatie?momentopname=${first.id}`);
    await page.getByTestId('snapshot-banner').waitFor();
    expect(await text(page, '[data-testid="snapshot-banner-title"]')).toBe(`Frozen figures: snapshot “${FIRST}”`);
    // Back to Dutch for the next visitor of this browser profile.
    await page.getByTestId('language').click();
    await context.close();
  });
});
