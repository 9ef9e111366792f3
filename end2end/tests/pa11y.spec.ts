// pa11y (HTML_CodeSniffer, WCAG 2 AA) beside axe: every page, signed out and as each role,
// must report no error. pa11y drives Debian's Chromium through its own puppeteer; the session
// comes from a Playwright sign-in as a cookie header.
import pa11y from 'pa11y';
import puppeteer, { type Browser } from 'puppeteer';
import type { Page } from '@playwright/test';
import { test, expect, hydrated, signIn } from './fixtures';

const PAGES: Record<string, string[]> = {
  '': ['/', '/catalog', '/network', '/sign-in', '/sign-up', '/products/wavelengths-400g', '/no-such-page'],
  'grace@acme.example': ['/dashboard', '/designs', '/designs/new', '/orders', '/services', '/quotes', '/account', '/clouds'],
  'ada@acme.example': ['/api-tokens', '/webhooks', '/invoices'],
  'admin@lightpath.example': [
    '/admin/price-books',
    '/admin/catalog',
    '/admin/users',
    '/admin/network',
    '/admin/audit',
    '/approvals',
    '/orgs',
    '/invoices',
  ],
  'sales@lightpath.example': ['/quotes', '/quotes/new'],
};

let browser: Browser;
test.beforeAll(async () => {
  browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
});
test.afterAll(async () => browser?.close());

/** The errors pa11y finds on `path`, as "code at selector: message" lines. */
async function errors(baseURL: string, path: string, cookie: string): Promise<string[]> {
  const result = await pa11y(baseURL + path, {
    browser,
    standard: 'WCAG2AA',
    headers: cookie ? { Cookie: cookie } : {},
    timeout: 60_000,
  });
  return result.issues
    .filter((issue) => issue.type === 'error')
    .map((issue) => `${issue.code} at ${issue.selector}: ${issue.message}`);
}

async function cookieOf(page: Page): Promise<string> {
  const cookies = await page.context().cookies();
  return cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}

for (const [email, paths] of Object.entries(PAGES)) {
  test(`pa11y finds no error ${email ? `on ${email}'s pages` : 'signed out'}`, async ({ page, baseURL }, testInfo) => {
    test.skip(testInfo.project.name !== 'desktop', 'pa11y runs its own browser at its own size');
    test.setTimeout(180_000);
    let cookie = '';
    if (email) {
      await signIn(page, email);
      await hydrated(page);
      cookie = await cookieOf(page);
    }
    for (const path of paths) {
      expect(await errors(baseURL!, path, cookie), `pa11y on ${path}`).toEqual([]);
    }
  });
}

/** A design saved and ordered by the signed-in buyer of `page`, through the same server
 * functions the wizard calls; answers the design's and the order's ids. */
async function aDesignAndAnOrder(page: Page): Promise<{ design: string; order: string }> {
  const call = async (path: string, data: object, json = true) => {
    const response = await page.request.post(path, {
      headers: { 'sec-fetch-site': 'same-origin', ...(json ? { 'content-type': 'application/json' } : {}) },
      ...(json ? { data } : { form: data as Record<string, string> }),
    });
    expect(response.ok(), `${path}: ${response.status()}`).toBeTruthy();
    return response.json();
  };
  const draft = {
    name: `pa11y record pages ${Date.now()}`, stages: ['training'], redundancy: 'none', term_months: '12', edge_sites: [],
    ingestion: { source: 'internet', landing: '', tb_per_day: '', peak_hours: '24' },
    training: { cluster: 'ash-dc-2', data_site: 'chi-dc-1', dataset_tb: '20', hours: '6', second_cluster: '', power_kw: '40' },
    inference: { serving: '', latency_ms: '', mbps_per_site: '', users: '25', public_facing: false },
    multi_cloud: { on_ramps: [], sites: [], bandwidth: '1G' },
  };
  await call('/api/recommend', { draft });
  const saved = await call('/api/save-design', {
    id: null, draft, intent: 'saved', choice: { tier: 'better', term: 12, options: [] },
  });
  const key = `pa11y-${Date.now()}-${Math.random().toString(16).slice(2)}`;
  const placed = await call('/api/order-design', { design: String(saved.id), key }, false);
  return { design: String(saved.id), order: String(placed.id) };
}

test('pa11y finds no error on a buyer\'s record pages: a design and an order', async ({ page, baseURL }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'pa11y runs its own browser at its own size');
  test.setTimeout(120_000);
  await signIn(page, 'grace@acme.example');
  await hydrated(page);
  const { design, order } = await aDesignAndAnOrder(page);
  const cookie = await cookieOf(page);
  for (const path of [`/designs/${design}`, `/orders/${order}`]) {
    expect(await errors(baseURL!, path, cookie), `pa11y on ${path}`).toEqual([]);
  }
});
