import { chromium } from 'playwright';
const [,, width, out, product = 'wavelengths-400g'] = process.argv;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
page.on('console', (m) => { if (m.type() === 'error') console.log('console:', m.text()); });
await page.goto('http://127.0.0.1:3000/sign-in');
await page.locator('body[data-hydrated="true"]').waitFor();
await page.getByLabel('Email', { exact: true }).fill('grace@acme.example');
await page.getByLabel('Password', { exact: true }).fill('lightpath-demo-password');
await page.getByRole('button', { name: 'Sign in' }).click();
await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
await page.goto(`http://127.0.0.1:3000/products/${product}`);
await page.locator('body[data-hydrated="true"]').waitFor();
const c = page.locator('section.configurator');
if (product === 'wavelengths-400g') {
  await c.getByLabel('From', { exact: true }).selectOption({ label: 'Digital Realty 350 East Cermak' });
  await c.getByLabel('To', { exact: true }).selectOption({ label: 'Equinix DC11 Ashburn' });
  await c.getByLabel('Option', { exact: true }).selectOption({ label: '100 Gbps' });
  await c.getByText('route-km').first().waitFor();
} else {
  await c.getByLabel('Site', { exact: true }).selectOption({ label: 'Equinix DC11 Ashburn' });
  await page.waitForTimeout(1500);
}
await c.screenshot({ path: out });
await browser.close();
