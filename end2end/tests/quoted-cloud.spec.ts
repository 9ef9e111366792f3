// A quote that holds a cloud connection: the sales engineer adds an AWS connection to a
// requested quote and sends it; the buyer accepts it (everything else is ordered), finds the
// connection waiting for their cloud's details on the quote, gives the AWS account on its page
// by keyboard and orders it at the quoted price; the connection then waits for acceptance in
// AWS. The quote and the item's page pass axe.
import { test, expect, designTraining, expectAccessible, hydrated, signIn } from './fixtures';

// The refused account answers 422, which the browser logs.
test.use({ allowedConsoleErrors: [/status of 422/] });

test("a buyer accepts a quote holding a cloud connection and orders it with the cloud's details", async ({ page: buyer, browser }) => {
  test.setTimeout(180_000);
  await signIn(buyer, 'grace@acme.example');
  const name = `Quote with a cloud ${Date.now()}`;
  await designTraining(buyer, name);
  const better = buyer.locator('article.bundle[data-tier="better"]');
  await better.getByRole('button', { name: 'Request a quote' }).click();
  await expect(better.getByText('our sales engineers will pick it up')).toBeVisible();

  // The sales engineer quotes it with an AWS connection added, and sends it.
  const sales = await browser.newPage();
  await signIn(sales, 'sales@lightpath.example');
  await sales.goto('/quotes');
  await hydrated(sales);
  await sales.getByTestId('quote-requests').getByRole('listitem').filter({ hasText: name }).getByRole('link', { name: 'Quote it' }).click();
  await expect(sales.getByRole('heading', { name: 'New quote' })).toBeVisible();
  await hydrated(sales);
  await sales.getByText('Add an item from the catalog').click();
  await sales.getByLabel('Product', { exact: true }).selectOption({ label: 'Cloud Connection' });
  const adding = sales.locator('.add-item .configurator');
  await adding.getByLabel('From', { exact: true }).selectOption({ label: 'Digital Realty 350 East Cermak' });
  await adding.getByLabel('To', { exact: true }).selectOption({ label: 'AWS us-east-1 (N. Virginia)' });
  await adding.getByLabel('Option', { exact: true }).selectOption({ label: '1 Gbps' });
  await expect(adding.getByTestId('configured-monthly')).toHaveText(/^\$/);
  await adding.getByRole('button', { name: 'Add to the quote' }).click();
  await expect(sales.locator('ul.added-items')).toContainText('Cloud Connection');
  await sales.getByRole('button', { name: 'Save quote' }).click();
  await expect(sales).toHaveURL(/\/quotes\/[0-9a-f-]{36}$/);
  const quoteUrl = new URL(sales.url()).pathname;
  await hydrated(sales);
  await sales.getByRole('button', { name: 'Send to customer' }).click();
  await expect(sales.getByTestId('quote-state')).toContainText('Sent');

  // The buyer accepts: the acceptance orders the rest, and says what waits.
  await buyer.goto(quoteUrl);
  await hydrated(buyer);
  await buyer.getByRole('button', { name: 'Accept and order' }).click();
  await buyer.getByTestId('order-review').getByRole('button', { name: 'Place order' }).click();
  await expect(buyer).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  // The timeline says what waits (the live region may repeat the latest event).
  await expect(buyer.locator('ol').getByText(/Waiting for your clouds' details, at the quoted price/)).toBeVisible();

  await buyer.goto(quoteUrl);
  await hydrated(buyer);
  const waiting = buyer.getByTestId('cloud-items');
  await expect(buyer.getByRole('heading', { name: "Waiting for your clouds' details" })).toBeVisible();
  await expect(waiting.getByRole('listitem')).toHaveCount(1);
  await expectAccessible(buyer, 'the accepted quote');
  await waiting.getByRole('link', { name: 'Give the details and order' }).click();
  await expect(buyer).toHaveURL(/\/quotes\/[0-9a-f-]{36}\/items\/\d+$/);
  await hydrated(buyer);
  await expect(buyer.getByTestId('quoted-price')).toContainText('At the quoted price');
  const aws = buyer.getByRole('group', { name: 'Your AWS details' });
  await expect(aws).toBeVisible();
  await expectAccessible(buyer, "the quoted cloud item's page");

  // A wrong account is refused beside its field; nothing is ordered. Their own router is the
  // customer side (the buyer may have a cloud router from other tests: not this time).
  await aws.getByLabel('Your side').selectOption({ label: 'Your own router at the near end' });
  await aws.getByLabel('Your BGP AS number').fill('65001');
  await aws.getByLabel('AWS account id').fill('12345');
  await aws.getByLabel("Your router's address").fill('169.254.40.1/30');
  await aws.getByLabel("The cloud's address").fill('169.254.40.2/30');
  await buyer.getByRole('button', { name: 'Order at the quoted price' }).click();
  await buyer.getByTestId('order-review').getByRole('button', { name: 'Place order' }).click();
  await expect(aws.locator('.field-error').filter({ hasText: /12 digits/ })).toBeVisible();
  await expect(buyer).toHaveURL(/\/items\/\d+$/);

  // By keyboard: the right account, then the review and Place order.
  await aws.getByLabel('AWS account id').fill('123456789012');
  await buyer.getByTestId('order-review').getByRole('button', { name: 'Place order' }).focus();
  await buyer.keyboard.press('Enter');
  await expect(buyer).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  const service = buyer.locator('a.item-title[href^="/services/"]');
  await expect(service).toBeVisible({ timeout: 60_000 });
  await service.click();
  await hydrated(buyer);
  await expect(buyer.getByTestId('acceptance-banner')).toContainText(/Accept dxcon-[a-z0-9]{8}/);

  // The quote now links the line to its order.
  await buyer.goto(quoteUrl);
  await hydrated(buyer);
  await expect(buyer.getByTestId('cloud-items').getByRole('link', { name: 'Ordered: follow the order' })).toBeVisible();
});
