import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { keptRows } from './support/app-state.ts';
import { sha256 } from './support/fixtures.ts';
import { appUrl, expect, row, test } from './support/peers.ts';

/** 300 characters and not one space: the worst a name can do to a layout. */
const LONG = `${'A_very_long_torrent_name_'.repeat(12)}.bin`.slice(-300);

/** How far the page scrolls sideways (0 when nothing is wider than the window). */
const sidewaysScroll = (page: Page): Promise<number> =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** What sticks out past the window's right edge, through shadow roots: for the message. */
const stickingOut = (page: Page): Promise<string[]> =>
  page.evaluate(() => {
    const out: string[] = [];
    const visit = (root: Document | ShadowRoot): void => {
      for (const el of root.querySelectorAll('*')) {
        const right = el.getBoundingClientRect().right;
        if (right > window.innerWidth + 0.5)
          out.push(`${el.tagName.toLowerCase()}.${el.className} → ${String(Math.round(right))}`);
        if (el.shadowRoot) visit(el.shadowRoot);
      }
    };
    visit(document);
    return out.slice(-6);
  });

async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const scroll = await sidewaysScroll(page);
  expect(scroll, `${what}: ${(await stickingOut(page)).join('; ')}`).toBeLessThanOrEqual(0);
}

/** The pack (piece data) Shoal keeps for a torrent in its origin-private file system. */
const hasPack = (page: Page, infoHash: string): Promise<boolean> =>
  page.evaluate(async (hash) => {
    const root = await navigator.storage.getDirectory();
    try {
      await (await root.getDirectoryHandle('shoal-packs')).getDirectoryHandle(hash);
      return true;
    } catch {
      return false;
    }
  }, infoHash);

const selectNone = (page: Page): Promise<void> =>
  page.evaluate(() => {
    (window as unknown as { shoal: { store: { select(h: null): void } } }).shoal.store.select(null);
  });

test('a 300-character name never widens the page at 320, 390 and 1280 px, and a delete can be undone', async ({
  newPeer,
}) => {
  expect(LONG).toHaveLength(300);
  const data = randomBytes(512 * 1024);
  const page = await newPeer(appUrl(), { noSavePicker: true });
  await page
    .locator('shoal-add-bar input#seed-files')
    .setInputFiles({ name: LONG, mimeType: 'application/octet-stream', buffer: data });
  const detail = page.locator('shoal-torrent-detail');
  // The detail has the whole name; the list and the share card cut it, with it whole in a tooltip.
  await expect(detail.locator('h2')).toHaveText(LONG);
  await expect(row(page, LONG).locator('.state')).toHaveText('Seeding');
  await expect(row(page, LONG).locator('button.name')).toHaveAttribute('title', LONG);
  await expect(page.locator('shoal-share-card h2')).toHaveAttribute('title', LONG);
  const infoHash = await detail.locator('code').innerText();
  await page.locator('shoal-storage summary').click();

  for (const width of [320, 390, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    // The share card, the list, the detail and the storage table, all at once.
    await expectNoSidewaysScroll(page, `${String(width)} px, sharing`);
    const box = await row(page, LONG).locator('button.name').boundingBox();
    expect(
      box && box.x + box.width,
      `${String(width)} px: the name in the row`,
    ).toBeLessThanOrEqual(width);
  }
  await page.locator('shoal-share-card').getByRole('button', { name: 'Done' }).click();
  for (const width of [320, 390, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await expectNoSidewaysScroll(page, `${String(width)} px, detail`);
  }
  await selectNone(page);
  await expect(detail).toHaveCount(0);
  for (const width of [320, 390, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await expectNoSidewaysScroll(page, `${String(width)} px, list`);
  }

  // Delete it with its data: it leaves at once, and Undo brings it back.
  await page.setViewportSize({ width: 390, height: 800 });
  await row(page, LONG).locator('button.name').click();
  await detail.getByRole('button', { name: 'Remove and delete data' }).click();
  await expect(page.locator('shoal-torrent-row')).toHaveCount(0);
  const notice = page.locator('shoal-notices li', { hasText: 'Deleted' });
  await expect(notice).toContainText(LONG);
  await expectNoSidewaysScroll(page, 'the notice with the name');
  await notice.getByRole('button', { name: 'Undo' }).click();
  await expect(row(page, LONG).locator('.state')).toHaveText('Seeding');
  await expect(notice).toHaveCount(0);
  // Past the time the delete would have happened: nothing was deleted.
  await page.waitForTimeout(9000);
  await expect(row(page, LONG)).toHaveCount(1);
  expect((await keptRows(page)).map((r) => r.infoHash)).toEqual([infoHash]);
  await expect.poll(() => hasPack(page, infoHash)).toBe(true);
  const download = page.waitForEvent('download');
  await detail.getByRole('button', { name: `Save ${LONG}` }).click();
  expect(sha256(await readFile(await (await download).path()))).toBe(sha256(data));

  // Deleted again and not undone: gone for good once the notice lapses, data and all.
  await detail.getByRole('button', { name: 'Remove and delete data' }).click();
  await expect(page.locator('shoal-torrent-row')).toHaveCount(0);
  expect(await keptRows(page), 'still kept while Undo is offered').toHaveLength(1);
  await expect(notice).toHaveCount(0, { timeout: 15_000 });
  await expect.poll(() => keptRows(page), { timeout: 10_000 }).toEqual([]);
  await expect.poll(() => hasPack(page, infoHash), { timeout: 10_000 }).toBe(false);
  await page.reload();
  await expect(page.getByText('No torrents yet')).toBeVisible();
});
