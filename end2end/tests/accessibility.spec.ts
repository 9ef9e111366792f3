// axe (WCAG 2.1 A and AA rules) on every page of the portal: signed out and as each role, at
// the desktop and the phone width (the two projects). A page passes with no serious or
// critical violation; each failure names the rule, the elements and how to fix it.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, hydrated, signIn, designInference, designTraining, openMenu, openAdminMenu } from './fixtures';

// Some pages are looked at in the state that refuses (a refused sign-in, a 403 or a 404 logs a
// failed load).
test.use({ allowedConsoleErrors: [/status of 4\d\d/] });
// Each test looks at many pages.
test.describe.configure({ timeout: 180_000 });

async function expectAccessible(page: Page, what: string) {
  await hydrated(page);
  // Lazy content (tables, maps) settles before the check.
  await page.waitForLoadState('networkidle');
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      elements: violation.nodes.slice(0, 5).map((node) => `${node.target.join(' ')} — ${node.failureSummary}`),
    }));
  expect(serious, `axe on ${what} (${page.url()})`).toEqual([]);
}

async function visit(page: Page, path: string) {
  await page.goto(path);
  await expectAccessible(page, path);
}

/** The first link on `listPath` whose address matches `pattern`, opened and checked. */
async function visitFirst(page: Page, listPath: string, pattern: RegExp) {
  await page.goto(listPath);
  await hydrated(page);
  const hrefs = await page.locator('main a[href]').evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
  const href = hrefs.find((candidate) => pattern.test(candidate));
  expect(href, `a link like ${pattern} on ${listPath}`).toBeTruthy();
  await visit(page, href!);
  return href!;
}

test('every public page passes axe signed out', async ({ page }) => {
  for (const path of ['/', '/catalog', '/catalog?stage=training', '/network', '/sign-in', '/sign-up', '/no-such-page']) {
    await visit(page, path);
  }
  await visitFirst(page, '/catalog', /^\/products\//);
  // A form showing its errors.
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Email', { exact: true }).fill('nobody@example.com');
  await page.getByLabel('Password', { exact: true }).fill('wrong password here');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.locator('.form-problem')).toBeVisible();
  await expectAccessible(page, 'the sign-in form with its problem');
});

test('a buyer’s pages pass axe, from a new design to its order', async ({ page }) => {
  await signIn(page, 'grace@acme.example');
  for (const path of ['/dashboard', '/catalog', '/network', '/designs', '/orders', '/services', '/quotes', '/account']) {
    await visit(page, path);
  }
  await openMenu(page);
  await expectAccessible(page, 'the open header menu');
  await visitFirst(page, '/catalog', /^\/products\//);
  await visit(page, '/designs/new');
  const name = `Axe design ${Date.now()}`;
  await designInference(page, name);
  await expectAccessible(page, 'the recommended bundles');
  const good = page.locator('article.bundle[data-tier="good"]');
  await good.getByRole('button', { name: 'Order now' }).click();
  await expect(good.getByTestId('order-review')).toBeVisible();
  await expectAccessible(page, 'the review before an order');
  await good.getByRole('button', { name: 'Place order' }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('order-state')).toBeVisible();
  await expectAccessible(page, 'an order and its timeline');
  await visitFirst(page, '/designs', /^\/designs\/[0-9a-f-]{36}$/);
  // Its items become services within seconds (the demo network runs 1,000 times faster).
  await expect
    .poll(async () => {
      await page.goto('/services');
      await hydrated(page);
      return page.locator('main a[href^="/services/"]').count();
    }, { timeout: 60_000 })
    .toBeGreaterThan(0);
  await visitFirst(page, '/services', /^\/services\/[0-9a-f-]{36}$/);
});

test('the quote journey passes axe: request, editor, quote, print', async ({ page, browser }) => {
  await signIn(page, 'grace@acme.example');
  const name = `Axe quote ${Date.now()}`;
  await designTraining(page, name);
  await page.locator('article.bundle[data-tier="better"]').getByRole('button', { name: 'Request a quote' }).click();
  await expect(page.getByText('our sales engineers will pick it up')).toBeVisible();

  const salesContext = await browser.newContext();
  const sales = await salesContext.newPage();
  await signIn(sales, 'sales@lightpath.example');
  await sales.goto('/quotes');
  await hydrated(sales);
  await sales.getByLabel('From the design').selectOption({ label: `Acme AI · ${name} (quote requested)` });
  await sales.getByRole('link', { name: 'Quote this design' }).click();
  await expect(sales.getByRole('heading', { name: 'New quote' })).toBeVisible();
  await expectAccessible(sales, 'the quote editor');
  await sales.getByLabel('Discount (%)').fill('5');
  await sales.getByRole('button', { name: 'Save quote' }).click();
  await expect(sales).toHaveURL(/\/quotes\/[0-9a-f-]{36}$/);
  await expectAccessible(sales, 'a quote, as its sales engineer sees it');
  const quote = new URL(sales.url()).pathname;
  await visit(sales, `${quote}/print`);
  await visit(sales, `${quote}/edit`);
  await salesContext.close();
});

test('an organisation admin’s pages pass axe', async ({ page }) => {
  await signIn(page, 'ada@acme.example');
  for (const path of ['/dashboard', '/api-tokens', '/webhooks', '/api-reference', '/account']) {
    await visit(page, path);
  }
  await page.goto('/dashboard');
  await openMenu(page);
  const members = await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members', exact: true }).getAttribute('href');
  await visit(page, members!);
});

test('a sales engineer’s pages pass axe', async ({ page }) => {
  await signIn(page, 'sales@lightpath.example');
  for (const path of ['/dashboard', '/quotes', '/orgs', '/designs', '/orders']) {
    await visit(page, path);
  }
  await visitFirst(page, '/orgs', /^\/orgs\/[0-9a-f-]{36}$/);
});

test('a Lightpath admin’s pages pass axe, with the admin menu open', async ({ page }) => {
  await signIn(page, 'admin@lightpath.example');
  await page.goto('/dashboard');
  await openAdminMenu(page);
  await expectAccessible(page, 'the open admin menu');
  for (const path of ['/admin/users', '/admin/catalog', '/admin/price-books', '/admin/audit', '/admin/network', '/approvals', '/services', '/invoices']) {
    await visit(page, path);
  }
  await visitFirst(page, '/admin/price-books', /^\/admin\/price-books\/\d+$/);
  // A page a buyer may not open, as the admin sees it: 403 with its explanation.
  await signIn(page, 'grace@acme.example');
  await visit(page, '/admin/users');
});
