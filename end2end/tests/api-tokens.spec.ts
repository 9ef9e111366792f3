import { test, expect, hydrated, signIn } from './fixtures';

// An organisation's admin makes an API token, sees it once, uses it, and revokes it.
test('an org admin creates a token, sees it once, and revokes it', async ({ page, request }, testInfo) => {
  const name = `Pipeline ${testInfo.project.name} ${Date.now()}`;
  await signIn(page, 'ada@acme.example');
  await page.goto('/account');
  await page.getByRole('link', { name: 'Manage API tokens' }).click();
  await expect(page.getByRole('heading', { name: 'API tokens', level: 1 })).toBeVisible();
  await hydrated(page);

  await page.getByLabel('Name').fill(name);
  await page.getByLabel('What it may do').selectOption('full');
  await page.getByRole('button', { name: 'Create token' }).click();
  const shown = page.getByTestId('new-token');
  await expect(shown).toContainText('shown only once');
  const secret = (await shown.locator('code.secret').textContent())?.trim() ?? '';
  expect(secret).toMatch(/^lpt_[0-9a-f]{8}_[0-9a-f]{64}$/);
  const row = page.getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('Live');
  await expect(row).toContainText(secret.slice(0, 12));

  // The token works for the REST API…
  const orders = await request.get('/api/v1/orders', { headers: { Authorization: `Bearer ${secret}` } });
  expect(orders.status()).toBe(200);
  expect(orders.headers()['x-total-count']).toBeDefined();

  // …until it is revoked; a reload never shows the secret again.
  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  await expect(row).toContainText('Revoked');
  const refused = await request.get('/api/v1/orders', { headers: { Authorization: `Bearer ${secret}` } });
  expect(refused.status()).toBe(401);
  await page.reload();
  await expect(page.getByRole('row').filter({ hasText: name })).toContainText('Revoked');
  await expect(page.getByText(secret)).toHaveCount(0);
});
