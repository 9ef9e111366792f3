// Approvals inside the customer: an org admin sets the amount over which orders wait; a
// technical member's order over it waits on its page, saying who placed it; that member
// cannot approve it, the admin can, and the order goes on.
import { test, expect, hydrated, signIn, openMembers, signUpOwnOrganisation, expectAccessible } from './fixtures';

test('an order over the approval amount waits for a second member', async ({ page }, testInfo) => {
  // An organisation of its own, so no other test's orders wait.
  const { stamp } = await signUpOwnOrganisation(page, 'approvals', testInfo.project.name);
  await openMembers(page);
  const tessEmail = `tess-${stamp}@approvals.example`;
  await page.getByLabel('Their work email').fill(tessEmail);
  await page.getByLabel('Their name').fill('Tess Technical');
  await page.getByLabel('First password').fill('a-long-first-password-2');
  await page.getByLabel('Their role').selectOption('buyer');
  await page.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByTestId('invited')).toBeVisible();
  // The page reads the organisation again after the change and draws its forms anew: the
  // invitation listed means it has, so the amount typed next is not drawn over.
  await expect(page.getByRole('button', { name: `Withdraw the invitation of ${tessEmail}` })).toBeVisible();

  await expect(page.getByTestId('approval-rule')).toContainText('Off');
  await page.getByLabel('Approval needed above, in dollars').fill('1');
  await page.getByRole('button', { name: 'Save the approval amount' }).click();
  await expect(page.getByTestId('approval-rule')).toContainText('over $1.00');

  // Tess orders a wave in her own browser: it waits, and she cannot approve it herself.
  const tessContext = await page
    .context()
    .browser()!
    .newContext({ baseURL: new URL(page.url()).origin, viewport: page.viewportSize() });
  const tess = await tessContext.newPage();
  await signIn(tess, tessEmail, 'a-long-first-password-2');
  await tess.goto('/products/wavelengths-400g');
  await hydrated(tess);
  const configurator = tess.locator('section.configurator');
  await configurator.getByLabel('From', { exact: true }).selectOption({ label: 'Digital Realty 350 East Cermak' });
  await configurator.getByLabel('To', { exact: true }).selectOption({ label: 'Equinix DC11 Ashburn' });
  await expect(configurator.getByTestId('configured-monthly')).toHaveText(/^\$[0-9,]+\.\d\d$/);
  await configurator.getByRole('button', { name: 'Order now' }).click();
  await configurator.getByTestId('order-review').getByRole('button', { name: 'Place order' }).click();
  await expect(tess).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  await expect(tess.getByTestId('order-state')).toContainText('Awaiting approval');
  await expect(tess.getByTestId('order-reason')).toContainText('other than Tess Technical');
  await expect(tess.getByTestId('approval')).toContainText('You placed this order');
  await expect(tess.getByRole('button', { name: 'Approve order' })).toHaveCount(0);
  const orderPage = tess.url();
  await tessContext.close();

  // Olu, the organisation's admin, approves it; it goes on to the credit check.
  await page.goto(orderPage);
  await hydrated(page);
  const panel = page.getByTestId('approval');
  await expect(panel.getByRole('heading', { name: 'Waiting for approval · placed by Tess Technical' })).toBeVisible();
  await expectAccessible(page, 'an order waiting for approval');
  // A rejection needs its reason: the browser asks for it before anything is sent.
  await page.getByRole('button', { name: 'Reject order' }).click();
  const why = page.getByLabel('Why reject it (Tess Technical reads this)');
  expect(await why.evaluate((field) => (field as HTMLTextAreaElement).validity.valueMissing)).toBe(true);
  await expect(page).toHaveURL(orderPage);
  await page.getByRole('button', { name: 'Approve order' }).click();
  await expect(page).toHaveURL(orderPage);
  await expect(page.getByTestId('order-state')).not.toContainText('Awaiting approval');
  await expect(page.getByTestId('approval')).toHaveCount(0);
  await expect(page.getByText('Approved by Olu Owner', { exact: false }).first()).toBeVisible();
});
