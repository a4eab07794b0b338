import type { Page } from 'playwright-core';
import { formatDate } from '../src/format';
import type { TodayWorklist } from '../src/practice/worklist';
import { E2eStack, PASSWORD, signIn, startE2eStack } from './e2e-stack';
import { apiJson, expectAccessible, screenshot, sticksOut } from './page-checks';

/**
 * Issue 14 items 4-7 in the browser: the worklist judged on today, a row followed to the record page's measurement
 * form filled in, a decimal comma accepted, an empty form answered with the error summary focused and each field's
 * message (Dutch, then English), a session that ends without losing what was typed, and the practice page on a phone.
 * Screenshots at 1280x800 and 390 px, in Dutch and English.
 */

/** Today in Europe/Amsterdam, the date the worklist is judged on (en-CA writes ISO dates). */
function amsterdamToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The id of the element that has the focus, or its data-testid. */
function focused(page: Page): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.id || document.activeElement?.getAttribute('data-testid') || null);
}

describe("the practice's daily forms", () => {
  let stack: E2eStack;
  let agb: string;
  /** An insurer with a contract of this practice in force today, so a patient enrolled this week is eligible. */
  let uzovi: string;
  const today = amsterdamToday();

  beforeAll(async () => {
    stack = await startE2eStack({ practices: 4, patients: 120, seed: 41 });
    agb = stack.users.practiceBundle.practices![0];
    const [row] = await stack.ctx.dataSource.query(
      `SELECT i.uzovi FROM contracts c JOIN practices pr ON pr.id = c.practice_id JOIN insurers i ON i.id = c.insurer_id
        WHERE pr.agb = $1 AND c.valid_from <= $2::date - 10 AND c.valid_to >= $2::date ORDER BY i.uzovi LIMIT 1`,
      [agb, today],
    );
    uzovi = row.uzovi;
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  /** A new viewport, once the charts have followed it (chart.js resizes its canvases on the next frames). */
  async function at(page: Page, width: number, height = 800) {
    await page.setViewportSize({ width, height });
    await page.waitForFunction((w) => [...document.querySelectorAll('canvas')].every((c) => c.getBoundingClientRect().right <= w + 0.5), width);
  }

  async function language(page: Page, lang: 'nl' | 'en') {
    if ((await page.locator('html').getAttribute('lang')) === lang) return;
    await page.getByTestId('language').click();
    await page.locator(`html[lang="${lang}"]`).waitFor();
  }

  async function openPracticePage(page: Page) {
    await page.goto(`${stack.baseUrl}/praktijk`);
    await page.getByTestId('worklist-judged-on').waitFor();
    await page.getByTestId('enrol-form').waitFor();
  }

  it('should judge the worklist on today, list a patient enrolled this week, and open the row as a filled-in measurement form that takes a decimal comma', async () => {
    const { context, page } = await signIn(stack, stack.users.practiceBundle);
    await page.getByTestId('worklist-judged-on').waitFor();

    // Enrol a patient through the form: intake 3 days ago, referral 10 days ago.
    const intake = addDays(today, -3);
    const enrol = page.getByTestId('enrol-form');
    await enrol.getByLabel('Patiëntnummer van de praktijk').fill('E2E-VANDAAG');
    await enrol.getByLabel('Verzekeraar').selectOption(uzovi);
    await enrol.getByLabel('Geboortejaar').fill('1956');
    await enrol.getByLabel('Geslacht').selectOption('M');
    await enrol.getByLabel('GOLD-stadium').selectOption('3');
    await enrol.getByLabel('KNGF-profiel').selectOption('3');
    await enrol.getByLabel('Verwijsdatum').fill(addDays(today, -10));
    await enrol.getByLabel('Intakedatum').fill(intake);
    await enrol.getByRole('button', { name: 'Inschrijven' }).click();
    await expect(enrol.getByTestId('enrol-done').innerText()).resolves.toMatch(/^Patiënt E2E-VANDAAG is ingeschreven/);
    const [patient] = await stack.ctx.dataSource.query(`SELECT id, pseudonym FROM patients WHERE ref = 'E2E-VANDAAG'`);

    // The worklist reads live data judged on today: the new patient is on it at once.
    await openPracticePage(page);
    const worklist = await apiJson<TodayWorklist>(page, `/api/v1/insights/worklist?practice=${agb}`);
    expect(worklist.asOf).toBe(today);
    expect(await page.getByTestId('worklist-judged-on').innerText()).toContain(`Werklijst van vandaag, ${formatDate(today, 'nl')}`);
    expect(await page.getByTestId('peers-judged-on').innerText()).toContain(`peildatum ${formatDate(worklist.analysisDate, 'nl')}`);
    // Baseline window [intake - 30, intake + 14] = [today - 33, today + 11]: open today, and it closes within the
    // 14 days (today + 11 <= today + 14), so CLOSING, for the 6MWT and for CCQ or CAT; the form's date is today.
    const own = worklist.items.filter((i) => i.patientId === patient.id);
    expect(own.map((i) => [i.milestone, i.instrument, i.status, i.windowStart, i.windowEnd, i.suggestedDate]).sort()).toEqual([
      ['BASELINE', 'CCQ_OR_CAT', 'CLOSING', addDays(today, -33), addDays(today, 11), today],
      ['BASELINE', 'SIX_MWT', 'CLOSING', addDays(today, -33), addDays(today, 11), today],
    ]);
    // Every item of the API is a row of its status's table (missed ones inside the folded part).
    for (const status of ['CLOSING', 'DUE', 'UPCOMING', 'MISSED'] as const) {
      const count = worklist.items.filter((i) => i.status === status).length;
      expect(await page.locator(`[data-testid="worklist-${status}"] tbody tr`).count()).toBe(count);
    }
    const row = page.locator('[data-testid="worklist-CLOSING"] tr', { hasText: 'E2E-VANDAAG' }).filter({ hasText: 'CCQ of CAT' });
    const link = row.getByTestId('worklist-record-link');
    expect(await link.getAttribute('href')).toBe(`/patienten/${patient.id}?registreer=meting&instrument=CCQ&datum=${today}#registreren`);
    await expectAccessible(page);

    // Following the row opens the record page with the measurement form filled in: CCQ, today.
    await link.click();
    await page.waitForURL(new RegExp(`/patienten/${patient.id}\\?registreer=meting`));
    // The record page's own form (the practice page's form may still be on screen while the page's code loads).
    const form = page.getByTestId('record-register').getByTestId('record-form');
    await form.waitFor();
    expect(await form.locator('input[type="radio"][value="measurement"]').isChecked()).toBe(true);
    expect(await form.locator('select[name="instrument"]').inputValue()).toBe('CCQ');
    expect(await form.locator('input[name="date"]').inputValue()).toBe(today);
    // A Dutch decimal comma: 2,5 is read as 2.5 (and stored in CCQ tenths: 2.5 x 10 = 25).
    await form.getByLabel('Waarde').fill('2,5');
    await screenshot(page, 'practice-daily-prefilled-1280x800-nl', false);
    await form.getByRole('button', { name: 'Vastleggen' }).click();
    await expect(form.getByTestId('record-done').innerText()).resolves.toBe('Vastgelegd.');
    const stored = await stack.ctx.dataSource.query(`SELECT instrument, value, to_char(date, 'YYYY-MM-DD') AS date FROM measurements WHERE patient_id = $1`, [patient.id]);
    expect(stored).toEqual([{ instrument: 'CCQ', value: 25, date: today }]);

    // Back on the worklist the CCQ-or-CAT row is done; the 6MWT row stays.
    await openPracticePage(page);
    const after = (await apiJson<TodayWorklist>(page, `/api/v1/insights/worklist?practice=${agb}`)).items.filter((i) => i.patientId === patient.id);
    expect(after.map((i) => i.instrument)).toEqual(['SIX_MWT']);
    expect(await page.locator('[data-testid="worklist-CLOSING"] tr', { hasText: 'E2E-VANDAAG' }).count()).toBe(1);

    // Screenshots of the worklist at 1280x800 and 390 px, in Dutch and English.
    for (const lang of ['nl', 'en'] as const) {
      await language(page, lang);
      await at(page, 1280);
      await page.locator('#werklijst').scrollIntoViewIfNeeded();
      await screenshot(page, `practice-daily-worklist-1280x800-${lang}`, false);
      await at(page, 390);
      expect(await sticksOut(page, 390)).toEqual([]);
      await page.locator('#werklijst').scrollIntoViewIfNeeded();
      await screenshot(page, `practice-daily-worklist-390-${lang}`, false);
    }
    await language(page, 'nl');
    await context.close();
  });

  it('should show each missing field with its message and the error summary focused when an empty form is submitted, in Dutch and in English', async () => {
    const { context, page } = await signIn(stack, stack.users.practiceBundle);
    await openPracticePage(page);
    const enrol = page.getByTestId('enrol-form');
    await enrol.getByRole('button', { name: 'Inschrijven' }).click();
    const summary = page.getByTestId('enrol-error-summary');
    await summary.waitFor();
    expect(await focused(page)).toBe('enrol-error-summary');
    expect(await summary.getByRole('heading').innerText()).toBe('Controleer de volgende velden');
    // Every required field is named: all but the optional BSN (9 fields - 1 = 8), each a link to its input.
    const links = summary.getByRole('link');
    expect(await links.count()).toBe(8);
    // In the form's order: the patient number first, the intake date last.
    const linkTexts = await links.allInnerTexts();
    expect(linkTexts[0]).toMatch(/^Patiëntnummer van de praktijk: /);
    expect(linkTexts[7]).toMatch(/^Intakedatum ontbreekt/);
    expect(await enrol.getByTestId('field-error').count()).toBe(8);
    expect(await enrol.locator('#enrol-ref').getAttribute('aria-invalid')).toBe('true');
    expect(await enrol.locator('.field', { has: page.locator('#enrol-birthYear') }).getByTestId('field-error').innerText()).toMatch(/^Geboortejaar ontbreekt/);
    expect(await enrol.locator('.field', { has: page.locator('#enrol-sex') }).getByTestId('field-error').innerText()).toMatch(/ontbreekt/);
    // A link in the summary moves the focus into its field.
    await summary.getByRole('link', { name: /^Geboortejaar/ }).click();
    expect(await focused(page)).toBe('enrol-birthYear');
    await enrol.scrollIntoViewIfNeeded();
    await screenshot(page, 'practice-daily-empty-enrol-1280x800-nl', false);
    await expectAccessible(page);

    // The record form without a patient: named at once with the date (no request can be sent without a patient).
    const record = page.getByTestId('record-form');
    await record.getByRole('button', { name: 'Vastleggen' }).click();
    const recordSummary = page.getByTestId('record-error-summary');
    await recordSummary.waitFor();
    expect(await focused(page)).toBe('record-error-summary');
    expect(await recordSummary.getByRole('link').allInnerTexts()).toEqual([expect.stringMatching(/^Patiënt ontbreekt/), expect.stringMatching(/^Datum ontbreekt/)]);

    // The same in English: the title, the labels and the API's messages follow the interface language.
    // Switching the language re-words the errors on the screen by their codes, without sending again.
    await language(page, 'en');
    const birthError = enrol.locator('.field', { has: page.locator('#enrol-birthYear') }).getByTestId('field-error');
    expect(await summary.getByRole('heading').innerText()).toBe('Please check the following fields');
    expect(await birthError.innerText()).toMatch(/^Year of birth is missing/);
    // And a new submit in English is answered in English (Accept-Language: en), the summary focused again.
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/patients') && r.request().method() === 'POST');
    await enrol.getByRole('button', { name: 'Enrol' }).click();
    const problem = (await (await answer).json()) as { errors: { path: string; message: string }[] };
    expect(problem.errors.find((e) => e.path === 'birthYear')?.message).toMatch(/^Year of birth is missing/);
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'enrol-error-summary');
    expect(await birthError.innerText()).toMatch(/^Year of birth is missing/);
    expect(await summary.getByRole('link').count()).toBe(8);
    await enrol.scrollIntoViewIfNeeded();
    await screenshot(page, 'practice-daily-empty-enrol-1280x800-en', false);
    await expectAccessible(page);
    await at(page, 390);
    expect(await sticksOut(page, 390)).toEqual([]);
    await enrol.scrollIntoViewIfNeeded();
    await screenshot(page, 'practice-daily-empty-enrol-390-en', false);
    await language(page, 'nl');
    await context.close();
  });

  it('should keep what was typed when the session ends, say why, and put it back after signing in again', async () => {
    const { context, page } = await signIn(stack, stack.users.practiceBundle);
    await openPracticePage(page);
    const enrol = page.getByTestId('enrol-form');
    await enrol.getByLabel('Patiëntnummer van de praktijk').fill('E2E-VERLOPEN');
    await enrol.getByLabel('Geboortejaar').fill('1948');
    await enrol.getByLabel('GOLD-stadium').selectOption('2');
    await enrol.getByLabel('KNGF-profiel').selectOption('4');
    // The session ends on the server (as after its idle timeout) while the form is open.
    const logout = await page.request.post(`${stack.baseUrl}/api/v1/auth/logout`);
    expect(logout.status()).toBe(204);
    await enrol.getByRole('button', { name: 'Inschrijven' }).click();

    // The request answers 401: the sign-in page says why, on the same address.
    const notice = page.getByTestId('session-expired');
    await notice.waitFor();
    expect(await notice.innerText()).toBe('Uw sessie is verlopen. Uw invoer is bewaard; meld u opnieuw aan.');
    expect(new URL(page.url()).pathname).toBe('/praktijk');
    await screenshot(page, 'practice-daily-session-expired-1280x800-nl', false);
    await expectAccessible(page);
    // Kept in this tab's sessionStorage only: nothing of it in localStorage.
    const stores = await page.evaluate(() => ({ session: JSON.stringify({ ...sessionStorage }), local: JSON.stringify({ ...localStorage }) }));
    expect(stores.session).toContain('E2E-VERLOPEN');
    expect(stores.local).not.toContain('E2E-VERLOPEN');

    await page.getByLabel('Gebruikersnaam').fill(stack.users.practiceBundle.username);
    await page.getByLabel('Wachtwoord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    await page.getByTestId('draft-restored').waitFor();
    expect(new URL(page.url()).pathname).toBe('/praktijk');
    expect(await enrol.getByLabel('Patiëntnummer van de praktijk').inputValue()).toBe('E2E-VERLOPEN');
    expect(await enrol.getByLabel('Geboortejaar').inputValue()).toBe('1948');
    expect(await enrol.getByLabel('GOLD-stadium').inputValue()).toBe('2');
    expect(await enrol.getByLabel('KNGF-profiel').inputValue()).toBe('4');
    await screenshot(page, 'practice-daily-draft-restored-1280x800-nl', false);

    // Signing out on purpose leaves nothing typed behind in the tab.
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in').waitFor();
    expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('draft:')))).toEqual([]);
    expect(await page.getByTestId('session-expired').count()).toBe(0);
    await context.close();
  });

  it('should put the worklist and the forms first on a phone, with section links, nothing sticking out and tap targets of at least 24 px', async () => {
    const { context, page } = await signIn(stack, stack.users.practiceBundle);
    await at(page, 390, 844);
    await openPracticePage(page);
    for (const lang of ['nl', 'en'] as const) {
      await language(page, lang);
      await page.evaluate(() => window.scrollTo(0, 0));
      const tabs = page.getByTestId('practice-tabs');
      const names = await tabs.getByRole('link').allInnerTexts();
      expect(names).toEqual(lang === 'nl' ? ['Werklijst', 'Registreren', 'Patiënten', 'Vergelijking'] : ['Worklist', 'Record', 'Patients', 'Comparison']);
      // The section links are on the first screen; the worklist comes before the forms, the forms before the charts.
      expect((await tabs.boundingBox())!.y).toBeLessThan(844);
      const top = async (selector: string) => (await page.locator(selector).boundingBox())!.y;
      expect(await top('#werklijst')).toBeLessThan(await top('#registreren'));
      expect(await top('#registreren')).toBeLessThan(await top('#vergelijking'));
      expect(await sticksOut(page, 390)).toEqual([]);
      await screenshot(page, `practice-daily-top-390-${lang}`, false);
      // Tap targets: the section links, the form controls and buttons, the worklist's links.
      const small = await page.evaluate(() =>
        [...document.querySelectorAll('[data-testid="practice-tabs"] a, .record-form input, .record-form select, .record-form button, .worklist-table a, .worklist-missed summary')]
          .map((el) => ({ el, box: el.getBoundingClientRect() }))
          .filter(({ box }) => box.width > 0 && (box.height < 24 || box.width < 24))
          .map(({ el, box }) => `${el.tagName} ${el.getAttribute('name') ?? el.textContent?.trim()} ${Math.round(box.width)}x${Math.round(box.height)}`),
      );
      expect(small).toEqual([]);
      await tabs.getByRole('link', { name: lang === 'nl' ? 'Registreren' : 'Record' }).click();
      await page.waitForURL(/#registreren$/);
      await screenshot(page, `practice-daily-forms-390-${lang}`, false);
    }
    await language(page, 'nl');
    await at(page, 1280, 800);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'practice-daily-top-1280x800-nl', false);
    await expectAccessible(page);
    await context.close();
  });
});
