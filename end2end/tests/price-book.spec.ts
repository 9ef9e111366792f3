import { test, expect, hydrated, signIn } from './fixtures';

// Publishing changes the catalog every other test reads, and there is one draft at a time:
// this runs once (desktop), on a product no other test checks the price of.
test('an admin edits a price in a draft, publishes it, and the catalog shows the new price', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'one publisher at a time');
  await signIn(page, 'admin@lightpath.example');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Price books' }).click();
  await expect(page.getByRole('heading', { name: 'Price books' })).toBeVisible();
  await hydrated(page);
  await page.getByRole('button', { name: /Open a draft|Continue the draft/ }).click();
  await expect(page).toHaveURL(/\/admin\/price-books\/\d+$/);
  await expect(page.getByText('Draft', { exact: true })).toBeVisible();

  const amount = page.getByLabel('Amount for DDoS Mitigation always-on Platform');
  const current = Number(await amount.inputValue());
  const next = String(current + 1);
  await amount.fill(next);
  await amount.locator('xpath=..').getByRole('button', { name: 'Save' }).click();
  await expect(amount).toHaveValue(next);

  await page.getByRole('button', { name: 'Publish this version' }).click();
  await expect(page.getByText('Published. New designs and quotes use these prices now.')).toBeVisible();
  await expect(page.getByText('Current', { exact: true })).toBeVisible();

  await page.goto('/products/ddos-mitigation');
  await hydrated(page);
  const shown = `$${Number(next).toLocaleString('en-US')}.00`;
  await expect(page.getByText(shown).first()).toBeVisible();

  await page.goto('/admin/audit?action=price-book');
  await expect(page.locator('table.audit')).toContainText('price-book.publish');
});
