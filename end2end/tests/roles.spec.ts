// Finer roles and the organisation's own audit log: a finance member reads spend but is never
// offered an Order button; an org admin gives a new member a role, changes it, and finds the
// change in the organisation's audit log, filtered and exportable as CSV.
import {
  test,
  expect,
  hydrated,
  signIn,
  openMembers,
  orderWaveAndOpenService,
  signUpOwnOrganisation,
  expectAccessible,
} from './fixtures';

test('a finance member sees spend but no Order buttons', async ({ page, browser }) => {
  // Grace (technical) orders a wave, so Acme has a service with spend to read.
  await signIn(page, 'grace@acme.example');
  const servicePage = await orderWaveAndOpenService(page);

  // Fran (finance) in her own browser.
  const context = await browser.newContext({ baseURL: new URL(servicePage).origin, viewport: page.viewportSize() });
  const fran = await context.newPage();
  await signIn(fran, 'fran@acme.example');
  await expect(fran).toHaveURL(/\/dashboard$/);
  await fran.goto('/services');
  await hydrated(fran);
  await expect(fran.getByTestId('total-monthly')).toHaveText(/^\$[0-9,]+\.\d\d$/);
  await fran.goto(servicePage);
  await hydrated(fran);
  await expect(fran.getByTestId('service-monthly')).toHaveText(/^\$[0-9,]+\.\d\d$/);
  await expect(fran.getByRole('heading', { name: 'Change bandwidth' })).toHaveCount(0);
  await expect(fran.getByRole('button', { name: /Disconnect/ })).toHaveCount(0);

  // The product page prices but does not order for her, and says who orders.
  await fran.goto('/products/wavelengths-400g');
  await hydrated(fran);
  await expect(fran.getByText("Orders are placed by a customer organisation's technical members and admins")).toBeVisible();
  await expect(fran.getByRole('button', { name: 'Order now' })).toHaveCount(0);
  await context.close();
});

test('an org admin gives a member a role and reads the change in the audit log', async ({ page }, testInfo) => {
  // An organisation of its own, so no other test's members change role.
  const { stamp } = await signUpOwnOrganisation(page, 'roles', testInfo.project.name);
  await openMembers(page);

  await page.getByLabel('Their work email').fill(`finn-${stamp}@roles.example`);
  await page.getByLabel('Their name').fill('Finn Ledger');
  await page.getByLabel('First password').fill('a-long-first-password-1');
  await page.getByLabel('Their role').selectOption('finance');
  await page.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByTestId('invited')).toBeVisible();

  // Finn signs in once (an invitation becomes a member then), in a second browser context.
  const finn = await page.context().browser()!.newContext({ baseURL: new URL(page.url()).origin });
  const finnPage = await finn.newPage();
  await signIn(finnPage, `finn-${stamp}@roles.example`, 'a-long-first-password-1');
  await finn.close();

  await page.reload();
  await hydrated(page);
  const role = page.getByLabel('Role of Finn Ledger', { exact: true });
  await expect(role).toHaveValue('finance');
  await expectAccessible(page, 'the organisation page with role choices');
  await role.selectOption('read-only');
  await page.getByRole('button', { name: 'Save the role of Finn Ledger' }).click();
  await expect(page.getByLabel('Role of Finn Ledger', { exact: true })).toHaveValue('read-only');

  await page.getByRole('link', { name: 'Audit log' }).first().click();
  await expect(page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Action').selectOption('account');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/action=account/);
  const table = page.locator('table.audit');
  await expect(table.getByText('account.role')).toBeVisible();
  await expect(table.getByText('account.sign-in').first()).toBeVisible();
  await expectAccessible(page, "the organisation's audit log");
  const exportLink = page.getByRole('link', { name: 'Export as CSV' });
  await expect(exportLink).toHaveAttribute('href', /\/api\/v1\/organisations\/[0-9a-f-]{36}\/audit-log\.csv\?action=account/);
  const csv = await page.request.get((await exportLink.getAttribute('href'))!);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain('account.role');
});
