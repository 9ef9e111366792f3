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
  // Copy puts the secret on the clipboard and says so.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await shown.getByRole('button', { name: 'Copy' }).click();
  await expect(shown.getByRole('status')).toHaveText('Copied to the clipboard.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
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

// The reference is public: an integrator reads it before having a token.
test('the API reference lists every call and schema from the OpenAPI document', async ({ page, request }) => {
  const document = await (await request.get('/api/v1/openapi.json')).json();
  expect(document.openapi).toBe('3.1.0');
  await page.goto('/api-reference');
  await expect(page.getByRole('heading', { name: 'Lightpath REST API', level: 1 })).toBeVisible();
  const calls = page.getByRole('navigation', { name: 'Calls' });
  let operations = 0;
  for (const methods of Object.values(document.paths) as object[]) operations += Object.keys(methods).length;
  await expect(calls.getByRole('listitem')).toHaveCount(operations);
  await hydrated(page);
  await calls.getByRole('link', { name: 'POST /api/v1/orders', exact: true }).click();
  const order = page.locator('#post-api-v1-orders');
  await expect(order).toBeInViewport();
  await expect(order).toContainText('Idempotency-Key (header)');
  await order.getByRole('link', { name: 'OrderInput' }).click();
  await expect(page.locator('#schema-OrderInput')).toBeInViewport();
  await expect(page.locator('#schema-Problem')).toContainText('detail');
});
