import { test, expect, hydrated } from './fixtures';

test('a route is found, spelled out and drawn with its diverse twin', async ({ page }) => {
  await page.goto('/network');
  await hydrated(page);
  await page.getByLabel('From', { exact: true }).selectOption('nyc-dc-1');
  await page.getByLabel('To', { exact: true }).selectOption('lax-dc-1');
  await page.getByLabel('Rate', { exact: true }).selectOption('100G');
  await page.getByLabel('Diverse pair (no shared span)').check();
  await page.getByRole('button', { name: 'Find route' }).click();

  const paths = page.locator('.paths li');
  await expect(paths).toHaveCount(2);
  await expect(paths.nth(0)).toContainText(/^Primary Equinix NY5 Secaucus → New York → .* → Los Angeles → CoreSite LA1 One Wilshire/);
  await expect(paths.nth(1)).toContainText('Diverse twin');
  await expect(page.getByText('At 100 Gbps.')).toBeVisible();
  const map = page.getByRole('group', { name: /Map of the Lightpath network/ });
  expect(await map.locator('.span-path').count()).toBeGreaterThan(1);
  expect(await map.locator('.span-twin').count()).toBeGreaterThan(1);
});

test.describe('refused routes', () => {
  // The server function answers 422, which Chromium logs as a failed resource load.
  test.use({ allowedConsoleErrors: [/status of 422/] });

  test('a route between a site and itself is refused with a sentence', async ({ page }) => {
    await page.goto('/network');
    await hydrated(page);
    await page.getByLabel('From', { exact: true }).selectOption('sea');
    await page.getByLabel('To', { exact: true }).selectOption('sea');
    await page.getByRole('button', { name: 'Find route' }).click();
    await expect(page.getByRole('alert')).toHaveText('Both ends are Seattle. A connection needs two different sites.');
    await expect(page.locator('.span-path')).toHaveCount(0);
  });
});
