// A `test` whose page fails the test on any browser console error or uncaught exception, and
// a helper that waits until the page is hydrated (the frontend sets body[data-hydrated]).
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';

export const test = base.extend<{ allowedConsoleErrors: RegExp[]; consoleErrors: string[] }>({
  // A test that expects an error (a page answering 404 logs one) lists it here.
  allowedConsoleErrors: [[], { option: true }],
  consoleErrors: [
    async ({ page, allowedConsoleErrors }, use) => {
      const errors: string[] = [];
      page.on('console', (message) => {
        const text = message.text();
        if (message.type() === 'error' && !allowedConsoleErrors.some((allowed) => allowed.test(text))) errors.push(text);
      });
      page.on('pageerror', (error) => errors.push(error.message));
      await use(errors);
      expect(errors, 'browser console errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export async function hydrated(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

/**
 * Signs up a new customer organisation of its own, so a test shares no members, roles or
 * settings with the others; ends on its dashboard. Answers the owner's email and password.
 */
export async function signUpOwnOrganisation(page: Page, prefix: string, project: string, site = '') {
  const stamp = `${Date.now()}-${project}`;
  const email = `owner-${stamp}@${prefix}.example`;
  const password = 'violet staple orbit lamp';
  await page.goto(`${site}/sign-up`);
  await hydrated(page);
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Your name').fill('Olu Owner');
  await page.getByLabel('Company').fill(`${prefix} ${stamp}`);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  // The header shows the signed-in navigation a moment after the address changes (signIn).
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  return { email, password, stamp };
}

/** Opens the organisation's Members page from the main navigation. */
export async function openMembers(page: Page) {
  await openMenu(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Add a member' })).toBeVisible();
  await hydrated(page);
}

/** axe (WCAG 2.1 A and AA) on the page as it is: no serious or critical violation. */
export async function expectAccessible(page: Page, what: string) {
  await hydrated(page);
  await page.waitForLoadState('networkidle');
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(', ')}`);
  expect(serious, `axe on ${what}`).toEqual([]);
}

/** Opens the header's "Menu" on a phone (on a laptop the links are already in the header). */
export async function openMenu(page: Page) {
  await hydrated(page);
  const menu = page.getByRole('button', { name: 'Menu' });
  if (await menu.isVisible()) await menu.click();
}

/** Opens a Lightpath admin's "Admin" menu in the header. */
export async function openAdminMenu(page: Page) {
  await openMenu(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Admin' }).click();
}

/** The password of every demo account (README.md). */
export const DEMO_PASSWORD = 'lightpath-demo-password';

/** Signs in through the form and waits for the page it leads to, and for the header to show
 *  the signed-in navigation: the header reads the session again once the sign-in answers, which
 *  can come after the address has changed (a menu opened before that is rebuilt closed). */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/**
 * Signs in with the password of someone who has a second factor, on a clean browser: ends on
 * the second-step page. `site` is the portal's origin when it is not the configured one.
 */
export async function passwordStep(page: Page, email: string, password: string, site = '') {
  await page.context().clearCookies();
  await page.goto(`${site}/sign-in`);
  await hydrated(page);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in\/code/);
  await expect(page.getByRole('heading', { name: 'Your second step' })).toBeVisible();
  await hydrated(page);
}

/** Adds edge site number `index` (1-based) on the wizard's edge sites step. */
export async function addEdgeSite(page: Page, index: number, name: string, metro: string, km: string) {
  await page.getByRole('button', { name: 'Add an edge site' }).click();
  await page.getByLabel(`Site ${index} name`).fill(name);
  const row = page.locator('.edge-site').nth(index - 1);
  await row.getByLabel('Metro').selectOption({ label: `${metro} (metro hub)` });
  await row.getByLabel('Distance from our hub (km)').fill(km);
}

/** Runs the wizard for inference at three Dallas stores with a 10 ms target and waits for
 *  the three bundles. The buyer must be signed in. */
export async function designInference(page: Page, name: string) {
  await startFreshDesign(page);
  await page.goto('/designs/new');
  await hydrated(page);
  await page.getByLabel('Design name').fill(name);
  await page.getByLabel(/Inference & serving/).check();
  await page.getByLabel('Term').selectOption({ label: '12 months' });
  await page.getByRole('button', { name: 'Next' }).click();
  await addEdgeSite(page, 1, 'Store 1', 'Dallas', '1');
  await addEdgeSite(page, 2, 'Store 2', 'Dallas', '2');
  await addEdgeSite(page, 3, 'Store 3', 'Dallas', '8');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Where the model is served').selectOption({ label: 'Equinix DA1 Infomart' });
  await page.getByLabel('Round-trip latency target (ms)').fill('10');
  await page.getByLabel('Traffic per edge site (Mbps)').fill('50');
  await page.getByLabel('People using it').fill('40');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'See recommendations' }).click();
  await expect(page.locator('article.bundle')).toHaveCount(3);
}

/** Runs the wizard for training from Chicago (Digital Realty) to Ashburn (Equinix DC11) at a
 * term (12 months unless given), up to the three bundles. */
export async function designTraining(page: Page, name: string, term = '12 months') {
  await startFreshDesign(page);
  await page.goto('/designs/new');
  await hydrated(page);
  await page.getByLabel('Design name').fill(name);
  await page.getByLabel(/Training/).check();
  await page.getByLabel('Term').selectOption({ label: term });
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Where the cluster sits').selectOption({ label: 'Equinix DC11 Ashburn' });
  await page.getByLabel('Where the data lives').selectOption({ label: 'Digital Realty 350 East Cermak' });
  await page.getByLabel('Dataset size (TB)').fill('20');
  await page.getByLabel('Hours it may take to move').fill('6');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'See recommendations' }).click();
  await expect(page.locator('article.bundle')).toHaveCount(3);
}

/** Orders a recommended bundle through its review: Order now, then Place order. */
export async function orderBundle(page: Page, tier: 'good' | 'better' | 'best') {
  const card = page.locator(`article.bundle[data-tier="${tier}"]`);
  await card.getByRole('button', { name: 'Order now' }).click();
  await card.getByRole('button', { name: 'Place order' }).click();
}

/** Forgets a new design's unsaved changes the browser kept, so the wizard starts empty. The
 *  page must be on the portal already (signed in). */
export async function startFreshDesign(page: Page) {
  await page.evaluate(() => localStorage.removeItem('lightpath.design-draft.new'));
}

/** Orders what the product page's configurator holds, through its review; waits for the order
 * to deliver (up to a minute, behind the other tests' orders) and opens the service it made.
 * Answers the service page's URL. */
/** Orders a 10 Gbps wave Chicago → Ashburn from its product page; ends on the new service's page. */
export async function orderWaveAndOpenService(page: Page): Promise<string> {
  await page.goto('/products/wavelengths-400g');
  await hydrated(page);
  const configurator = page.locator('section.configurator');
  await configurator.getByLabel('From', { exact: true }).selectOption({ label: 'Digital Realty 350 East Cermak' });
  await configurator.getByLabel('To', { exact: true }).selectOption({ label: 'Equinix DC11 Ashburn' });
  return orderAndOpenService(page);
}

export async function orderAndOpenService(page: Page): Promise<string> {
  const configurator = page.locator('section.configurator');
  await expect(configurator.getByTestId('configured-monthly')).toHaveText(/^\$[0-9,]+\.\d\d$/);
  await configurator.getByRole('button', { name: 'Order now' }).click();
  await configurator.getByTestId('order-review').getByRole('button', { name: 'Place order' }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  const service = page.locator('a.item-title[href^="/services/"]');
  await expect(service).toBeVisible({ timeout: 60_000 });
  await service.click();
  await expect(page).toHaveURL(/\/services\/[0-9a-f-]{36}$/);
  await hydrated(page);
  return page.url();
}

/** Creates a Partner Interconnect attachment in the simulated Google Cloud console, in
 * us-central1 on edge availability domain `domain`; `preActivated` leaves the console's
 * pre-activation box as it comes (checked) or unchecks it. Answers the pairing key. */
export async function createGoogleAttachment(page: Page, domain: '1' | '2', preActivated = true): Promise<string> {
  await page.goto('/clouds');
  await hydrated(page);
  const google = page.getByRole('region', { name: 'Google Cloud: a Partner Interconnect attachment' });
  await google.getByLabel('Region').selectOption({ value: 'gcp-us-central1' });
  await google.getByLabel('Edge availability domain').selectOption(domain);
  const preActivate = google.getByLabel(/Pre-activate/);
  await expect(preActivate).toBeChecked();
  if (!preActivated) await preActivate.uncheck();
  await google.getByRole('button', { name: 'Create attachment' }).click();
  const made = google.getByTestId('cloud-key-made');
  await expect(made).toContainText(new RegExp(`[0-9a-f-]{36}/us-central1/${domain}`));
  return (await made.locator('code').textContent())!.trim();
}
