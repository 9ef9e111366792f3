// Single sign-on: an organisation's admin registers its OpenID Connect provider (a real one on
// loopback, oidc-provider-mock, started here), runs the test sign-in and reads what the
// provider sent, and switches it on; then a new colleague signs in through the provider from
// the sign-in page and appears among the members with the role their group maps to.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { test, expect, hydrated, openMembers, signUpOwnOrganisation, expectAccessible } from './fixtures';

let provider: ChildProcess | undefined;
let providerUrl = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

test.beforeAll(async () => {
  const program =
    process.env.LIGHTPATH_TEST_OIDC_PROVIDER ??
    path.resolve(__dirname, '../../target/oidc-provider-venv/bin/oidc-provider-mock');
  const port = await freePort();
  provider = spawn(program, ['--port', String(port), '--require-nonce', 'true'], { stdio: 'ignore' });
  providerUrl = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      if ((await fetch(`${providerUrl}/.well-known/openid-configuration`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the OpenID Connect provider ${program} did not start: run scripts/oidc-provider.sh`);
});

test.afterAll(() => {
  provider?.kill();
});

/** Tells the provider who `subject` is. */
async function person(subject: string, claims: Record<string, unknown>) {
  const answer = await fetch(`${providerUrl}/users/${encodeURIComponent(subject)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(claims),
  });
  expect(answer.status).toBe(204);
}

test('an org admin sets up single sign-on and a colleague signs in through it', async ({ page }, testInfo) => {
  // The provider's own pages load a stylesheet from a CDN this machine cannot reach.
  await page.context().route('https://cdn.jsdelivr.net/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/css', body: '' }),
  );
  // A domain of its own: an email domain belongs to one organisation's provider only.
  const prefix = `sso${testInfo.project.name}${Date.now() % 100_000_000}`;
  const { email } = await signUpOwnOrganisation(page, prefix, testInfo.project.name);
  const domain = email.split('@')[1];
  await openMembers(page);

  const card = page.locator('#sso');
  await expect(card.getByTestId('sso-status')).toContainText('Not set up');
  await expect(card.getByTestId('sso-redirect')).toHaveText(/\/sso\/callback$/);
  await card.getByLabel('Issuer URL').fill(providerUrl);
  await card.getByLabel('Client id').fill('lightpath-e2e');
  await card.getByLabel('Client secret').fill('e2e-client-secret');
  await card.getByLabel('Email domains').fill(domain);
  await card.getByLabel('Roles from the provider’s groups').fill('network-team = technical');
  await card.getByLabel('People who are not members yet').selectOption('read-only');
  await card.getByRole('button', { name: 'Save the provider' }).click();
  await expect(card.getByTestId('sso-status')).toContainText('not tested yet');

  // The test sign-in goes to the provider and back, and shows what it sent.
  await person('owner-sub', { email, email_verified: true, name: 'Olu Owner', groups: ['admins'] });
  await card.getByRole('link', { name: 'Test sign-in' }).click();
  await expect(page.getByRole('heading', { name: 'Authorize Client' })).toBeVisible();
  await page.getByPlaceholder('sub').fill('owner-sub');
  await page.getByRole('button', { name: 'Authorize' }).click();
  await expect(page).toHaveURL(/\/orgs\/[0-9a-f-]{36}\?sso=tested/);
  await hydrated(page);
  await expect(page.getByText('Test sign-in succeeded')).toBeVisible();
  await expect(page.getByTestId('sso-claims')).toContainText(email);
  await expect(page.getByTestId('sso-claims')).toContainText('admins');
  await expectAccessible(page, 'the organisation page with single sign-on tested');

  await card.getByLabel('Single sign-on', { exact: true }).selectOption('on');
  await card.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(card.getByTestId('sso-status')).toContainText('On: members may sign in');

  // A colleague who is not a member yet signs in through the provider.
  await person('lin-sub', {
    email: `lin@${domain}`,
    email_verified: true,
    name: 'Lin Park',
    groups: ['network-team'],
  });
  const linContext = await page
    .context()
    .browser()!
    .newContext({ baseURL: new URL(page.url()).origin, viewport: page.viewportSize() });
  await linContext.route('https://cdn.jsdelivr.net/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/css', body: '' }),
  );
  const lin = await linContext.newPage();
  await lin.goto('/sign-in');
  await hydrated(lin);
  await lin.getByLabel('Work email').fill(`lin@${domain}`);
  await lin.getByRole('button', { name: 'Sign in with single sign-on' }).click();
  await expect(lin.getByRole('heading', { name: 'Authorize Client' })).toBeVisible();
  await lin.getByPlaceholder('sub').fill('lin-sub');
  await lin.getByRole('button', { name: 'Authorize' }).click();
  await expect(lin).toHaveURL(/\/dashboard$/);
  await linContext.close();

  await page.reload();
  await hydrated(page);
  const row = page.getByRole('row').filter({ hasText: 'Lin Park' });
  await expect(row).toContainText(`lin@${domain}`);
  await expect(row.getByLabel('Role of Lin Park', { exact: true })).toHaveValue('buyer');
});

test('the sign-in page says when single sign-on is not set up for an address', async ({ page }) => {
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Work email').fill('someone@no-sso.example');
  await page.getByRole('button', { name: 'Sign in with single sign-on' }).click();
  await expect(page).toHaveURL(/\/sign-in\?sso=not-set-up/);
  await expect(page.getByRole('alert').filter({ hasText: 'not set up' })).toBeVisible();
  await expect(page.getByLabel('Work email')).toHaveValue('someone@no-sso.example');
});
