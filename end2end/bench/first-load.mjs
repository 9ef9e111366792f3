// First-load benchmark (not a test): what a browser downloads and how long until each page is
// interactive, measured in Debian's Chromium through the DevTools protocol.
//   bytes    sum of `encodedDataLength` of every finished request: bytes on the wire, after
//            compression, headers included: what the network really carried
//   code     the wasm and JS files among them (count and bytes)
//   hydrated time from navigation start to `body[data-hydrated]` (the frontend sets it when
//            hydration ends: the page answers clicks from then on)
//   painted  the browser's own largest contentful paint (its last `largest-contentful-paint`
//            entry before hydration ends): when the page's main content was on screen. Lighthouse
//            estimates this from a trace instead, counting every download that started before
//            the paint, so its figure for a page that preloads its code is later than this one
// Each page is loaded in a fresh browser context (an empty cache), on loopback and throttled like
// Lighthouse's mobile preset (150 ms round trip, 1.6 Mbps down, 750 kbps up, 4x slower CPU).
// Then the catalog is visited twice in one context: the second visit must fetch no code.
// Usage: node end2end/bench/first-load.mjs [base URL] [--json out.json]
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';

const base = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 'http://127.0.0.1:3000';
const jsonOut = process.argv.includes('--json') ? process.argv[process.argv.indexOf('--json') + 1] : null;
const PASSWORD = 'lightpath-demo-password';
const THROTTLED = { latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

/** Signs in over HTTP as a page of the site would; returns the session cookie for contexts. */
async function session(email) {
  const response = await fetch(`${base}/api/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
    body: new URLSearchParams({ email, password: PASSWORD }),
    redirect: 'manual',
  });
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('__Host-lightpath-session='));
  if (!cookie) throw new Error(`sign-in of ${email} failed: ${response.status}`);
  return cookie.split(';')[0];
}

async function serverFn(path, cookie, body, json = true) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded',
      'sec-fetch-site': 'same-origin',
      cookie,
    },
    body: json ? JSON.stringify(body) : new URLSearchParams(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** An order to open: the demo buyer saves a training design and orders it. */
async function anOrder(cookie) {
  const draft = {
    name: 'First-load benchmark', stages: ['training'], redundancy: 'none', term_months: '12', edge_sites: [],
    ingestion: { source: 'internet', landing: '', tb_per_day: '', peak_hours: '24' },
    training: { cluster: 'ash-dc-2', data_site: 'chi-dc-1', dataset_tb: '20', hours: '6', second_cluster: '', power_kw: '40' },
    inference: { serving: '', latency_ms: '', mbps_per_site: '', users: '25', public_facing: false },
    multi_cloud: { on_ramps: [], sites: [], bandwidth: '1G' },
  };
  await serverFn('/api/recommend', cookie, { draft });
  const saved = await serverFn('/api/save-design', cookie, {
    id: null, draft, intent: 'saved', choice: { tier: 'better', term: 12, options: [] },
  });
  const key = `first-load-${Date.now()}-${Math.random().toString(16).slice(2)}`;
  const placed = await serverFn('/api/order-design', cookie, { design: String(saved.id), key }, false);
  return placed.id;
}

async function newContext(cookie) {
  // The session cookie rides on every request of the context, as the browser would send it.
  return browser.newContext({ viewport: { width: 1280, height: 800 }, extraHTTPHeaders: cookie ? { cookie } : {} });
}

/** Loads `path` in `context` and returns what it cost. */
async function load(context, path, throttled) {
  const page = await context.newPage();
  await page.addInitScript(() => {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__largestPaintMs = entry.startTime;
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  });
  if (process.env.DEBUG) page.on("console", (m) => console.error(path, m.type(), m.text()));
  if (process.env.DEBUG) page.on("pageerror", (e) => console.error(path, "pageerror", e.message));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (throttled) {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, ...THROTTLED });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  }
  const requests = new Map();
  cdp.on('Network.responseReceived', (e) => requests.set(e.requestId, { url: e.response.url, fromCache: e.response.fromDiskCache || e.response.fromServiceWorker }));
  const finished = [];
  cdp.on('Network.loadingFinished', (e) => finished.push({ ...requests.get(e.requestId), bytes: e.encodedDataLength }));
  const started = Date.now();
  await page.goto(`${base}${path}`, { waitUntil: 'commit' });
  await page.waitForSelector('body[data-hydrated="true"]', { timeout: 120_000 });
  const hydratedMs = Date.now() - started;
  const paintedMs = await page.evaluate(() => window.__largestPaintMs ?? null);
  await page.waitForLoadState('networkidle');
  await page.close();
  const isCode = (url) => /\.(wasm|js)(\?|$)/.test(new URL(url).pathname);
  const onWire = finished.filter((r) => r.url && !r.fromCache);
  const code = onWire.filter((r) => isCode(r.url));
  return {
    requests: onWire.length,
    bytes: onWire.reduce((sum, r) => sum + r.bytes, 0),
    codeFiles: code.length,
    codeBytes: code.reduce((sum, r) => sum + r.bytes, 0),
    hydratedMs,
    paintedMs,
  };
}

const buyer = await session('grace@acme.example');
const orderId = await anOrder(buyer);
const pages = [
  { name: 'home', path: '/', cookie: null },
  { name: 'catalog', path: '/catalog', cookie: null },
  { name: 'product', path: '/products/wavelengths-400g', cookie: null },
  { name: 'network', path: '/network', cookie: null },
  { name: 'new design (signed in)', path: '/designs/new', cookie: buyer },
  { name: 'order (signed in)', path: `/orders/${orderId}`, cookie: buyer },
];

const results = [];
for (const { name, path, cookie } of pages) {
  const row = { name, path };
  for (const throttled of [false, true]) {
    const context = await newContext(cookie);
    row[throttled ? 'throttled' : 'loopback'] = await load(context, path, throttled);
    await context.close();
  }
  results.push(row);
}

// A second visit to the catalog in the same browser: everything under /pkg comes from the cache.
const context = await newContext(null);
const first = await load(context, '/catalog', false);
const second = await load(context, '/catalog', false);
await context.close();
await browser.close();

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const painted = (ms) => (ms === null ? '—' : s(ms));
console.log('| page | bytes on the wire | requests | code files (wasm + JS) | code bytes | hydrated, loopback | painted, throttled | hydrated, throttled |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of results) {
  const { loopback: l, throttled: t } = r;
  console.log(`| ${r.name} | ${kb(l.bytes)} | ${l.requests} | ${l.codeFiles} | ${kb(l.codeBytes)} | ${s(l.hydratedMs)} | ${painted(t.paintedMs)} | ${s(t.hydratedMs)} |`);
}
console.log(`\nsecond visit to the catalog: ${kb(second.bytes)} in ${second.requests} requests, ` +
  `${second.codeFiles} code files (${kb(second.codeBytes)}) fetched; first visit ${kb(first.bytes)}, ${first.codeFiles} code files`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ results, secondVisit: { first, second } }, null, 2));
