// A buyer orders a cloud connection into their AWS account from its product page: a wrong
// account id is refused beside its field with what the buyer typed kept; the delivered
// connection waits for acceptance unbilled, says what to do in the AWS console, is accepted
// there (the simulated console), and then runs with its BGP session up and the region's routes
// learned. The service page and the console pass axe.
import AxeBuilder from '@axe-core/playwright';
import { test, expect, createGoogleAttachment, hydrated, orderAndOpenService, signIn } from './fixtures';

async function expectAccessible(page: import('@playwright/test').Page) {
  await page.waitForLoadState('networkidle');
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((violation) => violation.id)).toEqual([]);
}

// The refused order answers 422, which the browser logs.
test.use({ allowedConsoleErrors: [/status of 422/] });

test('a buyer orders an AWS cloud connection, accepts it in the simulated AWS console and sees BGP up', async ({ page }) => {
  // Delivery waits its turn behind the other tests' orders (and their faults): up to a minute.
  test.setTimeout(120_000);
  await signIn(page, 'grace@acme.example');
  await page.goto('/products/cloud-connection');
  await hydrated(page);
  const configurator = page.locator('section.configurator');
  await expect(configurator.getByText('Choose an AWS, Azure or Google Cloud on-ramp as the far end')).toBeVisible();
  await configurator.getByLabel('From', { exact: true }).selectOption({ label: 'Digital Realty 350 East Cermak' });
  await configurator.getByLabel('To', { exact: true }).selectOption({ label: 'AWS us-east-1 (N. Virginia)' });
  await configurator.getByLabel('Option', { exact: true }).selectOption({ label: '1 Gbps' });
  const details = configurator.getByRole('group', { name: 'Your AWS details' });
  await expect(details).toBeVisible();
  // A cloud connection is ordered with its details, not kept in a design.
  await expect(configurator.getByRole('button', { name: 'Add to a design' })).toHaveCount(0);

  await details.getByLabel('AWS account id').fill('12345678901');
  await details.getByLabel('Your BGP AS number').fill('65001');
  await details.getByLabel("Your router's address").fill('169.254.20.1/30');
  await details.getByLabel("The cloud's address").fill('169.254.20.2/30');
  await expect(configurator.getByTestId('configured-monthly')).toHaveText(/^\$[0-9,]+\.\d\d$/);
  await configurator.getByRole('button', { name: 'Order now' }).click();
  await configurator.getByTestId('order-review').getByRole('button', { name: 'Place order' }).click();
  await expect(details.getByText('An AWS account id is exactly 12 digits')).toBeVisible();
  await expect(details.getByLabel('AWS account id')).toHaveAttribute('aria-invalid', 'true');
  await expect(details.getByLabel('Your BGP AS number')).toHaveValue('65001');

  await details.getByLabel('AWS account id').fill('123456789012');
  // Delivered in seconds (the demo network runs 1,000 times faster): the item links to its service.
  await orderAndOpenService(page);

  const banner = page.getByTestId('acceptance-banner');
  await expect(banner).toContainText(/Accept dxcon-[a-z0-9]{8} in the AWS console of account 123456789012/);
  const dxcon = ((await banner.textContent()) ?? '').match(/dxcon-[a-z0-9]{8}/)![0];
  await expect(page.getByTestId('bgp-state')).toHaveText('Idle');
  await expectAccessible(page);

  await banner.getByRole('link', { name: 'Open the simulated AWS console' }).click();
  await expect(page.getByRole('heading', { name: 'Cloud consoles', level: 1 })).toBeVisible();
  await hydrated(page);
  const aws = page.getByRole('region', { name: 'AWS: hosted connections' });
  const row = aws.getByRole('row').filter({ hasText: dxcon });
  await expect(row).toContainText('ordering');
  await expectAccessible(page);
  await row.getByRole('button', { name: `Accept ${dxcon}` }).click();
  await expect(row).toContainText('available');
  await expect(row.getByRole('button', { name: `Accept ${dxcon}` })).toHaveCount(0);

  await page.goBack();
  await hydrated(page);
  await expect(page.getByTestId('bgp-state')).toHaveText('Established', { timeout: 15_000 });
  await expect(page.getByTestId('acceptance-banner')).toHaveCount(0);
  await expect(page.getByTestId('cloud-routes').locator('li')).toHaveCount(2);
  // The router configuration opens as text with the buyer's session, the BGP key in it.
  const config = await page.request.get((await page.getByTestId('router-config').getAttribute('href'))!);
  expect(config.status()).toBe(200);
  const text = await config.text();
  expect(text).toContain('encapsulation dot1Q');
  expect(text).toContain('neighbor 169.254.20.2 remote-as 64512');
  expect(text).toMatch(/neighbor 169\.254\.20\.2 password \S{24}/);
});

test('a Google attachment made without pre-activation waits for its owner, who activates it in the simulated console', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signIn(page, 'grace@acme.example');
  const pairingKey = await createGoogleAttachment(page, '2', false);

  await page.goto('/products/cloud-connection');
  await hydrated(page);
  const configurator = page.locator('section.configurator');
  await configurator.getByLabel('From', { exact: true }).selectOption({ label: 'Digital Realty 350 East Cermak' });
  await configurator.getByLabel('To', { exact: true }).selectOption({ label: 'Google Cloud us-central1 via Chicago' });
  await configurator.getByLabel('Option', { exact: true }).selectOption({ label: '1 Gbps' });
  await configurator.getByRole('group', { name: 'Your Google Cloud details' }).getByLabel('Pairing key').fill(pairingKey);
  await orderAndOpenService(page);

  // Built, it waits unbilled in PENDING_CUSTOMER, and the page says where to activate it.
  const banner = page.getByTestId('acceptance-banner');
  await expect(banner).toContainText('Activate the attachment in your Google Cloud console (it is PENDING_CUSTOMER)');
  await expect(banner).toContainText('unless activated by');
  await expectAccessible(page);
  await banner.getByRole('link', { name: 'Open the simulated Google Cloud console' }).click();
  await expect(page.getByRole('heading', { name: 'Cloud consoles', level: 1 })).toBeVisible();
  await hydrated(page);
  const row = page
    .getByRole('region', { name: 'Your circuits and attachments' })
    .getByRole('row')
    .filter({ hasText: pairingKey });
  await expect(row).toContainText('PENDING_CUSTOMER');
  await expectAccessible(page);
  // By keyboard, as any button.
  const activate = row.getByRole('button', { name: `Activate attachment ${pairingKey}` });
  await activate.focus();
  await page.keyboard.press('Enter');
  await expect(activate).toHaveCount(0);
  await expect(row).toContainText('Yes');

  await page.goBack();
  await hydrated(page);
  await expect(page.getByTestId('acceptance-banner')).toHaveCount(0, { timeout: 15_000 });
  await expect(page.locator('section.cloud-connection')).toContainText('ACTIVE');
});
