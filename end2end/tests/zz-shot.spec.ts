import { test, expect, hydrated, signIn } from './fixtures';

test.use({ allowedConsoleErrors: [/status of 422/] });

for (const [name, width, height] of [['desktop', 1280, 900], ['phone', 390, 844]] as const) {
  test(`shots ${name}`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await signIn(page, 'grace@acme.example');
    await page.goto('/products/cloud-connection');
    await hydrated(page);
    const configurator = page.locator('section.configurator');
    await configurator.getByLabel('From', { exact: true }).selectOption({ label: 'Digital Realty 350 East Cermak' });
    await configurator.getByLabel('To', { exact: true }).selectOption({ label: 'AWS us-east-1 (N. Virginia)' });
    await configurator.getByLabel('AWS account id').fill('12345');
    await configurator.getByRole('button', { name: 'Order now' }).click();
    await configurator.getByTestId('order-review').getByRole('button', { name: 'Place order' }).click();
    await expect(configurator.getByText('exactly 12 digits')).toBeVisible();
    await configurator.screenshot({ path: `/tmp/shots/configurator-${name}.png` });
    await page.goto('/services');
    await hydrated(page);
    const link = page.locator('main a[href^="/services/"]').first();
    if (await link.count()) {
      await link.click();
      await hydrated(page);
      await page.screenshot({ path: `/tmp/shots/service-${name}.png`, fullPage: true });
    }
    await page.goto('/clouds');
    await hydrated(page);
    await page.screenshot({ path: `/tmp/shots/clouds-${name}.png`, fullPage: false });
  });
}
