// Two-step sign-in: a person sets up an authenticator app on their account page (the QR code,
// the key to type, a first code), keeps the recovery codes shown once, and from then on signs
// in with their password and a code. The codes are computed here as a phone would (RFC 6238).
import { createHmac } from 'node:crypto';
import { test, expect, hydrated, signUpOwnOrganisation, expectAccessible } from './fixtures';

// A wrong code is answered 422, which the browser logs.
test.use({ allowedConsoleErrors: [/status of 422/] });

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
  await page.context().clearCookies();
  await page.goto('/sign-in');
  await hydrated(page);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/sign-in\/code/);
  await expect(page.getByRole('heading', { name: 'Enter your code' })).toBeVisible();
  await hydrated(page);
  await expectAccessible(page, 'the sign-in code page');
  // The code that turned the app on was used: the next one signs in.
  await page.getByLabel('Code').fill(totp(secret, step + 1));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
});
