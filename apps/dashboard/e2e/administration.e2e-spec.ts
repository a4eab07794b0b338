import type { Page } from 'playwright-core';
import { E2eStack, PASSWORD, signIn, startE2eStack } from './e2e-stack';
import { expectAccessible, screenshot, sticksOut } from './page-checks';

/**
 * Issue 16 items 1 and 2 in the browser: an administrator creates a practice user (the form answering every field
 * error at once first), resets its password to a one-time one, the user signs in with it and changes it at /account
 * (other sessions end), the administrator creates and revokes an API token and finds the revocation in the audit log.
 * Every new page: axe, no sideways overflow at 390 px, screenshots at 1280x800 and 390 px in Dutch and English.
 */
describe('administration and own account', () => {
  let stack: E2eStack;
  let agb: string;
  const NEW_PASSWORD = 'groene kikker zwemt traag';

  beforeAll(async () => {
    stack = await startE2eStack({ practices: 3, patients: 40, seed: 16 });
    agb = stack.users.practiceBundle.practices![0];
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  async function language(page: Page, lang: 'nl' | 'en') {
    if ((await page.locator('html').getAttribute('lang')) === lang) return;
    await page.getByTestId('language').click();
    await page.locator(`html[lang="${lang}"]`).waitFor();
  }

  /** axe, no sideways overflow at 390 px, and the four screenshots of the page (nl/en, desktop/phone). */
  async function checkPage(page: Page, name: string, ready: () => Promise<unknown>) {
    for (const lang of ['nl', 'en'] as const) {
      await language(page, lang);
      await page.setViewportSize({ width: 1280, height: 800 });
      await ready();
      await expectAccessible(page);
      await screenshot(page, `${name}-${lang}`);
      await page.setViewportSize({ width: 390, height: 844 });
      await ready();
      expect(await sticksOut(page, 390)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await expectAccessible(page);
      await screenshot(page, `${name}-${lang}-phone`);
    }
    await language(page, 'nl');
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  it('should let an administrator create a practice user after every field error at once, and the user change the one-time password', async () => {
    const { context, page } = await signIn(stack, stack.users.admin);
    // The administrator lands on the administration, not on an overview of dashes.
    await page.getByTestId('users').waitFor();
    expect(new URL(page.url()).pathname).toBe('/beheer/gebruikers');

    const form = page.getByTestId('user-create');
    await form.getByLabel('Gebruikersnaam').fill('E2E.Nieuw');
    await form.getByLabel('Naam', { exact: true }).fill('Nieuwe Praktijkgebruiker');
    await form.getByLabel('Rol').selectOption('PRACTICE');
    await form.getByLabel('Wachtwoord').fill('password1234');
    await form.getByRole('button', { name: 'Gebruiker aanmaken' }).click();
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    // Three fields wrong at once: upper case in the username, a practice user without an AGB code, a guessable password.
    expect(await summary.locator('li').count()).toBe(3);
    expect(await summary.innerText()).toContain("De gebruikersnaam 'E2E.Nieuw' is ongeldig");
    expect(await summary.innerText()).toContain('Een praktijkgebruiker hoort bij minstens één praktijk');
    expect(await summary.innerText()).toContain('Dit wachtwoord is te makkelijk te raden.');
    expect(await form.getByTestId('field-error').count()).toBe(3);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('error-summary');
    await screenshot(page, 'admin-users-errors-nl');
    await language(page, 'en');
    expect(await summary.innerText()).toContain("The user name 'E2E.Nieuw' is not valid");
    await language(page, 'nl');

    await form.getByLabel('Gebruikersnaam').fill('e2e-nieuw');
    await form.getByLabel('AGB-codes van de praktijk(en)').fill(agb);
    await form.getByLabel('Wachtwoord').fill(PASSWORD);
    await form.getByRole('button', { name: 'Gebruiker aanmaken' }).click();
    await page.getByTestId('admin-notice').getByText('Gebruiker e2e-nieuw is aangemaakt.').waitFor();
    await page.getByTestId('user-e2e-nieuw').waitFor();

    // A one-time password for the new user, shown once in a dialog.
    await page.getByRole('button', { name: 'Nieuw wachtwoord: e2e-nieuw' }).click();
    await page.getByTestId('reset-confirm').click();
    const oneTime = (await page.getByTestId('one-time-password').innerText()).trim();
    expect(oneTime).toMatch(/^[\w-]{20}$/);
    await expectAccessible(page);
    await screenshot(page, 'admin-users-reset-nl', false);
    await page.getByRole('button', { name: 'Ik heb het doorgegeven' }).click();
    await checkPage(page, 'admin-users', () => page.getByTestId('users').waitFor());

    // The user signs in with the one-time password in two browsers and changes it in one: the other session ends.
    const user = { username: 'e2e-nieuw', role: 'PRACTICE' as const };
    const signInWith = async (password: string) => {
      const ctx = await stack.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam' });
      const p = await ctx.newPage();
      await p.goto(`${stack.baseUrl}/`);
      await p.getByLabel('Gebruikersnaam').fill(user.username);
      await p.getByLabel('Wachtwoord').fill(password);
      await p.getByRole('button', { name: 'Aanmelden' }).click();
      await p.getByTestId('signed-in-as').waitFor();
      return { ctx, p };
    };
    const first = await signInWith(oneTime);
    const second = await signInWith(oneTime);
    await first.p.getByRole('link', { name: 'Mijn account' }).click();
    const change = first.p.getByTestId('password-form');
    await change.waitFor();
    // Wrong current password and a weak new one: both at their fields at once.
    await change.getByLabel('Huidig wachtwoord').fill('niet het goede');
    await change.getByLabel('Nieuw wachtwoord', { exact: true }).fill('password1234');
    await change.getByLabel('Nieuw wachtwoord nogmaals').fill('password1234');
    await change.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
    await first.p.getByTestId('error-summary').waitFor();
    expect(await change.getByTestId('field-error').allInnerTexts()).toEqual([
      'Uw huidige wachtwoord klopt niet; vul het wachtwoord in waarmee u zich hebt aangemeld.',
      expect.stringContaining('Dit wachtwoord is te makkelijk te raden.'),
    ]);
    await checkPage(first.p, 'account', () => first.p.getByTestId('password-form').waitFor());
    await change.getByLabel('Huidig wachtwoord').fill(oneTime);
    await change.getByLabel('Nieuw wachtwoord', { exact: true }).fill(NEW_PASSWORD);
    await change.getByLabel('Nieuw wachtwoord nogmaals').fill(NEW_PASSWORD);
    await change.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
    await first.p.getByTestId('password-changed').waitFor();
    await screenshot(first.p, 'account-changed-nl');
    // This session stays; the other one ends (its next request answers 401 and shows the sign-in page).
    expect((await first.p.request.get(`${stack.baseUrl}/api/v1/auth/me`)).status()).toBe(200);
    expect((await second.p.request.get(`${stack.baseUrl}/api/v1/auth/me`)).status()).toBe(401);
    await first.ctx.close();
    await second.ctx.close();
    const again = await signInWith(NEW_PASSWORD);
    await again.ctx.close();
    await context.close();
  });

  it('should let an administrator create and revoke an API token and find the revocation in the audit log', async () => {
    const { context, page } = await signIn(stack, stack.users.admin);
    await page.getByRole('link', { name: 'API-tokens' }).click();
    const form = page.getByTestId('token-create');
    await form.waitFor();
    // An empty form: the name and the AGB code are both named at once.
    await form.getByRole('button', { name: 'Token aanmaken' }).click();
    await page.getByTestId('error-summary').waitFor();
    expect(await page.getByTestId('error-summary').locator('li').count()).toBe(2);
    await form.getByLabel('Waarvoor').fill('E2E koppeling');
    await form.getByLabel('AGB-code', { exact: true }).fill(agb);
    await form.getByLabel('Geldig tot en met').fill('2099-12-31');
    await form.getByRole('button', { name: 'Token aanmaken' }).click();
    const created = page.getByTestId('created-token');
    await created.waitFor();
    expect(await created.locator('code').innerText()).toMatch(/^copd_/);
    await checkPage(page, 'admin-tokens', () => page.getByTestId('tokens').waitFor());

    await page.getByRole('button', { name: 'Intrekken: E2E koppeling' }).click();
    await page.getByTestId('revoke-confirm').click();
    await page.getByTestId('admin-notice').getByText('Token "E2E koppeling" is ingetrokken.').waitFor();
    const row = page.getByTestId('token-row').filter({ hasText: 'E2E koppeling' });
    await row.getByText('ingetrokken').waitFor();
    // valid up to and including the day chosen (the API stores the start of the next day in Amsterdam)
    expect(await row.innerText()).toContain('31-12-2099');

    // The audit log: search the revocation by action and by the administrator's name, then export it.
    await page.getByRole('link', { name: 'Auditlog' }).click();
    const filters = page.getByTestId('audit-filters');
    await filters.waitFor();
    await filters.getByLabel('Actie').fill('api-token.revoke');
    await filters.getByLabel('Gebruiker').fill(stack.users.admin.username);
    await filters.getByRole('button', { name: 'Zoeken', exact: true }).click();
    await page.waitForURL(/action=api-token.revoke/);
    await page.getByTestId('audit-total').getByText('1 gevonden').waitFor();
    const rows = page.getByTestId('audit-row');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('E2E koppeling');
    const download = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]).then(([d]) => d);
    const csv = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks as Buffer[]).toString('utf8'));
    const lines = csv.trimEnd().split('\r\n');
    // the header and the one revocation
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('api-token.revoke');
    await checkPage(page, 'admin-audit', () => page.getByTestId('audit-rows').waitFor());
    await context.close();
  });

  it('should show the administrator practices and insurers with what it may see and refuse a malformed practice at every field', async () => {
    const { context, page } = await signIn(stack, stack.users.admin);
    await page.getByRole('link', { name: 'Praktijken' }).click();
    await page.getByTestId('practice-list').waitFor();
    // No column of dashes: AGB, name, region and the number of users, every cell filled.
    const cells = await page.getByTestId('practice-list').locator('tbody td').allInnerTexts();
    expect(cells.filter((c) => c.trim() === '' || c.trim() === '–')).toEqual([]);
    const form = page.getByTestId('practice-new-form');
    await form.getByLabel('AGB-code').fill('12');
    await form.getByRole('button', { name: 'Toevoegen' }).click();
    await page.getByTestId('practice-new-errors').waitFor();
    // AGB not 8 digits, name and region missing: three at once
    expect(await page.getByTestId('practice-new-errors').locator('li').count()).toBe(3);
    await checkPage(page, 'admin-practices', () => page.getByTestId('practice-list').waitFor());
    await page.getByRole('link', { name: 'Verzekeraars' }).click();
    await page.getByTestId('insurer-list').waitFor();
    await checkPage(page, 'admin-insurers', () => page.getByTestId('insurer-list').waitFor());
    await context.close();
  });
});
