import { test, expect, hydrated } from './fixtures';

test('home says what Lightpath does and leads to the catalog', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Connect your AI');
  await expect(page.locator('.fact').first()).toContainText('16');
  await hydrated(page);
  await page.getByRole('link', { name: 'Start a design' }).first().click();
  await expect(page).toHaveURL(/\/catalog$/);
  await expect(page.locator('.product-card')).toHaveCount(10);
});

test('the catalog filters by lifecycle stage in the browser, without reloading', async ({ page }) => {
  await page.goto('/catalog');
  await hydrated(page);
  await expect(page.locator('.product-card')).toHaveCount(10);
  // A marker on window survives client-side navigation only: a full reload would erase it.
  await page.evaluate(() => ((window as unknown as { stayedOnPage: boolean }).stayedOnPage = true));
  const requests: string[] = [];
  page.on('request', (request) => {
    if (['document', 'fetch', 'xhr'].includes(request.resourceType())) requests.push(request.url());
  });

  await page.getByRole('navigation', { name: 'Filter by AI lifecycle stage' }).getByRole('link', { name: 'Training' }).click();
  await expect(page).toHaveURL(/stage=training/);
  const cards = page.locator('.product-card');
  await expect(cards).toHaveCount(3);
  await expect(cards.getByRole('heading')).toHaveText(['400G Wavelengths', 'Dark Fiber', 'Colocation']);
  await expect(page.getByRole('link', { name: 'Training' })).toHaveAttribute('aria-current', 'true');
  expect(await page.evaluate(() => (window as unknown as { stayedOnPage?: boolean }).stayedOnPage)).toBe(true);
  expect(requests, 'filtering needs no server round trip').toEqual([]);

  await page.getByRole('link', { name: 'All products' }).click();
  await expect(cards).toHaveCount(10);
});

test('a product page shows options and re-prices by term in the browser', async ({ page }) => {
  await page.goto('/catalog');
  await page.getByRole('link', { name: 'Internet on Demand' }).click();
  await expect(page).toHaveURL(/\/products\/internet-on-demand$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Internet on Demand');
  await hydrated(page);

  const row = page.getByRole('row', { name: /^1 Gbps/ });
  // The 12-month term is chosen first: $2,000 list less 15 %.
  await expect(page.getByRole('radio', { name: '12 months' })).toHaveAttribute('aria-checked', 'true');
  await expect(row).toContainText('$1,700.00');
  await expect(page.getByText('15 % off the list price')).toBeVisible();

  await page.getByRole('radio', { name: 'On demand (hourly)' }).click();
  await expect(row).toContainText('$3.55');
  await expect(row).toContainText('/ hour');
  await page.getByRole('radio', { name: '60 months' }).click();
  await expect(row).toContainText('$1,400.00');
});

test('the network page lists metros, data centres, on-ramps and spans', async ({ page }) => {
  await page.goto('/network');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Network');
  await expect(page.locator('.metro')).toHaveCount(16);
  await expect(page.locator('#metro-nyc').getByText('Equinix NY5 Secaucus')).toBeVisible();
  await expect(page.locator('#metro-ash').getByText('AWS us-east-1 (N. Virginia)')).toBeVisible();
  await expect(page.getByRole('row', { name: /New York – Boston/ })).toContainText('ms');
});

test.describe('missing pages', () => {
  // The document itself answers 404, which Chromium reports as a failed resource load.
  test.use({ allowedConsoleErrors: [/Failed to load resource: the server responded with a status of 404/] });

test('an unknown address shows the 404 page with a way back', async ({ page }) => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('We couldn’t find that page');
  await hydrated(page);
  await page.getByRole('link', { name: 'Browse the catalog' }).click();
  await expect(page).toHaveURL(/\/catalog$/);
});

test('an unknown product answers 404 with a human message', async ({ page }) => {
  const response = await page.goto('/products/teleportation');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('alert')).toContainText('No product is called “teleportation”');
  await hydrated(page);
  await expect(page.getByRole('alert')).toContainText('No product is called “teleportation”');
  await page.getByRole('link', { name: 'Browse the catalog' }).click();
  await expect(page).toHaveURL(/\/catalog$/);
});
});
