// Configure-and-order from a product page: the buyer who knows what they want picks the ends,
// the rate and the term, sees the price follow in the browser and the path on the map, and
// orders it.
import { test, expect, designTraining, hydrated, openMenu, signIn } from './fixtures';

test('a buyer configures a 100 Gbps wave Chicago → Ashburn, re-prices the term in the browser and orders it', async ({ page }) => {
  await signIn(page, 'grace@acme.example');
  await page.goto('/products/wavelengths-400g');
  await hydrated(page);
  const configurator = page.locator('section.configurator');
  await expect(configurator.getByRole('heading', { name: 'Configure and order' })).toBeVisible();
  await configurator.getByLabel('From', { exact: true }).selectOption({ label: 'Digital Realty 350 East Cermak' });
  await configurator.getByLabel('To', { exact: true }).selectOption({ label: 'Equinix DC11 Ashburn' });
  await configurator.getByLabel('Option', { exact: true }).selectOption({ label: '100 Gbps' });
  await configurator.getByLabel('Term', { exact: true }).selectOption({ label: '12 months' });

  const monthly = configurator.getByTestId('configured-monthly');
  await expect(monthly).toHaveText(/^\$[0-9,]+\.\d\d$/);
  await expect(configurator.getByTestId('configured-path')).toContainText('route-km');
  // Spans by their metros' names, not their internal ids.
  await expect(configurator.getByTestId('configured-path')).toContainText('via Ashburn – Chicago');
  await expect(configurator.getByText('On-net').first()).toBeVisible();
  expect(await configurator.locator('.span-path').count()).toBeGreaterThan(0);

  // The term is priced in the browser: the price changes and nothing is asked of the server.
  const at12 = (await monthly.textContent()) ?? '';
  const calls: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/api/')) calls.push(request.url());
  });
  await configurator.getByLabel('Term', { exact: true }).selectOption({ label: '36 months' });
  await expect(monthly).not.toHaveText(at12);
  const dollars = (text: string) => Number(text.replace(/[$,]/g, ''));
  expect(dollars((await monthly.textContent()) ?? '')).toBeLessThan(dollars(at12));
  expect(calls, 'switching the term asked the server').toEqual([]);

  // Order now opens a review: nothing is ordered until Place order, and focus goes to it.
  const orderNow = configurator.getByRole('button', { name: 'Order now' });
  await orderNow.click();
  const review = configurator.getByTestId('order-review');
  await expect(review.getByRole('heading', { name: 'Review your order' })).toBeFocused();
  await expect(review).toContainText('36-month term');
  // Over the term: 36 months at the price shown, plus the one-time charges.
  const figure = async (id: string) =>
    dollars(((await review.getByTestId(id).textContent()) ?? '').split(' ')[0].replace(/,$/, ''));
  const total = await figure('commitment-total');
  const oneTime = await figure('commitment-one-time');
  expect(total).toBeCloseTo(dollars((await monthly.textContent()) ?? '') * 36 + oneTime, 2);
  await expect(review.getByTestId('commitment-fee')).toContainText('Up to $');
  await expect(review).toContainText('Capacity held for you');
  expect(calls.filter((url) => url.includes('order')), 'opening the review ordered nothing').toEqual([]);
  // Escape closes it and puts focus back on the button that opened it.
  await page.keyboard.press('Escape');
  await expect(review).toHaveCount(0);
  await expect(orderNow).toBeFocused();
  await orderNow.click();
  await review.getByLabel('Your purchase-order reference (optional)').fill('PO-4500012345');
  await review.getByRole('button', { name: 'Place order' }).click();
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('400G Wavelengths 100 Gbps');
  await expect(page.getByTestId('purchase-order')).toHaveText('Your purchase order: PO-4500012345');
});

test.describe('refusals', () => {
  // The refused route answers 422, which the browser logs.
  test.use({ allowedConsoleErrors: [/status of 422/] });

  test('a configuration the network cannot serve says why beside the field, and asks for what is missing', async ({ page }) => {
    await signIn(page, 'grace@acme.example');
    await page.goto('/products/colocation');
    await hydrated(page);
    const configurator = page.locator('section.configurator');
    await configurator.getByLabel('Site', { exact: true }).selectOption({ label: 'Equinix DC11 Ashburn' });
    await configurator.getByLabel('Option', { exact: true }).selectOption({ label: 'Cabinet, high density (15 kW+)' });
    await configurator.getByLabel('Racks', { exact: true }).fill('2');
    await configurator.getByLabel('Power (kW)', { exact: true }).fill('');
    await expect(configurator.getByText('Power (kW) is at least 1')).toBeVisible();
    await expect(configurator.getByRole('button', { name: 'Order now' })).toBeDisabled();
    await configurator.getByLabel('Power (kW)', { exact: true }).fill('40');
    // 2 racks at $350 and 40 kW at $230 less the 12-month uplift of 10 %: 12 months is first.
    await expect(configurator.getByTestId('configured-monthly')).toHaveText('$10,890.00');

    await page.goto('/products/dark-fiber');
    await hydrated(page);
    await configurator.getByLabel('From', { exact: true }).selectOption({ label: 'Digital Realty 350 East Cermak' });
    await configurator.getByLabel('To', { exact: true }).selectOption({ label: 'Equinix DC11 Ashburn' });
    // Dark fiber's options are only distance bands: nothing to choose, the route decides.
    await expect(configurator.getByLabel('Option', { exact: true })).toHaveCount(0);
    await expect(configurator.getByText('The distance band follows the route')).toBeVisible();
    await expect(configurator.locator('.bundle-items .item-title')).toContainText('Regional / long-haul');
  });
});

