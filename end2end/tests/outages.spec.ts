// Outages: network operations take a span down; the buyer whose wave crosses it sees the
// service down, the outage on the dashboard and on the service's page; the span comes back.
// Each viewport cuts its own span on a route no other test uses, so no other test's service
// goes down meanwhile.
import { test, expect, hydrated, signIn, signUpOwnOrganisation, orderAndOpenService, expectAccessible } from './fixtures';

// A cut without a cause is answered 422, which Chromium logs as a failed load.
test.use({ allowedConsoleErrors: [/status of 422/] });

const routes = {
  desktop: { from: 'Equinix SE2 Seattle', to: 'Equinix SV1 San Jose', span: 'San Jose – Seattle' },
  phone: { from: 'CoreSite DE1 910 15th Street', to: 'Flexential Salt Lake City', span: 'Denver – Salt Lake City' },
};

test('a cut span takes the buyer’s wave down, they read why, and it comes back', async ({ page }, testInfo) => {
  test.setTimeout(150_000);
  const route = routes[testInfo.project.name as keyof typeof routes];
  await signUpOwnOrganisation(page, 'outage', testInfo.project.name);
  const buyer = await page.context().storageState();
  await page.goto('/products/wavelengths-400g');
  await hydrated(page);
  const configurator = page.locator('section.configurator');
  await configurator.getByLabel('From', { exact: true }).selectOption({ label: route.from });
  await configurator.getByLabel('To', { exact: true }).selectOption({ label: route.to });
  const servicePage = await orderAndOpenService(page);
  await expect(page.getByTestId('service-state')).toContainText('Active');

  // Network operations cut the span it crosses (a cause is required).
  await page.context().clearCookies();
  await signIn(page, 'noc@lightpath.example');
  await page.goto('/admin/network');
  await hydrated(page);
  const card = page.locator('#outages');
  // A retry after a failure mid-test finds its span still down: bring it back first.
  const left = card.locator('li.maintenance-notice').filter({ hasText: route.span }).filter({ hasText: 'Outage, ongoing' });
  if (await left.count()) {
    await left.first().getByRole('button', { name: 'Restore this span' }).click();
    await expect(page.getByText('The span is back: its outage is closed, and its customers told.')).toBeVisible();
  }
  await card.getByLabel('Span').selectOption({ label: route.span });
  await card.getByRole('button', { name: 'Take the span down' }).click();
  await expect(card.getByText('Say what happened')).toBeVisible();
  const cause = `Fiber cut by roadworks ${Date.now()}-${testInfo.project.name}`;
  await card.getByLabel('What happened').fill(cause);
  await card.getByRole('button', { name: 'Take the span down' }).click();
  await expect(card.getByText('The span is down: the services crossing it are down')).toBeVisible();
  const outage = card.locator('li.maintenance-notice').filter({ hasText: cause });
  await expect(outage).toContainText('Outage, ongoing');
  await expect(outage).toContainText('Services down: 1');
  await expectAccessible(page, 'network operations with an ongoing outage');

  // The buyer: the service reads Down and says why; the dashboard lists the outage with it.
  await page.context().clearCookies();
  await page.context().addCookies(buyer.cookies);
  await page.goto(servicePage);
  await hydrated(page);
  await expect(page.getByTestId('service-state')).toContainText('Down');
  await expect(page.getByRole('heading', { name: 'Outages and planned maintenance' })).toBeVisible();
  await page.getByRole('link', { name: 'what happened' }).click();
  await expect(page.getByTestId('maintenance')).toContainText(cause);
  await expectAccessible(page, 'a service that is down');
  await page.goto('/dashboard');
  await hydrated(page);
  const dashboard = page.getByTestId('maintenance');
  await expect(dashboard).toContainText('Outage, ongoing');
  await expect(dashboard).toContainText(cause);
  await expect(dashboard).toContainText('Your services it took down:');
  await dashboard.getByRole('link').first().click();
  await expect(page).toHaveURL(servicePage);

  // Network operations restore the span: the outage closes with how long it lasted.
  await page.context().clearCookies();
  await signIn(page, 'noc@lightpath.example');
  await page.goto('/admin/network');
  await hydrated(page);
  await card.locator('li.maintenance-notice').filter({ hasText: cause }).getByRole('button', { name: 'Restore this span' }).click();
  await expect(page.getByText('The span is back: its outage is closed, and its customers told.')).toBeVisible();
  await expect(card.locator('li.maintenance-notice').filter({ hasText: cause })).toContainText('Outage, resolved');
  await expect(card.locator('li.maintenance-notice').filter({ hasText: cause })).toContainText(/UTC \((under a minute|\d+ min)\)/);

  // The buyer's service is active again; its page keeps the resolved outage.
  await page.context().clearCookies();
  await page.context().addCookies(buyer.cookies);
  await page.goto(servicePage);
  await hydrated(page);
  await expect(page.getByTestId('service-state')).toContainText('Active');
  await expect(page.getByTestId('maintenance')).toContainText('Outage, resolved');
});
