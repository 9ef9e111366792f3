// Passkeys: a person adds one on their account page and from then on signs in with it alone
// (email, then the device) or as the second step after their password, and removes it. The
// device is Chromium's virtual authenticator (a platform authenticator with user
// verification, as a laptop's fingerprint reader would be). Passkeys are bound to a host
// name, never an IP address, so this test reaches the portal as localhost.
import { test, expect, hydrated, expectAccessible, passwordStep, signUpOwnOrganisation } from './fixtures';

test('a person adds a passkey, signs in with it alone and after a password, and removes it', async ({ page, baseURL }, testInfo) => {
  const site = baseURL!.replace('127.0.0.1', 'localhost');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });

  const { email, password } = await signUpOwnOrganisation(page, 'passkeys', testInfo.project.name, site);

  // Adding one: a name, then the device.
  await page.goto(`${site}/account`);
  await hydrated(page);
  await page.getByLabel('Name this passkey').fill('Test laptop');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(page.getByTestId('passkeys')).toContainText('Test laptop');
  await expect(page.getByTestId('passkeys')).toContainText('never used yet');
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(credentials).toHaveLength(1);
  await expectAccessible(page, 'the account page with a passkey');

  // Signing in with it alone: the email, then the passkey.
  await page.context().clearCookies();
  await page.goto(`${site}/sign-in`);
  await hydrated(page);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  // A right password now waits for a second step, which the passkey answers.
  await passwordStep(page, email, password, site);
  await expectAccessible(page, 'the second step');
  await page.getByRole('button', { name: 'Use your passkey' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  // Removing it (the passkey was just used, so no fresh proof is asked for).
  await page.goto(`${site}/account`);
  await hydrated(page);
  await expect(page.getByTestId('passkeys')).toContainText('last used');
  await page.getByRole('button', { name: 'Remove the passkey Test laptop' }).click();
  await expect(page.getByText('The passkey is removed.')).toBeVisible();
  await expect(page.getByTestId('passkeys')).toHaveCount(0);

  // An address without a passkey: the device has none to offer, and the page says so.
  await page.context().clearCookies();
  await page.goto(`${site}/sign-in`);
  await hydrated(page);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'No passkey answered' })).toBeVisible({ timeout: 20_000 });
  await expect(page).toHaveURL(/\/sign-in/);
});
