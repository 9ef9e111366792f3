// Browser re-pricing benchmark (not a test): signs in as the demo buyer, runs the design wizard
// for the three-store inference scenario, then switches one connection's bandwidth back and
// forth N times in the "best" bundle and measures, inside the page, the time from the change
// event to the new total in the DOM (domain re-pricing of the whole bundle + render).
// Usage: node end2end/bench/reprice.mjs [base URL] [iterations]; results go in docs/benchmarks.md.
import { chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const iterations = Number(process.argv[3] ?? 500);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const hydrated = () => page.waitForSelector('body[data-hydrated="true"]');
await page.goto(`${base}/sign-in`);
await hydrated();
await page.getByLabel('Email', { exact: true }).fill('grace@acme.example');
await page.getByLabel('Password', { exact: true }).fill('lightpath-demo-password');
await page.getByRole('button', { name: 'Sign in', exact: true }).click();
await page.waitForURL(/dashboard/);
await page.goto(`${base}/designs/new`);
await hydrated();
await page.getByLabel(/Inference & serving/).check();
await page.getByRole('button', { name: 'Next' }).click();
for (const [i, km] of [[1, '1'], [2, '2'], [3, '8']]) {
  await page.getByRole('button', { name: 'Add an edge site' }).click();
  await page.getByLabel(`Site ${i} name`).fill(`Store ${i}`);
  const row = page.locator('.edge-site').nth(i - 1);
  await row.getByLabel('Metro').selectOption({ label: 'Dallas (metro hub)' });
  await row.getByLabel('Distance from our hub (km)').fill(km);
}
await page.getByRole('button', { name: 'Next' }).click();
await page.getByLabel('Where the model is served').selectOption({ label: 'Equinix DA1 Infomart' });
await page.getByLabel('Round-trip latency target (ms)').fill('10');
await page.getByLabel('Traffic per edge site (Mbps)').fill('50');
await page.getByRole('button', { name: 'Next' }).click();
await page.getByRole('button', { name: 'See recommendations' }).click();
await page.waitForSelector('article.bundle[data-tier="best"]');

const timings = await page.evaluate(async (iterations) => {
  const bundle = document.querySelector('article.bundle[data-tier="best"]');
  const select = bundle.querySelector('select[id^="option-best-0"]');
  const total = bundle.querySelector('[data-testid="monthly"]');
  const codes = [...select.options].map((option) => option.value);
  const times = [];
  for (let i = 0; i < iterations; i++) {
    const before = total.textContent;
    const changed = new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (total.textContent !== before) {
          observer.disconnect();
          resolve();
        }
      });
      observer.observe(total, { childList: true, characterData: true, subtree: true });
    });
    const start = performance.now();
    select.value = codes[i % 2 === 0 ? codes.length - 1 : 0];
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await changed;
    times.push(performance.now() - start);
  }
  return times;
}, iterations);
timings.sort((a, b) => a - b);
const at = (q) => timings[Math.min(timings.length - 1, Math.floor(q * timings.length))];
const mean = timings.reduce((sum, t) => sum + t, 0) / timings.length;
console.log(`re-price the best bundle in the browser, change event → new total in the DOM, ${timings.length} runs:`);
console.log(`  mean ${mean.toFixed(3)} ms, p50 ${at(0.5).toFixed(3)} ms, p99 ${at(0.99).toFixed(3)} ms, max ${timings.at(-1).toFixed(3)} ms`);
await browser.close();