test('a signed-out visitor is asked to sign in to configure', async ({ page }) => {
  await page.goto('/products/wavelengths-400g');
  await hydrated(page);
  const configurator = page.locator('section.configurator');
  await expect(configurator.getByRole('link', { name: 'Sign in' })).toHaveAttribute(
    'href',
    '/sign-in?next=%2Fproducts%2Fwavelengths-400g',
  );
});

test('a sales engineer adds a catalog item to a quote and the total follows in the browser', async ({ browser }) => {
  test.setTimeout(90_000);
  const buyer = await browser.newPage();
  await signIn(buyer, 'grace@acme.example');
  const name = `Quote plus a wave ${Date.now()}`;
  await designTraining(buyer, name);
  const better = buyer.locator('article.bundle[data-tier="better"]');
  await better.getByRole('button', { name: 'Request a quote' }).click();
  // The answer shows beside the button pressed, not at the top of the wizard.
  await expect(better.getByText('our sales engineers will pick it up')).toBeVisible();
  // The buyer's quotes page lists the request as waiting.
  await buyer.goto('/quotes');
  await hydrated(buyer);
  const waiting = buyer.getByTestId('quote-requests');
  await expect(waiting.getByRole('heading', { name: /Waiting for a quote/ })).toBeVisible();
  await expect(waiting.getByRole('listitem').filter({ hasText: name })).toContainText('Requested');

  // Sales engineers see the open requests counted in the header and queued on Quotes.
  const sales = await browser.newPage();
  await signIn(sales, 'sales@lightpath.example');
  await openMenu(sales);
  await expect(sales.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Quotes \(\d+\)$/ })).toBeVisible();
  await sales.goto('/quotes');
  await hydrated(sales);
  const queue = sales.getByTestId('quote-requests');
  await expect(queue.getByRole('heading', { name: /Quote requests \(\d+\)/ })).toBeVisible();
  await queue.getByRole('listitem').filter({ hasText: name }).getByRole('link', { name: 'Quote it' }).click();
  await expect(sales.getByRole('heading', { name: 'New quote' })).toBeVisible();
  await hydrated(sales);
  const before = (await sales.getByTestId('quote-net').textContent()) ?? '';

  await sales.getByText('Add an item from the catalog').click();
  await sales.getByLabel('Product', { exact: true }).selectOption({ label: '400G Wavelengths' });
  const adding = sales.locator('.add-item .configurator');
  await adding.getByLabel('From', { exact: true }).selectOption({ label: 'Digital Realty 350 East Cermak' });
  await adding.getByLabel('To', { exact: true }).selectOption({ label: 'Equinix DC11 Ashburn' });
  await adding.getByLabel('Option', { exact: true }).selectOption({ label: '10 Gbps' });
  await expect(adding.getByTestId('configured-monthly')).toHaveText(/^\$/);
  await adding.getByRole('button', { name: 'Add to the quote' }).click();

  const added = sales.locator('ul.added-items');
  await expect(added).toContainText('400G Wavelengths 10 Gbps');
  await expect(sales.getByTestId('quote-net')).not.toHaveText(before);
  const withOne = (await sales.getByTestId('quote-net').textContent()) ?? '';
  await added.getByLabel('Copies').fill('2');
  await expect(sales.getByTestId('quote-net')).not.toHaveText(withOne);
  await sales.getByRole('button', { name: 'Save quote' }).click();
  await expect(sales).toHaveURL(/\/quotes\/[0-9a-f-]{36}$/);
  await expect(sales.getByText('2 × 400G Wavelengths 10 Gbps').first()).toBeVisible();
});

test('a buyer keeps a configured product in a new design, where it is listed and recommended with the bundles', async ({ page }) => {
  await signIn(page, 'grace@acme.example');
  await page.goto('/products/colocation');
  await hydrated(page);
  const configurator = page.locator('section.configurator');
  await configurator.getByLabel('Site', { exact: true }).selectOption({ label: 'Equinix DC11 Ashburn' });
  await configurator.getByLabel('Racks', { exact: true }).fill('3');
  await expect(configurator.getByTestId('configured-monthly')).toHaveText(/^\$/);
  await configurator.getByRole('button', { name: 'Add to a design' }).click();
  await expect(page).toHaveURL(/\/designs\/[0-9a-f-]{36}$/);
  await hydrated(page);
  const chosen = page.locator('section.chosen-items');
  // Named as a person reads it, not by the catalog's and the network's ids.
  await expect(chosen).toContainText('Colocation Cabinet, standard density · Equinix DC11 Ashburn');
  await expect(chosen).not.toContainText('ash-dc-2');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'See recommendations' }).click();
  await expect(page.locator('article.bundle')).toHaveCount(3);
  await expect(page.locator('article.bundle[data-tier="better"]')).toContainText('Colocation Cabinet, standard density · Equinix DC11 Ashburn');
});
