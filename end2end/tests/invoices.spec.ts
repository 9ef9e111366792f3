// Monthly invoices: a buyer's wave is billed when Lightpath's billing runs; the buyer (their
// organisation's admin) opens the invoice from the services page, reads its lines and total,
// and prints it (Chromium's PDF of the print stylesheet leaves the navigation out).
import { test, expect, hydrated, signIn, signUpOwnOrganisation, orderWaveAndOpenService, expectAccessible } from './fixtures';

test('the monthly invoice of a buyer’s service opens and prints', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await signUpOwnOrganisation(page, 'invoice', testInfo.project.name);
  const buyer = await page.context().storageState();
  await orderWaveAndOpenService(page);

  // The services page leads to the invoices (another viewport's billing run may have
  // invoiced this organisation already, so whether there is one yet is not asserted).
  await page.goto('/services');
  await hydrated(page);
  await page.getByRole('link', { name: 'Invoices' }).first().click();
  await expect(page).toHaveURL(/\/invoices$/);

  // Lightpath's billing runs it early (the monthly run does on the 1st).
  await page.context().clearCookies();
  await signIn(page, 'admin@lightpath.example');
  await page.goto('/invoices');
  await hydrated(page);
  await page.getByRole('button', { name: 'Run billing now' }).click();
  await expect(page.getByText('Billing ran: every organisation is invoiced up to now.')).toBeVisible();

  // The buyer opens it: lines per service, the amount due, keyboard reachable.
  await page.context().clearCookies();
  await page.context().addCookies(buyer.cookies);
  await page.goto('/invoices');
  await hydrated(page);
  const link = page.getByRole('link', { name: /^LP-[0-9A-F]{8}-0001$/ });
  await expect(link).toHaveCount(1);
  await expectAccessible(page, 'the invoices list');
  await link.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/invoices\/[0-9a-f-]{36}$/);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: /^LP-[0-9A-F]{8}-0001$/ })).toBeVisible();
  // A phone stacks the table: each cell's name starts with its column's label.
  await expect(page.getByRole('cell', { name: /^(Type )?Monthly$/ }).first()).toBeVisible();
  await expect(page.getByTestId('invoice-total')).toHaveText(/^\$[0-9,]+\.\d\d$/);
  await expect(page.getByRole('link', { name: 'Download CSV' })).toHaveAttribute('href', /\/api\/v1\/invoices\/.+\/lines\.csv$/);
  await expectAccessible(page, 'an invoice');

  // Printed: the navigation and the buttons are left out, the lines and total stay.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print or save as PDF' })).toBeHidden();
  await expect(page.getByTestId('invoice-total')).toBeVisible();
  const pdf = await page.pdf({ format: 'A4' });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  await page.emulateMedia({ media: 'screen' });
});
