// The page's layout (issue 24): on a wide screen the list sits beside the selected torrent,
// whose player is on top and whole above the fold; in one column, what plays comes first.
import type { Browser } from '@playwright/test';
import { appUrl, expect, test } from './support/peers.ts';
import { APP_ORIGIN } from './support/ports.ts';

async function playingDemo(browser: Browser, width: number, height: number) {
  const context = await browser.newContext({ viewport: { width, height } });
  await context.grantPermissions(['camera', 'microphone'], { origin: APP_ORIGIN });
  const page = await context.newPage();
  await page.goto(appUrl());
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.getByRole('button', { name: 'Play the demo video' }).click();
  const video = page.locator('shoal-player video');
  await expect
    .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 60_000 })
    .toBeGreaterThan(0.5);
  const box = async (selector: string) => {
    const found = await page.locator(selector).boundingBox();
    if (!found) throw new Error(`${selector} is not shown`);
    return found;
  };
  return { context, page, box };
}

test('wide: the list beside the detail, the player on top of it and above the fold', async ({
  browser,
}) => {
  const { context, page, box } = await playingDemo(browser, 1280, 800);
  try {
    const list = await box('shoal-torrent-list');
    const detail = await box('shoal-torrent-detail');
    expect(detail.x).toBeGreaterThanOrEqual(list.x + list.width);
    expect(Math.abs(detail.y - list.y)).toBeLessThan(2);
    const player = await box('shoal-player');
    const name = await box('shoal-torrent-detail h2');
    expect(player.y).toBeLessThan(name.y);
    expect(player.y + player.height).toBeLessThanOrEqual(800);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      1280,
    );
  } finally {
    await context.close();
  }
});

test('one column: the torrent that plays comes before the list', async ({ browser }) => {
  const { context, page, box } = await playingDemo(browser, 390, 844);
  try {
    const list = await box('shoal-torrent-list');
    const detail = await box('shoal-torrent-detail');
    expect(detail.y + detail.height).toBeLessThanOrEqual(list.y);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
  } finally {
    await context.close();
  }
});
