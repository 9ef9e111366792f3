// A buyer designs a two-cloud workload (AWS us-east-1 and Google us-central1 from a Chicago
// data centre), gets a cloud router and a cloud connection per cloud recommended, orders the
// router and then each connection from the design's links with the cloud's details, accepts
// the AWS side in the simulated AWS console, and sees the router learn both clouds' routes; a
// deny line in the Google attachment's filter takes one prefix out. The router's page passes axe.
import AxeBuilder from '@axe-core/playwright';
import { test, expect, createGoogleAttachment, hydrated, orderAndOpenService, signIn } from './fixtures';
import type { Page } from '@playwright/test';

async function expectAccessible(page: Page) {
  await page.waitForLoadState('networkidle');
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map((violation) => violation.id)).toEqual([]);
}

test('a buyer joins AWS and Google Cloud through a recommended cloud router and filters its routes', async ({ page }) => {
  // Three deliveries, each waiting its turn behind the other tests' orders.
  test.setTimeout(240_000);
  // Each project its own data centre, so runs side by side each find their own router there.
  const hub = test.info().project.name === 'phone' ? 'chi-dc-2' : 'chi-dc-1';
  await signIn(page, 'grace@acme.example');

  // The Google side first, as in Google Cloud: a Partner Interconnect attachment's pairing key.
  const pairingKey = await createGoogleAttachment(page, '1');

  // The design: multi-cloud access to two clouds from one data centre.
  await page.goto('/designs/new');
  await hydrated(page);
  await page.getByLabel('Design name').fill(`Two clouds ${Date.now()}`);
  await page.getByLabel(/Multi-cloud access/).check();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { name: 'Multi-cloud access' })).toBeVisible();
  await page.getByLabel(/AWS us-east-1 \(N\. Virginia\)/).check();
  await page.getByLabel(/Google Cloud us-central1 via Chicago/).check();
  await page.getByLabel('Add a data centre or metro').selectOption({ value: hub });
  await page.getByRole('button', { name: 'Add site' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'See recommendations' }).click();

  const better = page.locator('article.bundle[data-tier="better"]');
  await expect(better.locator('.item-title').filter({ hasText: /^Cloud Router/ })).toHaveCount(1);
  await expect(better.locator('.item-title').filter({ hasText: /^Cloud Connection/ })).toHaveCount(2);
  await expect(better.getByTestId('cloud-note')).toBeVisible();
  const steps = better.getByTestId('cloud-step');
  await expect(steps).toHaveCount(3);
  const routerLink = (await better.getByRole('link', { name: 'Order this cloud router first' }).getAttribute('href'))!;
  const links = await better.getByRole('link', { name: "Order with your cloud's details" }).evaluateAll((anchors) =>
    anchors.map((anchor) => anchor.getAttribute('href')!),
  );
  const awsLink = links.find((href) => href.includes('z_end=aws-us-east-1'))!;
  const googleLink = links.find((href) => href.includes('z_end=gcp-us-central1'))!;
  expect(awsLink).toContain('router=auto');

  // 1. The router, from its link: the site and rate limit come with it.
  await page.goto(routerLink);
  await hydrated(page);
  await expect(page.locator('section.configurator').getByLabel('Site', { exact: true })).toHaveValue(hub);
  const routerPage = await orderAndOpenService(page);
  await expect(page.getByRole('heading', { name: 'Cloud router', exact: true })).toBeVisible();
  await expect(page.getByTestId('no-attachments')).toBeVisible();

  // 2. AWS, attached to the router the link asks for: its side is the router, no ASN to type.
  await page.goto(awsLink);
  await hydrated(page);
  const configurator = page.locator('section.configurator');
  const aws = configurator.getByRole('group', { name: 'Your AWS details' });
  await expect(aws.getByLabel('Your side')).toHaveValue(routerPage.split('/').pop()!);
  await aws.getByLabel('AWS account id').fill('123456789012');
  await aws.getByLabel("Your router's address").fill('169.254.30.1/30');
  await aws.getByLabel("The cloud's address").fill('169.254.30.2/30');
  await orderAndOpenService(page);
  await expect(page.getByTestId('attached-router')).toBeVisible();
  const banner = page.getByTestId('acceptance-banner');
  const dxcon = ((await banner.textContent()) ?? '').match(/dxcon-[a-z0-9]{8}/)![0];

  // 3. Google, by its pairing key.
  await page.goto(googleLink);
  await hydrated(page);
  const googleDetails = page.locator('section.configurator').getByRole('group', { name: 'Your Google Cloud details' });
  await googleDetails.getByLabel('Pairing key').fill(pairingKey);
  await orderAndOpenService(page);

  // Accepted in the simulated AWS console.
  await page.goto('/clouds');
  await hydrated(page);
  const row = page.getByRole('region', { name: 'AWS: hosted connections' }).getByRole('row').filter({ hasText: dxcon });
  await row.getByRole('button', { name: `Accept ${dxcon}` }).click();
  await expect(row).toContainText('available');

  // The router learned both regions' prefixes, two each.
  await page.goto(routerPage);
  await hydrated(page);
  const routes = page.getByTestId('router-routes').locator('tbody tr');
  await expect(routes).toHaveCount(4);
  await expect(page.getByTestId('attachment')).toHaveCount(2);
  await expect(page.getByTestId('attachment').filter({ hasText: 'BGP established' })).toHaveCount(2);
  await expectAccessible(page);

  // A deny line on the Google attachment takes its first prefix out of the table.
  const googleAttachment = page.getByTestId('attachment').filter({ hasText: 'Google Cloud us-central1' });
  const denied = (await routes.filter({ hasText: 'Google Cloud' }).first().locator('code').textContent())!.trim();
  await googleAttachment.getByLabel('Prefix filter').fill(`deny ${denied}\npermit 0.0.0.0/0 le 32`);
  await googleAttachment.getByRole('button', { name: 'Save filter' }).click();
  await expect(routes).toHaveCount(3);
  await expect(page.getByTestId('router-routes')).not.toContainText(denied);
  await expect(googleAttachment.getByLabel('Prefix filter')).toHaveValue(`deny ${denied}\npermit 0.0.0.0/0 le 32`);
});
