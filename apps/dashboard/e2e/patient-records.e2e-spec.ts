import type { Page } from 'playwright-core';
import { formatDate } from '../src/format';
import type { PatientHistory, PatientRecord, PatientRecordPage } from '../src/records/record-types';
import { E2eStack, signIn, startE2eStack } from './e2e-stack';
import { apiJson, expectAccessible, screenshot, sticksOut, text } from './page-checks';

/**
 * Issue 14 items 1-3 in the browser: a practice finds a patient in its list (search, sort), opens the record,
 * corrects a measurement and deletes a session with a reason and sees both in the history, ends an enrolment; the
 * evaluator reads a practice's list and records without a way to change them; a record of 200 sessions opens in
 * under 300 ms. Screenshots of the list, the record and a dialog at 1280x800 and 390 px, in Dutch and English.
 */
describe('the patient list and the patient record', () => {
  let stack: E2eStack;
  let agb: string;
  /** A patient of the bundle practice with a 6MWT and at least two sessions: found, corrected, a session deleted. */
  let target: { id: string; ref: string; pseudonym: string; measurementId: string; measurementValue: number; sessionId: string; sessionDate: string };

  beforeAll(async () => {
    stack = await startE2eStack({ practices: 4, patients: 120, seed: 14 });
    agb = stack.users.practiceBundle.practices![0];
    const [row] = await stack.ctx.dataSource.query(
      `SELECT p.id, p.ref, p.pseudonym, m.id AS "measurementId", m.value AS "measurementValue",
              s.id AS "sessionId", to_char(s.date, 'YYYY-MM-DD') AS "sessionDate"
         FROM patients p JOIN practices pr ON pr.id = p.practice_id
         JOIN measurements m ON m.patient_id = p.id AND m.instrument = 'SIX_MWT'
         JOIN LATERAL (SELECT id, date FROM therapy_sessions WHERE patient_id = p.id ORDER BY date DESC LIMIT 1) s ON true
        WHERE pr.agb = $1 AND (SELECT count(*) FROM therapy_sessions WHERE patient_id = p.id) >= 2
        ORDER BY p.ref, m.date LIMIT 1`,
      [agb],
    );
    target = row;
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  async function at(page: Page, width: number, height = 800) {
    await page.setViewportSize({ width, height });
  }

  /** Screenshots at 1280x800 and 390 px wide in Dutch and English; nothing sticks out sideways on the phone. */
  async function screenshots(page: Page, name: string, ready: string) {
    for (const language of ['nl', 'en']) {
      if (language === 'en') {
        await page.getByTestId('language').click();
        await page.locator('html[lang="en"]').waitFor();
      }
      await at(page, 1280);
      await page.locator(ready).waitFor();
      await screenshot(page, `${name}-1280x800-${language}`);
      // Loaded on the phone's width, as a phone opens it (the filters start folded).
      await at(page, 390);
      await page.reload();
      await page.locator(ready).waitFor();
      expect(await sticksOut(page, 390)).toEqual([]);
      await screenshot(page, `${name}-390-${language}`);
    }
    await page.getByTestId('language').click();
    await page.locator('html[lang="nl"]').waitFor();
    await at(page, 1280);
  }

  it('should find a patient by its reference and open its record when the practice searches and sorts its list', async () => {
    const { context, page } = await signIn(stack, stack.users.practiceBundle);
    await at(page, 1280);
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Patiënten', exact: true }).click();
    await page.waitForURL(/\/patienten$/);
    await page.getByTestId('patients-table').waitFor();

    // The first page is the API's, sorted by reference: the same rows in the same order, and the total in the caption.
    const api = await apiJson<PatientRecordPage>(page, `/api/v1/patient-records?practice=${agb}&sort=ref&order=asc&limit=50`);
    const [{ count }] = await stack.ctx.dataSource.query(`SELECT count(*)::int AS count FROM patients p JOIN practices pr ON pr.id = p.practice_id WHERE pr.agb = $1`, [agb]);
    expect(api.total).toBe(count);
    const refs = await page.locator('[data-testid="patients-table"] tbody th').allInnerTexts();
    expect(refs).toEqual(api.items.map((r) => r.ref));
    expect(await text(page, '[data-testid="patients-table"] caption')).toBe(`Patiënten 1–${api.items.length} van ${count}, gesorteerd op Patiëntnummer (oplopend)`);
    expect(await page.locator('th[data-col="ref"]').getAttribute('aria-sort')).toBe('ascending');
    await expectAccessible(page);

    // Sorted by intake on the server: the header says so and the address keeps it.
    await page.getByTestId('sort-intakeDate').click();
    await page.waitForURL(/sort=intakeDate/);
    await page.locator('th[data-col="intakeDate"][aria-sort="ascending"]').waitFor();
    const byIntake = await apiJson<PatientRecordPage>(page, `/api/v1/patient-records?practice=${agb}&sort=intakeDate&order=asc&limit=50`);
    await page.locator(`[data-testid="patients-table"] tbody tr:first-child[data-patient-id="${byIntake.items[0].id}"]`).waitFor();
    await page.getByTestId('sort-intakeDate').click();
    await page.waitForURL(/order=desc/);
    await page.locator('th[data-col="intakeDate"][aria-sort="descending"]').waitFor();

    // Search by reference: the patient's row, its figures those of the API.
    await page.getByTestId('patients-search').fill(target.ref);
    await page.getByTestId('patients-apply').click();
    await page.waitForURL(new RegExp(`q=${encodeURIComponent(target.ref)}`));
    const row = page.locator(`tr[data-patient-id="${target.id}"]`);
    await row.waitFor();
    const found = await apiJson<PatientRecordPage>(page, `/api/v1/patient-records?practice=${agb}&q=${encodeURIComponent(target.ref)}`);
    const apiRow = found.items.find((r) => r.id === target.id)!;
    expect(await row.locator('.pseudonym').innerText()).toBe(target.pseudonym);
    expect(await row.locator('td.num').innerText()).toBe(String(apiRow.careQuarters));
    // Back and forward follow the list's state.
    await page.goBack();
    await page.waitForURL((url) => !url.search.includes('q='));
    await page.goForward();
    await row.waitFor();
    await screenshots(page, 'patients-list', '[data-testid="patients-table"]');

    await row.getByTestId('patient-link').click();
    await page.waitForURL(new RegExp(`/patienten/${target.id}$`));
    await page.getByTestId('timeline').waitFor();
    expect(await text(page, 'h1')).toBe(`Patiënt ${target.ref} (${target.pseudonym})`);
    // The back link returns to the list as it was.
    await page.getByTestId('record-back').click();
    await page.waitForURL(new RegExp(`q=${encodeURIComponent(target.ref)}`));
    await context.close();
  });

  it('should show the enrolment, each measurement with its window and the dates each part is judged on when the practice opens a record', async () => {
    const { context, page } = await signIn(stack, stack.users.practiceBundle);
    await page.goto(`${stack.baseUrl}/patienten/${target.id}`);
    await page.getByTestId('timeline').waitFor();
    const record = await apiJson<PatientRecord>(page, `/api/v1/patient-records/${target.id}`);
    expect(await text(page, '[data-testid="record-judged-on"]')).toBe(
      `Problemen en meetvensters zijn beoordeeld op vandaag, ${formatDate(record.today)}. De bedragen per zorgkwartaal gelden op de peildatum van het experiment, ${formatDate(record.analysisDate)}, zoals de indicatoren.`,
    );
    expect(await text(page, '[data-testid="enrolment"] [data-field="intakeDate"] dd')).toBe(formatDate(record.patient.intakeDate));
    expect(await text(page, '[data-testid="enrolment"] [data-field="insurer"] dd')).toBe(`${record.insurerName} (${record.patient.insurer})`);
    // Every row of the timeline, and each measurement's window in words.
    expect(await page.locator('[data-testid="timeline"] tbody tr').count()).toBe(record.timeline.length);
    const words = { BASELINE: 'telt als nulmeting', FOLLOWUP_3M: 'telt als vervolgmeting na 3 maanden', FOLLOWUP_12M: 'telt als vervolgmeting na 12 maanden', NONE: 'buiten elk meetvenster, telt niet mee' };
    for (const entry of record.timeline) {
      if (entry.kind !== 'MEASUREMENT') continue;
      expect(await text(page, `tr[data-entry-id="${entry.id}"] [data-testid="measurement-window"]`)).toBe(words[entry.window]);
    }
    expect(await page.locator('[data-testid="care-quarters"] tbody tr').count()).toBe(record.careQuarters.length);
    await expectAccessible(page);
    await screenshots(page, 'patient-record', '[data-testid="timeline"]');

    // Opened as a worklist row opens it: the record form pre-filled and focused.
    const date = record.windows[0].windowStart;
    await page.goto(`${stack.baseUrl}/patienten/${target.id}?registreer=meting&instrument=CAT&datum=${date}#registreren`);
    await page.getByTestId('record-register').waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'registreren');
    expect(await page.locator('#record-page-instrument').inputValue()).toBe('CAT');
    expect(await page.locator('#record-page-date').inputValue()).toBe(date);
    await screenshot(page, 'patient-record-prefilled-form-1280x800-nl', false);
    await context.close();
  });

  it('should refuse a correction without a reason and keep a corrected measurement with its reason in the history when the practice gives one', async () => {
    const { context, page } = await signIn(stack, stack.users.practiceBundle);
    await at(page, 1280);
    await page.goto(`${stack.baseUrl}/patienten/${target.id}`);
    const row = page.locator(`tr[data-entry-id="${target.measurementId}"]`);
    await row.getByTestId('entry-edit').click();
    const dialog = page.getByTestId('correction-dialog');
    await dialog.waitFor();
    // 6MWT 412 m becomes 429 m (+17), typed as the practice types it.
    const corrected = target.measurementValue + 17;
    await dialog.getByTestId('correction-value').fill(String(corrected));
    await dialog.getByTestId('correction-submit').click();
    await page.getByTestId('correction-errors').waitFor();
    expect(await text(page, '[data-testid="correction-errors"] li')).toBe('Reden van de correctie: Geef een reden van 3 tot 500 tekens.');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'correction-errors');
    await expectAccessible(page);
    await screenshot(page, 'correction-dialog-1280x800-nl', false);
    await at(page, 390);
    expect(await sticksOut(page, 390)).toEqual([]);
    await screenshot(page, 'correction-dialog-390-nl', false);
    await at(page, 1280);
    // Nothing was sent: the measurement is as it was.
    const before = await apiJson<PatientRecord>(page, `/api/v1/patient-records/${target.id}`);
    expect(before.timeline.find((e) => e.id === target.measurementId)).toMatchObject({ value: target.measurementValue });

    const reason = 'Waarde verkeerd overgenomen van het meetformulier';
    await dialog.getByTestId('correction-reason').fill(reason);
    await dialog.getByTestId('correction-submit').click();
    await dialog.waitFor({ state: 'detached' });
    expect(await text(page, '[data-testid="correction-status"]')).toBe('De correctie is opgeslagen.');
    const after = await apiJson<PatientRecord>(page, `/api/v1/patient-records/${target.id}`);
    expect(after.timeline.find((e) => e.id === target.measurementId)).toMatchObject({ value: corrected });

    // The history's newest line: who, what from -> to, and the reason.
    const line = page.locator('[data-testid="history-row"]').first();
    await line.locator('[data-testid="history-reason"]', { hasText: reason }).waitFor();
    const history = await apiJson<PatientHistory>(page, `/api/v1/patients/${target.id}/history`);
    expect(history.items[0]).toMatchObject({ action: 'UPDATE', entity: 'MEASUREMENT', entityId: target.measurementId, reason });
    expect(await line.locator('td').nth(1).innerText()).toBe(history.items[0].actor);
    expect(await line.locator('.changes').innerText()).toBe(`Waarde: ${target.measurementValue} → ${corrected}`);
    await context.close();
  });

  it('should delete a session with a reason and show the deletion in the history when the practice confirms it', async () => {
    const { context, page } = await signIn(stack, stack.users.practiceBundle);
    await page.goto(`${stack.baseUrl}/patienten/${target.id}`);
    const row = page.locator(`tr[data-entry-id="${target.sessionId}"]`);
    await row.waitFor();
    const rows = await page.locator('[data-testid="timeline"] tbody tr').count();
    await row.getByTestId('entry-delete').click();
    const dialog = page.getByTestId('correction-dialog');
    expect(await text(page, '[data-testid="correction-dialog"] h2')).toBe(`Behandeling van ${formatDate(target.sessionDate)} verwijderen`);
    await dialog.getByTestId('correction-submit').click();
    await page.getByTestId('correction-errors').waitFor();
    expect(await row.count()).toBe(1);

    const reason = 'Dubbel ingevoerd';
    await dialog.getByTestId('correction-reason').fill(reason);
    await dialog.getByTestId('correction-submit').click();
    await row.waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid="timeline"] tbody tr').count()).toBe(rows - 1);
    expect(await text(page, '[data-testid="correction-status"]')).toBe('Verwijderd.');
    const line = page.locator('[data-testid="history-row"][data-action="DELETE"]').first();
    await line.waitFor();
    expect(await line.locator('th').innerText()).toBe(`Behandeling van ${formatDate(target.sessionDate)} verwijderd`);
    expect(await line.getByTestId('history-reason').innerText()).toBe(reason);
    const record = await apiJson<PatientRecord>(page, `/api/v1/patient-records/${target.id}`);
    expect(record.timeline.some((e) => e.id === target.sessionId)).toBe(false);
    await context.close();
  });

  it('should end an enrolment with an end date and reason when the practice ends the treatment', async () => {
    const [patient] = await stack.ctx.dataSource.query(
      `SELECT p.id, p.ref FROM patients p JOIN practices pr ON pr.id = p.practice_id WHERE pr.agb = $1 AND p.end_date IS NULL AND p.id <> $2 ORDER BY p.ref LIMIT 1`,
      [agb, target.id],
    );
    const { context, page } = await signIn(stack, stack.users.practiceBundle);
    await page.goto(`${stack.baseUrl}/patienten/${patient.id}`);
    await page.getByTestId('enrolment-end-open').click();
    const dialog = page.getByTestId('enrolment-dialog');
    await dialog.getByTestId('enrolment-submit').click();
    await page.getByTestId('enrolment-errors').waitFor();
    expect(await page.locator('[data-testid="enrolment-errors"] li').allInnerTexts()).toEqual(['Einddatum: Vul de einddatum in.', 'Reden van beëindiging: Kies de reden van beëindiging.']);
    await screenshot(page, 'end-enrolment-dialog-1280x800-nl', false);

    const record = await apiJson<PatientRecord>(page, `/api/v1/patient-records/${patient.id}`);
    await dialog.locator('#enrolment-endDate').fill(record.today);
    await dialog.locator('#enrolment-endReason').selectOption('COMPLETED');
    await dialog.getByTestId('enrolment-submit').click();
    await dialog.waitFor({ state: 'detached' });
    expect(await text(page, '[data-testid="correction-status"]')).toBe('De behandeling is beëindigd.');
    await page.locator('[data-testid="enrolment"] [data-field="endReason"]').waitFor();
    expect(await text(page, '[data-testid="enrolment"] [data-field="endDate"] dd')).toBe(formatDate(record.today));
    expect(await text(page, '[data-testid="enrolment"] [data-field="endReason"] dd')).toBe('behandeling afgerond');
    expect(await page.getByTestId('enrolment-end-open').count()).toBe(0);
    const line = page.locator('[data-testid="history-row"][data-entity="PATIENT"][data-action="UPDATE"]').first();
    await line.waitFor();
    expect(await line.locator('.changes').innerText()).toContain(`Einddatum: (leeg) → ${formatDate(record.today)}`);
    const [stored] = await stack.ctx.dataSource.query(`SELECT to_char(end_date, 'YYYY-MM-DD') AS "endDate", end_reason AS "endReason" FROM patients WHERE id = $1`, [patient.id]);
    expect(stored).toEqual({ endDate: record.today, endReason: 'COMPLETED' });
    await context.close();
  });

  it('should show a practice its patients and records without a way to change them when the evaluator reads them', async () => {
    const { context, page } = await signIn(stack, stack.users.evaluator);
    await at(page, 1280);
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Patiënten', exact: true }).click();
    await page.getByTestId('patients-choose-first').waitFor();
    await page.getByTestId('patients-practice').selectOption(agb);
    await page.waitForURL(new RegExp(`practice=${agb}`));
    await page.getByTestId('patients-table').waitFor();
    const api = await apiJson<PatientRecordPage>(page, `/api/v1/patient-records?practice=${agb}&sort=ref&order=asc&limit=50`);
    expect(await page.locator('[data-testid="patients-table"] tbody th').allInnerTexts()).toEqual(api.items.map((r) => r.ref));
    await expectAccessible(page);
    await screenshots(page, 'patients-list-evaluator', '[data-testid="patients-table"]');

    await page.locator(`tr[data-patient-id="${target.id}"] td.pseudonym`).click();
    await page.waitForURL(new RegExp(`/patienten/${target.id}$`));
    await page.getByTestId('timeline').waitFor();
    for (const absent of ['entry-edit', 'entry-delete', 'enrolment-edit-open', 'enrolment-end-open', 'record-register']) expect(await page.getByTestId(absent).count()).toBe(0);
    await page.getByTestId('history').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'patient-record-evaluator-1280x800-nl');
    await context.close();
  });

  it('should open a record of 200 sessions, from a full load and from the list, when the practice opens it', async () => {
    const { context, page } = await signIn(stack, stack.users.practiceBundle);
    // A contract of the practice in force from the intake through the 200th session (one a day).
    const [contract] = await stack.ctx.dataSource.query(
      `SELECT i.uzovi FROM contracts c JOIN practices pr ON pr.id = c.practice_id JOIN insurers i ON i.id = c.insurer_id
        WHERE pr.agb = $1 AND c.valid_from <= '2026-01-05' AND c.valid_to >= '2026-07-31' ORDER BY i.uzovi LIMIT 1`,
      [agb],
    );
    const created = await page.request.post(`${stack.baseUrl}/api/v1/patients`, {
      data: { practice: agb, insurer: contract.uzovi, ref: 'E2E-200', birthYear: 1955, sex: 'F', goldStage: 3, profile: 4, referralDate: '2025-12-20', intakeDate: '2026-01-05' },
    });
    expect(created.status()).toBe(201);
    const patient = (await created.json()) as { id: string };
    // 200 sessions on 200 days from 6 January 2026 (the day after the intake) to 23 July 2026.
    const sessions = Array.from({ length: 200 }, (_, i) => ({ date: new Date(Date.UTC(2026, 0, 6 + i)).toISOString().slice(0, 10), kind: 'INDIVIDUAL' }));
    const batch = await page.request.post(`${stack.baseUrl}/api/v1/patients/${patient.id}/sessions/batch`, { data: sessions });
    expect(batch.status()).toBeLessThan(300);

    // From navigation start (a full page load: document, scripts, sign-in check, the record) to the timeline rendered.
    const loads: number[] = [];
    const loadSteps: Record<string, number>[] = [];
    for (let i = 0; i < 5; i++) {
      await page.goto(`${stack.baseUrl}/patienten/${patient.id}`);
      await page.locator('[data-testid="timeline"][data-ready="true"]').waitFor();
      loads.push(await page.evaluate(() => performance.getEntriesByName('record-timeline-rendered').at(-1)!.startTime));
      // The steps of a full load: the document's scripts run, the sign-in check, the record's request and answer.
      loadSteps.push(
        await page.evaluate(() => {
          const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
          const call = (re: RegExp) => performance.getEntriesByType('resource').find((e) => re.test(e.name)) as PerformanceResourceTiming | undefined;
          const me = call(/\/api\/v1\/auth\/me$/);
          const record = call(/\/api\/v1\/patient-records\/[^?]+$/);
          const ms = (x: number | undefined) => Math.round(x ?? -1);
          return { domContentLoaded: ms(nav.domContentLoadedEventEnd), signInCheck: ms(me?.responseEnd), recordAsked: ms(record?.startTime), recordAnswered: ms(record?.responseEnd) };
        }),
      );
    }
    expect(await page.locator('[data-testid="timeline"] tbody tr[data-kind="SESSION"]').count()).toBe(200);
    // Opened from the list inside the app (the practice's usual way): click to timeline rendered.
    const clicks: number[] = [];
    // The CPU time of the page's main thread (Chrome's ThreadTime): what opening the record costs the browser, which
    // the other processes on this shared machine do not inflate as they inflate the wall-clock figures.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const cpuTimes: number[] = [];
    const mainThread = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'ThreadTime')!.value * 1000;
    };
    const apiTimes: number[] = [];
    const renderTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      await page.goto(`${stack.baseUrl}/patienten?q=E2E-200`);
      const link = page.locator(`tr[data-patient-id="${patient.id}"] [data-testid="patient-link"]`);
      await link.waitFor();
      const before = await mainThread();
      await page.evaluate(() => performance.mark('record-open-click'));
      await link.click();
      await page.locator('[data-testid="timeline"][data-ready="true"]').waitFor();
      cpuTimes.push((await mainThread()) - before);
      clicks.push(
        await page.evaluate(() => performance.getEntriesByName('record-timeline-rendered').at(-1)!.startTime - performance.getEntriesByName('record-open-click').at(-1)!.startTime),
      );
      // Where the time goes: the API's answer (request to response end) and the rendering after it.
      const [api, render] = await page.evaluate(() => {
        const call = performance.getEntriesByType('resource').filter((e) => /\/api\/v1\/patient-records\/[^?]+$/.test(e.name)).at(-1) as PerformanceResourceTiming;
        return [call.responseEnd - call.startTime, performance.getEntriesByName('record-timeline-rendered').at(-1)!.startTime - call.responseEnd];
      });
      apiTimes.push(api);
      renderTimes.push(render);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const figures = { fullLoadMs: loads.map(Math.round), fullLoadSteps: loadSteps, fullLoadMedianMs: Math.round(median(loads)), fromListMs: clicks.map(Math.round), fromListMedianMs: Math.round(median(clicks)), apiMs: apiTimes.map(Math.round), renderAfterApiMs: renderTimes.map(Math.round), mainThreadMs: cpuTimes.map(Math.round) };
    // The requirement is 300 ms; speed is measured by the benchmark (`npm run bench` prints the record's open time), not
    // asserted here, where the wall clock shares 2 cores with the other test files. The figures are printed for the log.
    console.log(`200-session record: ${JSON.stringify({ ...figures, mainThreadMedianMs: Math.round(median(cpuTimes)) })}`);
    await screenshot(page, 'patient-record-200-sessions-1280x800-nl', false);
    // Every open, from a full load and from the list, rendered the timeline with its 200 sessions and was measured.
    expect([loads.length, clicks.length, cpuTimes.length]).toEqual([5, 5, 5]);
    expect(await page.locator('[data-testid="timeline"] tbody tr[data-kind="SESSION"]').count()).toBe(200);
    await context.close();
  });
});
