// Two-step sign-in: a person sets up an authenticator app on their account page (the QR code,
// the key to type, a first code), keeps the recovery codes shown once, and from then on signs
// in with their password and a code. The codes are computed here as a phone would (RFC 6238).
import { createHmac } from 'node:crypto';
import { test, expect, hydrated, signUpOwnOrganisation, expectAccessible, passwordStep } from './fixtures';

// A wrong code is answered 422, and a token asked for before confirming 403: the browser logs both.
test.use({ allowedConsoleErrors: [/status of (403|422)/] });

function base32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text.replace(/=+$/, '')) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

function totp(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return ((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).toString().padStart(6, '0');
}

test('a person sets up an authenticator app and then signs in with a code', async ({ page }, testInfo) => {
  const { email, password } = await signUpOwnOrganisation(page, 'twostep', testInfo.project.name);

  await page.goto('/account');
  await hydrated(page);
  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  await expect(page.getByRole('img', { name: 'QR code of your new authenticator key' })).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expectAccessible(page, 'the account page setting up an authenticator');

  // A wrong code is refused beside the field; the right one turns it on.
  const codeField = page.getByLabel('The code your app shows');
  await codeField.fill('12345');
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByText(/Enter the 6-digit code your authenticator app shows/)).toBeVisible();
  const step = Math.floor(Date.now() / 30_000);
  await codeField.fill(totp(secret, step));
  await page.getByRole('button', { name: 'Turn on' }).click();
  const codes = page.getByTestId('recovery-codes');
  await expect(codes).toBeVisible();
  await expect(codes.locator('li')).toHaveCount(10);
  await expect(page.getByText(/On since .* 10 recovery codes left/)).toBeVisible();

  // Signing in now asks for a code after the password.
  await passwordStep(page, email, password);
  await expectAccessible(page, 'the sign-in code page');
  // The code that turned the app on was used: the next one signs in.
  await page.getByLabel('Code').fill(totp(secret, step + 1));
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("a session that has not entered a code lately confirms it's you before making a token", async ({ page, browser }, testInfo) => {
  const { email, password } = await signUpOwnOrganisation(page, 'confirm', testInfo.project.name);
  // A second session of the same person, opened before the authenticator exists.
  const other = await browser.newContext({ baseURL: new URL(page.url()).origin, viewport: page.viewportSize() });
  const laptop = await other.newPage();
  await laptop.goto('/sign-in');
  await hydrated(laptop);
  await laptop.getByLabel('Email', { exact: true }).fill(email);
  await laptop.getByLabel('Password', { exact: true }).fill(password);
  await laptop.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(laptop).toHaveURL(/\/dashboard$/);

  // The authenticator is set up in the first session.
  await page.goto('/account');
  await hydrated(page);
  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  const step = Math.floor(Date.now() / 30_000);
  await page.getByLabel('The code your app shows').fill(totp(secret, step));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByTestId('recovery-codes')).toBeVisible();

  // The other session is asked for a code before a token; a wrong one says so.
  await laptop.goto('/api-tokens');
  await hydrated(laptop);
  const confirm = laptop.getByTestId('confirm-its-you');
  await expect(confirm.getByRole('heading', { name: "Confirm it's you" })).toBeVisible();
  await expectAccessible(laptop, "the API tokens page asking to confirm it's you");
  await laptop.getByLabel('Name').fill('deploys');
  await laptop.getByRole('button', { name: 'Create token' }).click();
  await expect(laptop.getByText(/needs a fresh second factor/)).toBeVisible();
  await laptop.getByLabel('Code from your authenticator app').fill(totp(secret, step) === '000000' ? '111111' : '000000');
  await laptop.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expect(laptop).toHaveURL(/\/api-tokens\?confirm=wrong#confirm$/);
  await expect(confirm.getByRole('alert')).toContainText('did not count');

  // The next code confirms: the card goes and the token is made.
  await laptop.getByLabel('Code from your authenticator app').fill(totp(secret, step + 1));
  await laptop.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expect(laptop).toHaveURL(/\/api-tokens$/);
  await hydrated(laptop);
  await expect(confirm).toHaveCount(0);
  await laptop.getByLabel('Name').fill('deploys');
  await laptop.getByRole('button', { name: 'Create token' }).click();
  await expect(laptop.getByTestId('new-token')).toContainText('shown only once');
  await other.close();
});
