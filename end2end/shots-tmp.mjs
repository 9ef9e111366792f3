import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
const page = await context.newPage();
await page.goto('http://127.0.0.1:3100/sign-in');
await page.waitForSelector('body[data-hydrated="true"]');
await page.getByLabel('Email', { exact: true }).fill(process.argv[2]);
await page.getByLabel('Password', { exact: true }).fill('lightpath-demo-password');
await page.getByRole('button', { name: 'Sign in', exact: true }).click();
await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
for (const path of process.argv.slice(3)) {
  await page.goto('http://127.0.0.1:3100' + path);
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.waitForLoadState('networkidle').catch(() => {});
  const tables = await page.locator('.table-wrap').evaluateAll((els) => els.map((e) => [e.scrollWidth, e.clientWidth]));
  console.log(path, JSON.stringify(tables));
  const t = page.locator('.table-wrap').first();
  if (await t.count()) await t.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `/tmp/shots/t${path.replaceAll('/', '_')}-390.png` });
}
await browser.close();
