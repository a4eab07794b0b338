import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { formatDate } from '../src/format';
import { E2eStack, signIn, startE2eStack } from './e2e-stack';
import { expectAccessible, screenshot, sticksOut } from './page-checks';

/**
 * Issue 15 in the browser: the import page. A practice uploads a sessions CSV with a row that breaks a rule and one
 * from before the referral; the dry run's report shows the hand-counted statuses and the refused row's file, row,
 * field and reason, and the refusals download as CSV. Then a FHIR bundle in the Dutch shape that lacks the GOLD stage:
 * the mapping form supplies it, the dry run runs again, the confirm writes, and the patient is on /patienten.
 * Dutch and English, 1280x800 and 390 px (screenshots/import-*.png), axe clean.
 */

/** Today in Europe/Amsterdam (en-CA writes ISO dates). */
function amsterdamToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

interface StreamedReport {
  summary: { patients: Record<string, number>; records: Record<string, number> };
  records: { source: { file: string; row?: number }; status: string; problems?: { field: string; code: string; message: string }[] }[];
  patients: { key: string; status: string; missingForEnrolment: string[]; problems: { field: string; code: string; message: string }[] }[];
}

/** The report line of a streamed dry run (NDJSON: progress lines, then one report line). */
function reportOf(body: string): StreamedReport {
  const lines = body.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as { report?: StreamedReport; progress?: unknown });
  const line = lines.find((l) => l.report);
  if (!line?.report) throw new Error(`no report line in ${body.slice(0, 300)}`);
  return line.report;
}

/**
 * A small FHIR R4 transaction Bundle in the Dutch shape (as apps/api/test/fixtures/fhir-nl): the practice by AGB, the
 * insurer by UZOVI (Coverage.payor), the patient by the practice's own number, the COPD Condition (SNOMED 13645005)
 * WITHOUT a GOLD stage, the referral (ServiceRequest: authoredOn the referral, occurrence start the intake), the KNGF
 * profile and one exercise-therapy session (Encounter AMB: INDIVIDUAL).
 */
