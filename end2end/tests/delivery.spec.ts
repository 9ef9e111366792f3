import { test, expect, hydrated } from './fixtures';
import type { CDPSession } from '@playwright/test';

/** Records, through the DevTools protocol, which wasm and JS files came over the network
 *  (not from the browser's cache) and how many bytes they took on the wire. */
async function codeFromNetwork(cdp: CDPSession) {
  const fetched = new Map<string, { url: string; cached: boolean; bytes: number; encoding?: string }>();
  await cdp.send('Network.enable');
  cdp.on('Network.requestServedFromCache', (e) => {
    const entry = fetched.get(e.requestId);
    if (entry) entry.cached = true;
  });
  cdp.on('Network.responseReceived', (e) => {
    if (!/\.(wasm|js)$/.test(new URL(e.response.url).pathname)) return;
    const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    fetched.set(e.requestId, {
      url: e.response.url,
      cached: e.response.fromDiskCache || e.response.fromPrefetchCache,
      bytes: 0,
      encoding: headers['content-encoding'],
    });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const entry = fetched.get(e.requestId);
    if (entry) entry.bytes = e.encodedDataLength;
  });
  // Memory-cache hits finish with no bytes on the wire and no cache flag: count only what the
  // network carried.
  return () => [...fetched.values()].filter((entry) => !entry.cached && entry.bytes > 0);
}

test('the catalog code arrives compressed once and a second visit takes it from the cache', async ({ page, context }) => {
  const cdp = await context.newCDPSession(page);
  const fromNetwork = await codeFromNetwork(cdp);

  await page.goto('/catalog');
  await hydrated(page);
  await page.waitForLoadState('networkidle');
  const first = fromNetwork();
  expect(first.some((entry) => entry.url.endsWith('.wasm')), 'the first visit fetches the wasm').toBe(true);
  for (const entry of first) expect(entry.encoding, entry.url).toBe('br');

  const before = new Set(first);
  await page.goto('/catalog');
  await hydrated(page);
  await page.waitForLoadState('networkidle');
  const second = fromNetwork().filter((entry) => !before.has(entry));
  expect(second, 'the second visit fetches no wasm or JS').toEqual([]);
  await expect(page.locator('.product-card')).toHaveCount(10);
});
