// Planned maintenance: network operations announce work at a metro; a buyer whose service ends
// there sees it on their dashboard and on the service's page; network operations cancel it.
import { test, expect, hydrated, signIn, signUpOwnOrganisation, orderWaveAndOpenService, expectAccessible } from './fixtures';

// The window ending before it starts is answered 422, which Chromium logs as a failed load.
test.use({ allowedConsoleErrors: [/status of 422/] });

test('network operations announce maintenance and the buyer sees it on the dashboard and the service', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await signUpOwnOrganisation(page, 'maintenance', testInfo.project.name);
  const buyer = await page.context().storageState();
  const servicePage = await orderWaveAndOpenService(page);

  // Network operations announce work at the Ashburn hub, where the wave ends.
  await page.context().clearCookies();
  await signIn(page, 'noc@lightpath.example');
  await page.goto('/admin/network');
  await hydrated(page);
  const card = page.locator('#maintenance');
  const reason = `Power work at the Ashburn hub ${Date.now()}-${testInfo.project.name}`;
  const at = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString().slice(0, 16);
  await card.getByLabel('Where').selectOption({ label: 'Ashburn' });
  await card.getByLabel('Starts (UTC)').fill(at(48));
  await card.getByLabel('Ends (UTC)').fill(at(44));
  await card.getByLabel('Expected impact').selectOption({ label: 'Outage during the window' });
  await card.getByLabel('What the work is').fill(reason);
  await card.getByRole('button', { name: 'Announce' }).click();
  await expect(card.getByText('The window must end after it starts.')).toBeVisible();
  await card.getByLabel('Ends (UTC)').fill(at(52));
  await card.getByRole('button', { name: 'Announce' }).click();
  await expect(card.getByText('Announced: the customers whose services cross it are told.')).toBeVisible();
  const notice = card.locator('li.maintenance-notice').filter({ hasText: reason });
  await expect(notice).toContainText('Upcoming');
  await expectAccessible(page, 'network operations with a maintenance notice');

  // The buyer sees it on the dashboard, with their service, and on the service's page.
  await page.context().clearCookies();
  await page.context().addCookies(buyer.cookies);
  await page.goto('/dashboard');
  await hydrated(page);
  const dashboard = page.getByTestId('maintenance');
  await expect(dashboard).toContainText(reason);
  await expect(dashboard).toContainText('Outage during the window');
  await expect(dashboard.getByRole('link')).toHaveCount(1);
  await expectAccessible(page, 'the dashboard with a maintenance notice');
  await page.goto(servicePage);
  await hydrated(page);
  await expect(page.getByTestId('maintenance')).toContainText(reason);

  // Network operations cancel it: it leaves the buyer's dashboard.
  await page.context().clearCookies();
  await signIn(page, 'noc@lightpath.example');
  await page.goto('/admin/network');
  await hydrated(page);
  await card.locator('li.maintenance-notice').filter({ hasText: reason }).getByRole('button', { name: 'Cancel this maintenance' }).click();
  await expect(page.getByText('The maintenance is cancelled, and its customers told.')).toBeVisible();
  await expect(card.locator('li.maintenance-notice').filter({ hasText: reason })).toContainText('Cancelled');
  await page.context().clearCookies();
  await page.context().addCookies(buyer.cookies);
  await page.goto('/dashboard');
  await hydrated(page);
  await expect(page.getByText(reason)).toHaveCount(0);
});