function dutchBundle(o: { agb: string; uzovi: string; ref: string; referral: string; intake: string; session: string }): string {
  const url = (n: number) => `urn:uuid:0e2e0015-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const entry = (n: number, resource: Record<string, unknown>) => ({ fullUrl: url(n), resource, request: { method: 'POST', url: resource.resourceType } });
  const subject = { reference: url(3) };
  return JSON.stringify({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      entry(1, { resourceType: 'Organization', identifier: [{ system: 'http://fhir.nl/fhir/NamingSystem/agb-z', value: o.agb }], name: 'Praktijk' }),
      entry(2, { resourceType: 'Organization', identifier: [{ system: 'http://fhir.nl/fhir/NamingSystem/uzovi', value: o.uzovi }], name: 'Verzekeraar' }),
      entry(3, {
        resourceType: 'Patient',
        identifier: [{ use: 'usual', system: `urn:oid:2.16.840.1.113883.2.4.6.3.${o.agb}`, value: o.ref }],
        gender: 'male',
        birthDate: '1951-04-12',
        managingOrganization: { reference: url(1) },
      }),
      entry(4, { resourceType: 'Coverage', status: 'active', beneficiary: subject, payor: [{ reference: url(2) }] }),
      entry(5, {
        resourceType: 'Condition',
        clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
        code: { coding: [{ system: 'http://snomed.info/sct', code: '13645005', display: 'Chronic obstructive lung disease' }] },
        subject,
      }),
      entry(6, {
        resourceType: 'ServiceRequest',
        status: 'active',
        intent: 'order',
        code: { coding: [{ system: 'http://snomed.info/sct', code: '229065009', display: 'Exercise therapy' }] },
        subject,
        authoredOn: o.referral,
        occurrencePeriod: { start: o.intake },
        performer: [{ reference: url(1) }],
      }),
      entry(7, {
        resourceType: 'Observation',
        status: 'final',
        code: { coding: [{ system: 'https://copd-bundle.nl/fhir/CodeSystem/copd-experiment', code: 'kngf-profile' }] },
        subject,
        effectiveDateTime: o.intake,
        valueInteger: 4,
      }),
      entry(8, {
        resourceType: 'Encounter',
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
        type: [{ coding: [{ system: 'http://snomed.info/sct', code: '229065009', display: 'Exercise therapy' }] }],
        subject,
        period: { start: o.session },
        serviceProvider: { reference: url(1) },
      }),
    ],
  });
}

/** The last line of a streamed answer: `{"report":...}` or `{"problem":...}`. */
function reportOrProblem(body: string): { report?: unknown; problem?: { code: string; status: number } } {
  const lines = body.split('\n').filter((l) => l.trim() !== '');
  return JSON.parse(lines[lines.length - 1]) as { report?: unknown; problem?: { code: string; status: number } };
}

describe('the import page', () => {
  let stack: E2eStack;
  let agb: string;
  let uzovi: string;
  const today = amsterdamToday();
  const referral = addDays(today, -70);
  const intake = addDays(today, -60);

  beforeAll(async () => {
    stack = await startE2eStack({ practices: 3, patients: 60, seed: 15 });
    agb = stack.users.practiceBundle.practices![0];
    // An insurer with a contract of this practice in force from the referral through today.
    const [row] = await stack.ctx.dataSource.query(
      `SELECT i.uzovi FROM contracts c JOIN practices pr ON pr.id = c.practice_id JOIN insurers i ON i.id = c.insurer_id
        WHERE pr.agb = $1 AND c.valid_from <= $2::date AND c.valid_to >= $3::date ORDER BY i.uzovi LIMIT 1`,
      [agb, referral, today],
    );
    uzovi = row.uzovi;
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
  });

  async function language(page: Page, lang: 'nl' | 'en') {
    if ((await page.locator('html').getAttribute('lang')) === lang) return;
    await page.getByTestId('language').click();
    await page.locator(`html[lang="${lang}"]`).waitFor();
  }

  /** Runs the dry run and returns the report the API streamed (the page's tables are compared with it). */
  async function dryRun(page: Page, button = 'import-dry-run'): Promise<StreamedReport> {
    // Every text the progress status (aria-live) shows while the dry run runs.
    await page.evaluate(() => {
      const w = window as unknown as { progressTexts: string[]; progressObserver?: MutationObserver };
      w.progressObserver?.disconnect();
      w.progressTexts = [];
      const status = document.querySelector('[data-testid="import-progress-text"]')!;
      w.progressObserver = new MutationObserver(() => w.progressTexts.push(status.textContent ?? ''));
      w.progressObserver.observe(status, { childList: true, characterData: true, subtree: true });
    });
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/imports/dry-run'));
    await page.getByTestId(button).click();
    const response = await answer;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('application/x-ndjson');
    const body = await response.text();
    const report = reportOf(body);
    await page.getByTestId('import-report').waitFor();
    // The answer streamed progress lines before the report, and the status said how far the dry run was.
    expect(body.split('\n').filter((l) => l.startsWith('{"progress":')).length).toBeGreaterThan(0);
    const seen = await page.evaluate(() => (window as unknown as { progressTexts: string[] }).progressTexts.filter((x) => x !== ''));
    expect(seen.length).toBeGreaterThan(0);
    for (const text of seen) expect(text).toMatch(/^\d+ (van \d+ |of \d+ )?(rijen of resources|rows or resources) (gelezen|gecontroleerd|read|checked)$/);
    return report;
  }

  async function summaryCells(page: Page, row: 'patients' | 'records'): Promise<Record<string, string>> {
    const cells = page.getByTestId('import-summary').locator(`td[data-kind="${row}"]`);
    const out: Record<string, string> = {};
    for (let i = 0; i < (await cells.count()); i++) out[(await cells.nth(i).getAttribute('data-status'))!] = (await cells.nth(i).innerText()).trim();
    return out;
  }

  it('should report a sessions CSV with a refused and a skipped row, show the refused row and download the refusals when a practice uploads it', async () => {
    const { context, page } = await signIn(stack, stack.users.practiceBundle);
    // Two patients of this practice: referral 70 days ago, intake 60 days ago.
    for (const ref of ['E2E-IMP-A', 'E2E-IMP-B']) {
      const created = await page.request.post(`${stack.baseUrl}/api/v1/patients`, {
        data: { practice: agb, insurer: uzovi, ref, birthYear: 1952, sex: 'F', goldStage: 3, profile: 4, referralDate: referral, intakeDate: intake },
      });
      expect(created.status()).toBe(201);
    }
    // Row 1 and 2: A's sessions after the intake (CREATE). Row 3: A's session 80 days ago, before the referral (70 days
    // ago): SKIPPED. Row 4: B's session 65 days ago: after the referral but before the intake (60 days ago), which the
    // rules refuse (a session on or after the intake date), so row 4 is REFUSED and patient B with it.
    const csv = [
      'praktijk_agb;patientnummer;datum;soort',
      `${agb};E2E-IMP-A;${addDays(today, -50)};INDIVIDUAL`,
      `${agb};E2E-IMP-A;${addDays(today, -43)};GROUP`,
      `${agb};E2E-IMP-A;${addDays(today, -80)};INDIVIDUAL`,
      `${agb};E2E-IMP-B;${addDays(today, -65)};INDIVIDUAL`,
    ].join('\r\n');

    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Importeren' }).click();
    await page.waitForURL(/\/importeren$/);
    await page.getByTestId('import-form').waitFor();
    await expectAccessible(page);
    await page.getByLabel('Soort gegevens').selectOption('sessions');
    await page.getByTestId('import-files').setInputFiles({ name: 'behandelingen.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    const report = await dryRun(page);

    // Hand count: records 2 CREATE (rows 1, 2), 1 SKIPPED (row 3), 1 REFUSED (row 4); patients A UNCHANGED (stored, no
    // field in a sessions file), B REFUSED (its row 4).
    expect(report.summary.records).toEqual({ create: 2, update: 0, unchanged: 0, refused: 1, skipped: 1 });
    expect(report.summary.patients).toEqual({ create: 0, update: 0, unchanged: 1, refused: 1 });
    expect(await summaryCells(page, 'records')).toEqual({ CREATE: '2', UPDATE: '0', UNCHANGED: '0', REFUSED: '1', SKIPPED: '1' });
    expect(await summaryCells(page, 'patients')).toEqual({ CREATE: '0', UPDATE: '0', UNCHANGED: '1', REFUSED: '1', SKIPPED: '–' });
    expect(await page.getByTestId('import-patients').locator('tbody tr[data-status="REFUSED"] th').innerText()).toContain('E2E-IMP-B');

    // The rows table starts on the refused and skipped rows: rows 3 and 4, each with file, row, field and reason.
    const rows = page.getByTestId('import-records').locator('tbody tr');
    expect(await rows.count()).toBe(2);
    const refused = report.records.find((r) => r.source.row === 4)!;
    expect(refused.status).toBe('REFUSED');
    const refusedRow = page.getByTestId('import-records').locator('tbody tr[data-status="REFUSED"]');
    expect((await refusedRow.locator('td, th').allInnerTexts()).map((s) => s.trim())).toEqual([
      'behandelingen.csv',
      'rij 4',
      'E2E-IMP-B',
      'Behandeling',
      formatDate(addDays(today, -65), 'nl'),
      'Geweigerd',
      'Datum',
      refused.problems!.map((p) => p.message).join(' '),
    ]);
    expect(refused.problems!.map((p) => p.field)).toEqual(['date']);
    const skippedRow = page.getByTestId('import-records').locator('tbody tr[data-status="SKIPPED"]');
    expect(await skippedRow.getByTestId('import-record-field').innerText()).toBe('Datum');
    // Showing everything: 4 rows.
    await page.getByTestId('import-record-filter').selectOption('ALL');
    expect(await rows.count()).toBe(4);
    await page.getByTestId('import-record-filter').selectOption('ISSUES');
    // The patients' table filtered on refused: only B.
    await page.getByTestId('import-patient-filter').selectOption('REFUSED');
    expect(await page.getByTestId('import-patients').locator('tbody tr').count()).toBe(1);
    await page.getByTestId('import-patient-filter').selectOption('ALL');
    await expectAccessible(page);
    await screenshot(page, 'import-csv-report-1280x800-nl');

    // The refusals as CSV: a header and one line per refusal (row 3 skipped, row 4 refused; B's own line says why).
    const download = page.waitForEvent('download');
    await page.getByTestId('import-refusals-csv').click();
    expect((await download).suggestedFilename()).toBe('import-weigeringen.csv');
    const lines = readFileSync((await (await download).path())!, 'utf8').replace(/^\uFEFF/, '').split('\r\n').filter((l) => l !== '');
    expect(lines[0]).toBe('Bestand;Rij of resource;Patiënt;Soort;Uitkomst;Veld;Reden');
    // In the order of the rows: row 3 (skipped), then row 4 as B's own refusal and as the record's; a reason holding a
    // ';' is quoted (RFC 4180 with ';' as the separator).
    const quoted = (text: string) => (/[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
    const skipped = report.records.find((r) => r.source.row === 3)!;
    const patientB = report.patients.find((p) => p.key === 'E2E-IMP-B')!;
    expect(lines.slice(1)).toEqual([
      `behandelingen.csv;rij 3;E2E-IMP-A;Behandeling;Overgeslagen;Datum;${quoted(skipped.problems![0].message)}`,
      `behandelingen.csv;rij 4;E2E-IMP-B;Patiënt;Geweigerd;Patiëntnummer;${quoted(patientB.problems[0].message)}`,
      `behandelingen.csv;rij 4;E2E-IMP-B;Behandeling;Geweigerd;Datum;${quoted(refused.problems![0].message)}`,
    ]);

    // A file that changed between the dry run and the confirm (here: its bytes altered on the way, "GROUP" -> "HOME"):
    // the API answers IMPORT.FILE_CHANGED, the page says so and offers a new dry run, and nothing is written.
    await page.route('**/api/v1/imports/confirm', async (route) => {
      const body = route.request().postDataBuffer()!.toString('latin1');
      expect(body).toContain(';GROUP');
      await route.continue({ postData: Buffer.from(body.replace(';GROUP', ';HOME'), 'latin1') });
    });
    const changed = page.waitForResponse((r) => r.url().endsWith('/api/v1/imports/confirm'));
    await page.getByTestId('import-confirm-button').click();
    expect(reportOrProblem(await (await changed).text())).toMatchObject({ problem: { code: 'IMPORT.FILE_CHANGED', status: 409 } });
    const failure = page.getByTestId('import-confirm-failure');
    expect(await failure.locator('p').innerText()).toBe(
      'Een bestand is veranderd sinds de proefimport. Er is niets geschreven. Voer de proefimport opnieuw uit en bekijk het nieuwe rapport.',
    );
    const [{ sessions }] = await stack.ctx.dataSource.query(`SELECT count(*)::int AS sessions FROM therapy_sessions s JOIN patients p ON p.id = s.patient_id WHERE p.ref IN ('E2E-IMP-A', 'E2E-IMP-B')`);
    expect(sessions).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'import-csv-file-changed-1280x800-nl');
    await page.unroute('**/api/v1/imports/confirm');
    await dryRun(page, 'import-dry-run-again');
    expect(await page.getByTestId('import-confirm-failure').count()).toBe(0);

    // English: the page's words at once, the API's reasons after a new dry run in English.
    await language(page, 'en');
    const english = await dryRun(page);
    expect(english.summary.records).toEqual(report.summary.records);
    const englishRefused = english.records.find((r) => r.source.row === 4)!;
    const enRow = page.getByTestId('import-records').locator('tbody tr[data-status="REFUSED"]');
    expect(await enRow.locator('th').innerText()).toBe('row 4');
    expect(await enRow.getByTestId('import-record-reason').innerText()).toBe(englishRefused.problems!.map((p) => p.message).join(' '));
    await expectAccessible(page);
    await screenshot(page, 'import-csv-report-1280x800-en');

    // A phone: nothing sticks out sideways (the rows table scrolls in its own box).
    await page.setViewportSize({ width: 390, height: 800 });
    expect(await sticksOut(page, 390)).toEqual([]);
    await screenshot(page, 'import-csv-report-390-en');
    await language(page, 'nl');
    await dryRun(page);
    expect(await sticksOut(page, 390)).toEqual([]);
    await screenshot(page, 'import-csv-report-390-nl');
    await context.close();
  });

  it('should ask the missing GOLD stage in the mapping form, run the dry run again and write the patient when a practice confirms a FHIR bundle', async () => {
    const { context, page } = await signIn(stack, stack.users.practiceBundle);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${stack.baseUrl}/importeren`);
    await page.getByTestId('import-form').waitFor();
    const bundle = dutchBundle({ agb, uzovi, ref: 'E2E-FHIR-1', referral, intake, session: addDays(today, -50) });
    await page.getByLabel('FHIR R4 (Bundle-JSON of NDJSON)').check();
    await page.getByTestId('import-files').setInputFiles({ name: 'praktijk.json', mimeType: 'application/fhir+json', buffer: Buffer.from(bundle, 'utf8') });
    const first = await dryRun(page);

    // The bundle holds 1 patient without a GOLD stage: the patient is REFUSED (missing for enrolment) and its one
    // session is not written with it (refused): patients 0/0/0/1, records 0 create, 1 refused, 0 skipped.
    expect(first.patients.map((p) => [p.key, p.status, p.missingForEnrolment])).toEqual([['E2E-FHIR-1', 'REFUSED', ['goldStage']]]);
    expect(first.summary.patients).toEqual({ create: 0, update: 0, unchanged: 0, refused: 1 });
    expect(first.summary.records).toEqual({ create: 0, update: 0, unchanged: 0, refused: 1, skipped: 0 });
    expect(await page.getByTestId('import-missing').innerText()).toBe('GOLD-stadium');
    expect(await page.getByTestId('import-to-map').innerText()).toBe('1 patiënt mist gegevens voor de inschrijving. Vul ze aan');
    expect(await page.getByTestId('import-confirm-button').isDisabled()).toBe(true);

    // The mapping form lists the patient and asks only what it misses: the GOLD stage.
    const mapping = page.getByTestId('import-mapping');
    const patient = mapping.getByTestId('import-mapping-patient');
    expect(await patient.count()).toBe(1);
    expect(await patient.locator('legend').innerText()).toBe('E2E-FHIR-1 – ontbreekt: GOLD-stadium');
    expect(await patient.locator('select, input').count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'import-fhir-mapping-1280x800-nl');
    await patient.getByLabel('GOLD-stadium').selectOption('3');

    // Again with GOLD 3: the patient and its session are created (1 and 1).
    const second = await dryRun(page, 'import-mapping-run');
    expect(second.patients.map((p) => [p.key, p.status, p.missingForEnrolment])).toEqual([['E2E-FHIR-1', 'CREATE', []]]);
    expect(second.summary.records).toEqual({ create: 1, update: 0, unchanged: 0, refused: 0, skipped: 0 });
    expect(await page.getByTestId('import-mapping').count()).toBe(0);
    expect(await page.getByTestId('import-confirm-button').isEnabled()).toBe(true);
    await screenshot(page, 'import-fhir-report-1280x800-nl');

    // Confirm: the same file and mapping with the report's digest; nothing changes stored data, so no reason is asked.
    expect(await page.getByTestId('correction-reason').count()).toBe(0);
    const confirmed = page.waitForResponse((r) => r.url().endsWith('/api/v1/imports/confirm'));
    await page.getByTestId('import-confirm-button').click();
    expect((await confirmed).status()).toBe(200);
    await page.getByTestId('import-written').waitFor();
    expect(await page.getByTestId('import-written-counts').innerText()).toBe('Geschreven: 1 patiënt en 1 behandeling, meting of gebeurtenis. De cijfers worden opnieuw berekend.');
    const [stored] = await stack.ctx.dataSource.query(
      `SELECT p.gold_stage, p.profile, p.referral_date::text AS referral, p.intake_date::text AS intake, (SELECT count(*)::int FROM therapy_sessions s WHERE s.patient_id = p.id) AS sessions
         FROM patients p WHERE p.ref = 'E2E-FHIR-1'`,
    );
    expect(stored).toEqual({ gold_stage: 3, profile: 4, referral, intake, sessions: 1 });
    await expectAccessible(page);
    await screenshot(page, 'import-fhir-written-1280x800-nl');

    // The link leads to the patient list, where the patient is.
    await page.getByTestId('import-patients-link').click();
    await page.waitForURL(/\/patienten/);
    await page.getByText('E2E-FHIR-1').first().waitFor();

    // English and a phone: the page before an upload.
    await page.goto(`${stack.baseUrl}/importeren`);
    await language(page, 'en');
    await page.getByTestId('import-form').waitFor();
    await expectAccessible(page);
    await screenshot(page, 'import-start-1280x800-en');
    await page.setViewportSize({ width: 390, height: 800 });
    expect(await sticksOut(page, 390)).toEqual([]);
    await screenshot(page, 'import-start-390-en');
    await language(page, 'nl');
    expect(await sticksOut(page, 390)).toEqual([]);
    await screenshot(page, 'import-start-390-nl');
    await context.close();
  });
  it('should let the evaluator choose the practice to import for and download its sessions CSV when it chooses one', async () => {
    const { context, page } = await signIn(stack, stack.users.evaluator);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${stack.baseUrl}/importeren`);
    await page.getByTestId('import-form').waitFor();
    const practices: { agb: string }[] = await stack.ctx.dataSource.query(`SELECT agb FROM practices ORDER BY agb`);
    const picker = page.getByTestId('import-practice');
    expect((await picker.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).sort()).toEqual(practices.map((p) => p.agb));
    await picker.selectOption(agb);
    // The practice's sessions as CSV, with the API's file name; its first line is the Dutch header of the template.
    const download = page.waitForEvent('download');
    await page.getByTestId('import-export-sessions').click();
    expect((await download).suggestedFilename()).toBe(`sessions-${agb}-nl.csv`);
    const header = readFileSync((await (await download).path())!, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0];
    expect(header).toBe('praktijk_agb;patientnummer;datum;soort');
    await expectAccessible(page);
    await screenshot(page, 'import-evaluator-1280x800-nl');
    await context.close();
  });
});
