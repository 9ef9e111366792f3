import { test, expect, hydrated } from './fixtures';

test('the network page shows the map; focusing a span or a metro shows its details', async ({ page }) => {
  await page.goto('/network');
  const map = page.getByRole('group', { name: /Map of the Lightpath network/ });
  await expect(map).toBeVisible();
  await expect(map.locator('.metro-node')).toHaveCount(16);
  await expect(map.locator('.span')).toHaveCount(28);
  await hydrated(page);

  const details = page.locator('.map-details');
  await map.locator('.span[aria-label^="New York – Boston"]').focus();
  await expect(details).toContainText('New York – Boston: 390 route-km, 1.91 ms one way, 96 × 400G wavelengths, 48 fiber pairs');
  await map.locator('.metro-node[aria-label^="Ashburn"]').focus();
  await expect(details).toContainText('Ashburn: 7 data centres, 4 cloud on-ramps');

  // Zoom in with the button, then reset with the keyboard.
  const full = await map.getAttribute('viewBox');
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await expect(map).not.toHaveAttribute('viewBox', full!);
  await map.locator('.metro-node[aria-label^="Ashburn"]').focus();
  await page.keyboard.press('0');
  await expect(map).toHaveAttribute('viewBox', full!);
  // Shift + an arrow pans; an arrow alone moves to the next element.
  await page.keyboard.press('Shift+ArrowRight');
  await expect(map).not.toHaveAttribute('viewBox', full!);
});

test('a map is one tab stop; the arrow keys move between its spans and metros', async ({ page }) => {
  await page.goto('/network');
  await hydrated(page);
  const map = page.getByRole('group', { name: /Map of the Lightpath network/ });
  await expect(map.locator('[tabindex="0"]')).toHaveCount(1);
  const stop = map.locator('[tabindex="0"]');
  await page.getByRole('button', { name: 'Reset' }).focus();
  await page.keyboard.press('Tab');
  await expect(stop).toBeFocused();
  const first = await stop.getAttribute('aria-label');
  await page.keyboard.press('ArrowRight');
  const next = map.locator(':focus');
  await expect(next).not.toHaveAttribute('aria-label', first!);
  await expect(page.locator('.map-details')).toHaveText((await next.getAttribute('aria-label'))!);
  await expect(map.locator('[tabindex="0"]')).toHaveCount(1);
  await page.keyboard.press('ArrowLeft');
  await expect(map.locator(':focus')).toHaveAttribute('aria-label', first!);
  // The next Tab leaves the map: 44 stops became one.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('svg') === null)).toBe(true);
});
