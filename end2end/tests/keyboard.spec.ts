// A buyer designs and orders a bundle with the keyboard alone: Tab to move (every stop it
// lands on shows where focus is), typing, Space, Enter and the arrow keys in lists.
import type { Locator, Page } from '@playwright/test';
import { test, expect, hydrated, openMenu, signIn } from './fixtures';

/** Presses Tab until `target` has focus (failing after `limit` presses), and checks that the
 *  focus is visible there. */
async function tabTo(page: Page, target: Locator, limit = 150) {
  const handle = await target.elementHandle();
  for (let presses = 0; presses < limit; presses++) {
    await page.keyboard.press('Tab');
    if (await handle!.evaluate((element) => element === document.activeElement)) {
      const outline = await handle!.evaluate((element) => {
        const style = getComputedStyle(element);
        return { style: style.outlineStyle, width: parseFloat(style.outlineWidth), shadow: style.boxShadow };
      });
      expect(outline.style !== 'none' && outline.width > 0 || outline.shadow !== 'none', 'focus is visible').toBe(true);
      return;
    }
  }
  throw new Error(`Tab never reached ${target}`);
}

/** Picks the option labelled `label` in the focused list with the arrow keys. */
async function arrowTo(page: Page, select: Locator, label: string) {
  await expect(select).toBeFocused();
  await page.keyboard.press('Home');
  for (let presses = 0; presses < 100; presses++) {
    const current = await select.evaluate((element: HTMLSelectElement) => element.selectedOptions[0]?.textContent?.trim());
    if (current === label) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no option “${label}”`);
}

async function typeInto(page: Page, field: Locator, text: string) {
  await tabTo(page, field);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
}

test('a buyer designs inference at three stores and orders a bundle by keyboard alone', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, 'grace@acme.example');
  await page.goto('/designs/new');
  await hydrated(page);

  const name = `Keyboard order ${Date.now()}`;
  await typeInto(page, page.getByLabel('Design name'), name);
  await tabTo(page, page.getByLabel(/Inference & serving/));
  await page.keyboard.press('Space');
  await expect(page.getByLabel(/Inference & serving/)).toBeChecked();
  await tabTo(page, page.getByLabel('Term'));
  await arrowTo(page, page.getByLabel('Term'), '12 months');
  await tabTo(page, page.getByRole('button', { name: 'Next' }));
  await page.keyboard.press('Enter');

  const stores: [string, string][] = [['Store 1', '1'], ['Store 2', '2'], ['Store 3', '8']];
  for (const [index, [store, km]] of stores.entries()) {
    await tabTo(page, page.getByRole('button', { name: 'Add an edge site' }));
    await page.keyboard.press('Enter');
    await typeInto(page, page.getByLabel(`Site ${index + 1} name`), store);
    const row = page.locator('.edge-site').nth(index);
    await tabTo(page, row.getByLabel('Metro'));
    await arrowTo(page, row.getByLabel('Metro'), 'Dallas (metro hub)');
    await typeInto(page, row.getByLabel('Distance from our hub (km)'), km);
  }
  await tabTo(page, page.getByRole('button', { name: 'Next' }));
  await page.keyboard.press('Enter');

  await tabTo(page, page.getByLabel('Where the model is served'));
  await arrowTo(page, page.getByLabel('Where the model is served'), 'Equinix DA1 Infomart');
  await typeInto(page, page.getByLabel('Round-trip latency target (ms)'), '10');
  await typeInto(page, page.getByLabel('Traffic per edge site (Mbps)'), '50');
  await typeInto(page, page.getByLabel('People using it'), '40');
  await tabTo(page, page.getByRole('button', { name: 'Next' }));
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByRole('button', { name: 'See recommendations' }));
  await page.keyboard.press('Enter');
  await expect(page.locator('article.bundle')).toHaveCount(3);

  // From the last button pressed, Tab reaches the good bundle's order button.
  const good = page.locator('article.bundle[data-tier="good"]');
  await tabTo(page, good.getByRole('button', { name: 'Order now' }));
  await page.keyboard.press('Enter');
  // The review takes focus; Tab reaches Place order past the reference field.
  await expect(good.getByRole('heading', { name: 'Review your order' })).toBeFocused();
  await tabTo(page, good.getByRole('button', { name: 'Place order' }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}$/);
  // Arriving on the order, focus is on its heading, not left behind on the body.
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await hydrated(page);
  await expect(page.getByRole('heading', { name })).toBeVisible();
  // The order's progress is announced in a live region that stays while the page updates.
  await expect(page.getByTestId('order-progress')).toContainText(/Order .*: \d+ of \d+ items completed\./);
});

test('the header menus open, close on Escape and hand focus back, by keyboard', async ({ page }, testInfo) => {
  await signIn(page, 'admin@lightpath.example');
  await hydrated(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  if (testInfo.project.name === 'phone') {
    const menu = nav.getByRole('button', { name: 'Menu' });
    await tabTo(page, menu);
    await page.keyboard.press('Enter');
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await expect(nav.getByRole('link', { name: 'Orders' })).toBeVisible();
  }
  const admin = nav.getByRole('button', { name: 'Admin' });
  await tabTo(page, admin);
  await expect(admin).toHaveAttribute('aria-expanded', 'false');
  await expect(nav.getByRole('link', { name: 'Audit log' })).toBeHidden();
  await page.keyboard.press('Enter');
  await expect(admin).toHaveAttribute('aria-expanded', 'true');
  await tabTo(page, nav.getByRole('link', { name: 'Price books' }), 3);
  await page.keyboard.press('Escape');
  await expect(admin).toHaveAttribute('aria-expanded', 'false');
  await expect(admin).toBeFocused();
  // Space opens it too; following a link closes it on the new page.
  await page.keyboard.press('Space');
  await tabTo(page, nav.getByRole('link', { name: 'Audit log' }), 6);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/admin\/audit$/);
  // Closed on the new page (on a phone the whole menu folds, the Admin button with it).
  const outer = testInfo.project.name === 'phone' ? 'Menu' : 'Admin';
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: outer })).toHaveAttribute('aria-expanded', 'false');
});

test('a header menu left open folds when the reader goes back a page', async ({ page }, testInfo) => {
  await signIn(page, 'admin@lightpath.example');
  await hydrated(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  const phone = testInfo.project.name === 'phone';
  // A step inside the app to go back from (on a phone, through the Menu).
  if (phone) await nav.getByRole('button', { name: 'Menu' }).click();
  await nav.getByRole('link', { name: 'Orders' }).click();
  await expect(page).toHaveURL(/\/orders$/);
  await expect(page.getByRole('heading', { name: 'Orders', level: 1 })).toBeVisible();

  const toggle = nav.getByRole('button', { name: phone ? 'Menu' : 'Admin' });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await page.goBack();
  await expect(page).not.toHaveURL(/\/orders$/);
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(nav.getByRole('link', { name: phone ? 'Orders' : 'Audit log' })).toBeHidden();
});

test('after moving to another page, focus is on its heading and the move is announced', async ({ page }) => {
  await signIn(page, 'grace@acme.example');
  await hydrated(page);
  await openMenu(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Designs' }).click();
  await expect(page).toHaveURL(/\/designs$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Designs' })).toBeFocused();
  await expect(page.getByTestId('route-announcer')).toHaveText('Designs · Lightpath');
  // The next Tab goes on from the page's content, not from the top of the header.
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.closest('main') !== null);
  expect(focused, 'Tab after the move lands inside the page').toBe(true);
});

test('someone who moves focus while the next page loads keeps it, and still hears the move', async ({ page }) => {
  await signIn(page, 'grace@acme.example');
  await hydrated(page);
  // The designs pages' code arrives a second late, as on a slow link.
  await page.route(/\/pkg\/split_designs\.[^/]*wasm$/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await route.continue();
  });
  await openMenu(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Designs' }).click();
  const home = page.getByRole('link', { name: 'Lightpath home' });
  await home.focus();
  await expect(page.getByRole('heading', { level: 1, name: 'Designs' })).toBeVisible();
  await expect(page.getByTestId('route-announcer')).toHaveText('Designs · Lightpath');
  await expect(home).toBeFocused();
});
