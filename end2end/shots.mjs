// Screenshots of every page at phone and laptop width, and the code files each page fetched.
import { chromium } from '@playwright/test';
const base = process.env.BASE ?? 'http://127.0.0.1:3000';
const out = process.env.OUT ?? '/tmp/shots';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless'] });
async function session(email, width) {
  const context = await browser.newContext({ viewport: { width, height: width < 500 ? 844 : 800 }, isMobile: width < 500, hasTouch: width < 500 });
  const page = await context.newPage();
  if (email) {
    await page.goto(base + '/sign-in');
    await page.waitForSelector('body[data-hydrated="true"]');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill('lightpath-demo-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  }
  return page;
}
async function shot(page, path, name, width, before) {
  const code = new Set();
  const listener = (response) => { if (/\.(wasm|js)$/.test(new URL(response.url()).pathname)) code.add(response.url()); };
  page.on('response', listener);
  if (path) await page.goto(base + path);
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.waitForLoadState('networkidle').catch(() => {});
  if (before) await before(page);
  await page.screenshot({ path: `${out}/${name}-${width}.png`, fullPage: false });
  page.off('response', listener);
  console.log(`${name}-${width}: ${code.size} code files`);
}
const plan = [
  [null, [['/', 'home'], ['/catalog', 'catalog'], ['/products/wavelengths-400g', 'product'], ['/network', 'network'], ['/sign-in', 'sign-in']]],
  ['grace@acme.example', [['/dashboard', 'dashboard'], ['/designs', 'designs'], ['/designs/new', 'wizard'], ['/orders', 'orders'], ['/services', 'services'], ['/quotes', 'quotes'], ['/account', 'account'], ['/products/wavelengths-400g', 'product-signed-in']]],
  ['ada@acme.example', [['/api-tokens', 'api-tokens'], ['/webhooks', 'webhooks'], ['/api-reference', 'api-reference']]],
  ['admin@lightpath.example', [['/dashboard', 'admin-dashboard'], ['/admin/price-books', 'price-books'], ['/admin/catalog', 'admin-catalog'], ['/admin/users', 'admin-users'], ['/admin/network', 'admin-network'], ['/admin/audit', 'audit'], ['/approvals', 'approvals']]],
];
for (const width of [1280, 390]) {
  for (const [email, pages] of plan) {
    const page = await session(email, width);
    for (const [path, name] of pages) await shot(page, path, name, width);
    if (email === 'admin@lightpath.example') {
      await shot(page, '/dashboard', 'admin-menu-open', width, async (p) => {
        const menu = p.getByRole('button', { name: 'Menu' });
        if (await menu.isVisible()) await menu.click();
        await p.getByRole('button', { name: 'Admin' }).click();
      });
    }
    if (email === 'grace@acme.example') {
      // The wizard's answer: three bundles.
      await shot(page, '/designs/new', 'bundles', width, async (p) => {
        await p.getByLabel('Design name').fill('Screenshot design');
        await p.getByLabel(/Training/).check();
        await p.getByRole('button', { name: 'Next' }).click();
        await p.getByLabel('Where the cluster sits').selectOption({ label: 'Equinix DC11 Ashburn' });
        await p.getByLabel('Where the data lives').selectOption({ label: 'Digital Realty 350 East Cermak' });
        await p.getByLabel('Dataset size (TB)').fill('20');
        await p.getByLabel('Hours it may take to move').fill('6');
        await p.getByRole('button', { name: 'Next' }).click();
        await p.getByRole('button', { name: 'See recommendations' }).click();
        await p.locator('article.bundle').first().scrollIntoViewIfNeeded();
        await p.locator('article.bundle').nth(2).waitFor();
        await p.locator('#results-title').scrollIntoViewIfNeeded();
      });
    }
    await page.context().close();
  }
}
await browser.close();
