import AxeBuilder from '@axe-core/playwright';
import { test, expect, hydrated, signIn } from './fixtures';

// A buyer opens the simulated cloud consoles from the network page, creates an ExpressRoute
// circuit with the keyboard and a Partner Interconnect attachment, and finds both keys listed
// to copy; the page passes axe.
test('a buyer creates an Azure circuit and a Google attachment in the simulated cloud consoles', async ({ page }) => {
  await signIn(page, 'grace@acme.example');
  await page.goto('/network');
  await hydrated(page);
  await page.getByRole('link', { name: 'Your cloud consoles (simulated)' }).click();
  await expect(page.getByRole('heading', { name: 'Cloud consoles', level: 1 })).toBeVisible();
  await hydrated(page);

  const azure = page.getByRole('region', { name: 'Azure: an ExpressRoute circuit' });
  await azure.getByLabel('Peering location').selectOption({ label: 'central-us (Azure Central US via Chicago)' });
  await azure.getByLabel('Bandwidth').selectOption({ label: '2 Gbps' });
  await azure.getByRole('button', { name: 'Create circuit' }).focus();
  await page.keyboard.press('Enter');
  const made = azure.getByTestId('cloud-key-made');
  await expect(made).toContainText('Circuit created. Its service key is');
  const serviceKey = (await made.locator('code').textContent())!.trim();
  expect(serviceKey).toMatch(/^[0-9a-f-]{36}$/);

  const google = page.getByRole('region', { name: 'Google Cloud: a Partner Interconnect attachment' });
  await google.getByLabel('Region').selectOption({ value: 'gcp-us-west1' });
  await google.getByLabel('Edge availability domain').selectOption('2');
  await google.getByRole('button', { name: 'Create attachment' }).click();
  const pairing = google.getByTestId('cloud-key-made');
  await expect(pairing).toContainText(/[0-9a-f-]{36}\/us-west1\/2/);
  const pairingKey = (await pairing.locator('code').textContent())!.trim();

  const keys = page.getByRole('region', { name: 'Your circuits and attachments' });
  await expect(keys.getByRole('row').filter({ hasText: serviceKey })).toContainText('2 Gbps');
  await expect(keys.getByRole('row').filter({ hasText: pairingKey })).toContainText('Edge availability domain 2');
  await expect(page.getByRole('region', { name: 'Regions and the prefixes they announce' })).toContainText('us-east-1');

  await page.waitForLoadState('networkidle');
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((violation) => violation.id)).toEqual([]);
});
