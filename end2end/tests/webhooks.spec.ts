import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect, hydrated, signIn } from './fixtures';

// An organisation's admin adds a webhook to a receiver run by this test, sends it a test event,
// and sees the delivery. (The e2e server allows http://127.0.0.1 callbacks: scripts/test.sh.)
test('an org admin sets up a webhook and sees its deliveries', async ({ page }) => {
  const received: { signature?: string; body: string }[] = [];
  const receiver = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ signature: request.headers['lightpath-signature'] as string | undefined, body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  try {
    await signIn(page, 'ada@acme.example');
    await page.goto('/account');
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
    await hydrated(page);
    await page.getByLabel('Callback URL').fill(url);
    // Only quotes: other tests' orders for Acme run at the same time and would be told too.
    for (const event of ['An order changes state', 'An order item is provisioned', 'A service starts, changes or ends']) {
      await page.getByLabel(event).uncheck();
    }
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await expect(page.getByTestId('new-webhook')).toContainText('whsec_');

    const webhook = page.getByRole('article', { name: `Webhook ${url}` });
    await expect(webhook).toContainText('Nothing sent yet.');
    await webhook.getByRole('button', { name: 'Send a test event' }).click();
    // The page reads the deliveries again every few seconds.
    await expect(webhook.getByRole('row').filter({ hasText: 'PingEvent' })).toContainText('Delivered', { timeout: 15_000 });
    await expect(webhook.getByRole('row').filter({ hasText: 'PingEvent' })).toContainText('HTTP 204');
    const pings = received.filter((request) => JSON.parse(request.body).eventType === 'PingEvent');
    expect(pings).toHaveLength(1);
    expect(pings[0].signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    await expect(webhook).toContainText('A quote is sent to us');
    await expect(webhook).not.toContainText('An order changes state');

    await webhook.getByRole('button', { name: `Remove the webhook ${url}` }).click();
    await expect(page.getByRole('article', { name: `Webhook ${url}` })).toHaveCount(0);
  } finally {
    receiver.close();
  }
});
