// Usage per service: a buyer's wave is measured from its delivery; the buyer reads the chart
// (in, out, the 95th percentile) and its figures, moves to the 7-day range by keyboard, opens
// the same history as a table, finds its CSV, and sets a utilisation alert, then removes it.
import { test, expect, signUpOwnOrganisation, orderWaveAndOpenService, expectAccessible } from './fixtures';

test('a buyer reads a service’s usage chart and its table', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await signUpOwnOrganisation(page, 'usage', testInfo.project.name);
  await orderWaveAndOpenService(page);

  const usage = page.getByTestId('usage');
  await expect(usage.getByRole('heading', { name: 'Usage' })).toBeVisible();
  // The collector measures it within seconds of delivery; the page refreshes by itself.
  const chart = usage.getByRole('img', { name: /^Traffic over the last 24 hours .*95th percentile in/ });
  await expect(chart).toBeVisible({ timeout: 30_000 });
  await expect(usage.getByRole('term').filter({ hasText: /^95th percentile in$/ })).toBeVisible();
  await expect(usage.getByRole('term').filter({ hasText: /^Round trip$/ })).toBeVisible();
  await expect(usage.getByRole('link', { name: '24 hours' })).toHaveAttribute('aria-current', 'page');

  // Another range, by keyboard: the link is current and the chart says its range.
  const week = usage.getByRole('link', { name: '7 days' });
  await week.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\?usage=7d$/);
  await expect(week).toHaveAttribute('aria-current', 'page');
  await expect(usage.getByRole('img', { name: /^Traffic over the last 7 days/ })).toBeVisible();

  // The table alternative: a row per day of the range, each with its figures.
  await usage.getByText('The chart as a table').click();
  const table = usage.getByRole('table');
  await expect(table).toBeVisible();
  await expect(table.getByRole('rowheader').first()).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
  await expect(table.getByRole('cell', { name: /(Mean in )?[0-9.]+ [kMG]?bps$/ }).first()).toBeVisible();
  await expect(usage.getByRole('link', { name: 'Download CSV' })).toHaveAttribute(
    'href',
    /\/api\/v1\/services\/[0-9a-f-]{36}\/usage\.csv\?resolution=1h&from=.+&to=.+$/,
  );
  await expectAccessible(page, 'a service with its usage');

  // A utilisation alert, set and removed with plain forms: the page says what was done.
  await usage.getByRole('combobox', { name: /^Over/ }).selectOption('50');
  await usage.getByRole('combobox', { name: /^for/ }).selectOption('5');
  await usage.getByRole('button', { name: 'Set alert' }).click();
  await expect(page).toHaveURL(/\?alert=set/);
  await expect(page.getByText('Alert set: it is judged on each new measurement.')).toBeVisible();
  await expect(page.getByTestId('usage-alert')).toHaveText(/^Over 50 % of the line rate for 5 min: (quiet|firing since .+ UTC)\.$/);
  await page.getByRole('button', { name: 'Remove alert' }).click();
  await expect(page).toHaveURL(/\?alert=cleared/);
  await expect(page.getByText('Alert removed.')).toBeVisible();
  await expect(page.getByTestId('usage-alert')).toHaveText(/^None set/);
});
