import { test, expect, hydrated, signIn, openMenu, openMembers, signUpOwnOrganisation } from './fixtures';

// After signing out, the dashboard answers 401, which Chromium logs as a failed load.
test.use({ allowedConsoleErrors: [/status of 401/] });

test('a new buyer signs up, lands on an empty dashboard, and signs out', async ({ page }, testInfo) => {
  const email = `nia-${Date.now()}-${testInfo.project.name}@robotics.example`;
  await page.goto('/');
  await hydrated(page);
  await page.getByRole('link', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Your name').fill('Nia Okafor');
  await page.getByLabel('Company').fill('Nia Robotics');
  await page.getByLabel('Password', { exact: true }).fill('violet staple orbit lamp');
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('heading', { name: 'Welcome, Nia Okafor' })).toBeVisible();
  await expect(page.getByText('Nothing running yet')).toBeVisible();
  await openMenu(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Members', exact: true })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Price books' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await page.goto('/dashboard');
  await expect(page.getByRole('heading', { name: 'Please sign in' })).toBeVisible();
});

test('what someone types before the page hydrates is still there after it', async ({ page }) => {
  // Hold the wasm back so the form is plain server HTML while the person types.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/sign-in');
  await page.getByLabel('Email', { exact: true }).fill('grace@acme.example');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(0);
  release();
  await hydrated(page);
  await expect(page.getByLabel('Email', { exact: true })).toHaveValue('grace@acme.example');
  // And the hydrated form still signs in with it.
  await page.getByLabel('Password', { exact: true }).fill('lightpath-demo-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
});

test.describe('refusals', () => {
  // Refused submits and pages answer 4xx, which Chromium logs as failed resource loads.
  test.use({ allowedConsoleErrors: [/status of 4(01|03|04|22)/] });

  test('a weak password is explained beside the field and nothing typed is lost', async ({ page }) => {
    await page.goto('/sign-up');
    await hydrated(page);
    await page.getByLabel('Work email').fill('someone@weak.example');
    await page.getByLabel('Your name').fill('Sam Weak');
    await page.getByLabel('Company').fill('Weak Co');
    await page.getByLabel('Password', { exact: true }).fill('password1234');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.locator('#field-password-error')).toHaveText('That password is too common and easy to guess; choose another.');
    await expect(page.getByLabel('Password', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel('Work email')).toHaveValue('someone@weak.example');
    await expect(page.getByLabel('Company')).toHaveValue('Weak Co');
  });

  test('a wrong password says so without telling whether the email exists', async ({ page }) => {
    await page.goto('/sign-in');
    await hydrated(page);
    await page.getByLabel('Email', { exact: true }).fill('grace@acme.example');
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.locator('.form-problem')).toHaveText(
      'That email and password do not match an account. Check both and try again.',
    );
    await expect(page.getByLabel('Email', { exact: true })).toHaveValue('grace@acme.example');
  });

  test('a buyer cannot open an admin page or another organisation', async ({ browser, page }) => {
    // Globex's admin finds the address of Globex's members page…
    const globex = await browser.newContext();
    const hal = await globex.newPage();
    await signIn(hal, 'hal@globex.example');
    await openMenu(hal);
    const globexPage = await hal
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Members', exact: true })
      .getAttribute('href');
    await globex.close();
    expect(globexPage).toMatch(/^\/orgs\/[0-9a-f-]{36}$/);

    // …which an Acme buyer cannot open, exactly as if it did not exist.
    await signIn(page, 'grace@acme.example');
    await expect(page).toHaveURL(/\/dashboard$/);
    const response = await page.goto(globexPage!);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'We couldn’t find that' })).toBeVisible();

    const admin = await page.goto('/admin/price-books');
    expect(admin?.status()).toBe(403);
    await expect(page.getByRole('heading', { name: 'You don’t have access to this page' })).toBeVisible();
    await expect(page.getByText('Only Lightpath administrators can do this.')).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Price books' })).toHaveCount(0);
  });
});

test('after an org admin adds a buyer the form starts empty again', async ({ page }, testInfo) => {
  // A new organisation of its own, so the test shares nothing with the others.
  const { stamp } = await signUpOwnOrganisation(page, 'forms', testInfo.project.name);
  await openMembers(page);

  const email = page.getByLabel('Their work email');
  await email.fill(`buyer-${stamp}@forms.example`);
  await page.getByLabel('Their name').fill('Bea Buyer');
  await page.getByLabel('First password').fill('a-long-first-password-1');
  await page.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByTestId('invited')).toBeVisible();
  // Ready for the next buyer: nothing left from the last one, and never the word "undefined".
  await expect(email).toHaveValue('');
  await expect(page.getByLabel('Their name')).toHaveValue('');
  await expect(page.getByLabel('First password')).toHaveValue('');
  expect(await page.locator('input').evaluateAll((inputs) => inputs.filter((i) => (i as HTMLInputElement).value === 'undefined').length)).toBe(0);
});

test('on a phone the members table stacks, so Remove is on screen without scrolling sideways', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'a laptop shows the table as a table');
  await signIn(page, 'ada@acme.example');
  await openMenu(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Members' })).toBeVisible();
  const frame = page.locator('.table-wrap').filter({ hasText: 'ada@acme.example' });
  const [scroll, client] = await frame.evaluate((el) => [el.scrollWidth, el.clientWidth]);
  expect(scroll).toBeLessThanOrEqual(client + 1);
  const remove = await page.getByRole('button', { name: /^Remove / }).first().boundingBox();
  expect(remove!.x + remove!.width).toBeLessThanOrEqual(page.viewportSize()!.width);
});
