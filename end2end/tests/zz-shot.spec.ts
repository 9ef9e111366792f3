import { test, expect, hydrated, signIn } from './fixtures';

test('shots', async ({ page }, testInfo) => {
  const name = testInfo.project.name;
  await signIn(page, 'ada@acme.example');
  await page.goto('/dashboard');
  const orgLink = await page.evaluate(async () => {
    const r = await fetch('/api/dashboard', { method: 'POST' });
    const me = await r.json();
    return `/orgs/${me.organisation.id}`;
  });
  await page.goto(orgLink);
  await hydrated(page);
  await page.getByLabel('Approval needed above, in dollars').fill('1');
  await page.getByRole('button', { name: 'Save the approval amount' }).click();
  await expect(page.getByTestId('approval-rule')).toContainText('over $1.00');
  await page.getByRole('heading', { name: 'Order approvals' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `/tmp/shot-org-${name}.png` });
  // Ada orders a wave; Grace sees it waiting.
  await page.goto('/products/wavelengths-400g');
  await hydrated(page);
  const c = page.locator('section.configurator');
  await c.getByLabel('From', { exact: true }).selectOption({ label: 'Digital Realty 350 East Cermak' });
  await c.getByLabel('To', { exact: true }).selectOption({ label: 'Equinix DC11 Ashburn' });
  await expect(c.getByTestId('configured-monthly')).toHaveText(/^\$[0-9,]+\.\d\d$/);
  await c.getByRole('button', { name: 'Order now' }).click();
  await c.getByTestId('order-review').getByRole('button', { name: 'Place order' }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('approval')).toBeVisible();
  await page.screenshot({ path: `/tmp/shot-own-${name}.png`, fullPage: true });
  const url = page.url();
  const ctx = await page.context().browser()!.newContext({ baseURL: new URL(url).origin, viewport: page.viewportSize() });
  const g = await ctx.newPage();
  await signIn(g, 'grace@acme.example');
  await g.goto('/dashboard');
  await hydrated(g);
  await g.screenshot({ path: `/tmp/shot-dash-${name}.png` });
  await g.goto(url);
  await hydrated(g);
  await g.screenshot({ path: `/tmp/shot-approve-${name}.png`, fullPage: true });
  await g.goto('/orders');
  await hydrated(g);
  await g.screenshot({ path: `/tmp/shot-orders-${name}.png` });
  await ctx.close();
  // Back off: no approvals for the rest.
  await page.goto(orgLink);
  await hydrated(page);
  await page.getByLabel('Approval needed above, in dollars').fill('');
  await page.getByRole('button', { name: 'Save the approval amount' }).click();
  await expect(page.getByTestId('approval-rule')).toContainText('Off');
});
