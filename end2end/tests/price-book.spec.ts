import { test, expect, hydrated, signIn, openAdminMenu } from './fixtures';

// One draft at a time: these tests open, edit and publish it one after the other.
test.describe.configure({ mode: 'serial' });
// A refused save (a bad amount) answers 422, which the browser logs as a failed request.
test.use({ allowedConsoleErrors: [/the server responded with a status of 422/] });

// Publishing changes the catalog every other test reads, and there is one draft at a time:
// this runs once (desktop), on a product no other test checks the price of.
test('an admin edits a price in a draft, publishes it, and the catalog shows the new price', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'one publisher at a time');
  await signIn(page, 'admin@lightpath.example');
  await openAdminMenu(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Price books' }).click();
  await expect(page.getByRole('heading', { name: 'Price books' })).toBeVisible();
  await hydrated(page);
  await page.getByRole('button', { name: /Open a draft|Continue the draft/ }).click();
  await expect(page).toHaveURL(/\/admin\/price-books\/\d+$/);
  await expect(page.getByText('Draft', { exact: true })).toBeVisible();

  // The draft's prices are one form with one Save. A bad amount is refused, naming its line,
  // and what was typed stays in the form.
  const amount = page.getByLabel('Amount for DDoS Mitigation always-on Platform');
  const current = Number(await amount.inputValue());
  const next = String(current + 1);
  await amount.fill('12.345');
  await page.getByRole('button', { name: 'Save prices' }).click();
  await expect(page.getByText(/Enter an amount in dollars, like 1250 or 3\.55, for DDoS Mitigation always-on Platform\./)).toBeVisible();
  await expect(amount).toHaveValue('12.345');
  await amount.fill(next);
  await page.getByRole('button', { name: 'Save prices' }).click();
  await expect(page.getByText('Prices saved in the draft.')).toBeVisible();
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

// An option added to a product no recommendation picks (a colocation cage), so designs made by
// other tests at the same time never meet an unpriced option.
test.describe('catalog growth', () => {
  // The refused code and the refused publish answer 422, which the browser logs.
  test.use({ allowedConsoleErrors: [/status of 422/] });

  test('an admin adds an option, publishing is refused until it is priced, then it is sold', async ({ page }, testInfo) => {
    test.skip(testInfo.project.name !== 'desktop', 'one publisher at a time');
    const code = `cage-${Date.now() % 1_000_000}`;
    const label = `Private cage ${code.slice(5)}`;
    await signIn(page, 'admin@lightpath.example');
    await page.goto('/admin/catalog');
    await hydrated(page);
    await page.getByText('Add an option to a product').click();
    const optionForm = page.locator('details.new-option');
    await optionForm.getByLabel('Product').selectOption({ label: 'Colocation' });
    await optionForm.getByLabel('Option code').fill('bad code!');
    await optionForm.getByLabel('Option name').fill(label);
    await optionForm.getByRole('button', { name: 'Add the option' }).click();
    await expect(optionForm.getByText('Write a code of 1 to 32 letters')).toBeVisible();
    await optionForm.getByLabel('Option code').fill(code);
    await optionForm.getByRole('button', { name: 'Add the option' }).click();
    await expect(page.getByText('Option added.')).toBeVisible();

    await page.goto('/admin/price-books');
    await hydrated(page);
    await page.getByRole('button', { name: /Open a draft|Continue the draft/ }).click();
    await expect(page).toHaveURL(/\/admin\/price-books\/\d+$/);
    await hydrated(page);
    await expect(page.locator('ul.problems')).toContainText(`Colocation ${label}: no recurring price at 12 months`);
    await page.getByRole('button', { name: 'Publish this version' }).click();
    await expect(page.locator('.form-problem').first()).toContainText('no recurring price');

    await page.getByText('Add a price line').click();
    const lineForm = page.locator('details.new-price-line');
    await lineForm.getByLabel('Product').selectOption({ label: 'Colocation' });
    await lineForm.getByLabel('Option code').fill(code);
    await lineForm.getByLabel('Price name').fill('Cage rack');
    await lineForm.getByLabel('Charged').selectOption('monthly-recurring');
    await lineForm.getByLabel('Per', { exact: true }).selectOption('rack');
    await lineForm.getByLabel('Amount (USD)').fill('500');
    await lineForm.getByRole('button', { name: 'Add the price line' }).click();
    await expect(page.getByText('This draft is complete and can be published.')).toBeVisible();
    await page.getByRole('button', { name: 'Publish this version' }).click();
    await expect(page.getByText('Published. New designs and quotes use these prices now.')).toBeVisible();

    await page.goto('/products/colocation');
    await hydrated(page);
    await expect(page.locator('.prices-card')).toContainText(label);
  });
});
