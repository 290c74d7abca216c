// The screenshots the README and the web manifest show: desktop, phone and dark, of the same
// state a newcomer reaches in a minute: the demo video playing, and a photo shared.
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { randomFixture } from './support/fixtures.ts';
import { appUrl, expect, row, seedThroughUi, test } from './support/peers.ts';
import { APP_ORIGIN } from './support/ports.ts';

const root = join(import.meta.dirname, '../..');
const KiB = 1024;

interface Shot {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly dark?: boolean;
  readonly phone?: boolean;
  /** Where it is written, from the repository's root. */
  readonly paths: readonly string[];
}

const SHOTS: readonly Shot[] = [
  {
    name: 'desktop',
    width: 1280,
    height: 800,
    paths: ['docs/screenshots/desktop.png', 'public/screenshots/wide.png'],
  },
  {
    name: 'phone',
    width: 360,
    height: 740,
    phone: true,
    paths: ['docs/screenshots/phone.png', 'public/screenshots/phone.png'],
  },
  { name: 'dark', width: 1280, height: 800, dark: true, paths: ['docs/screenshots/dark.png'] },
];

async function take(browser: Browser, shot: Shot): Promise<void> {
  const context = await browser.newContext({
    viewport: { width: shot.width, height: shot.height },
    deviceScaleFactor: 1,
    isMobile: shot.phone === true,
    hasTouch: shot.phone === true,
    colorScheme: shot.dark ? 'dark' : 'light',
  });
  try {
    await context.grantPermissions(['camera', 'microphone'], { origin: APP_ORIGIN });
    const page = await context.newPage();
    await page.goto(appUrl());
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await page.getByRole('button', { name: 'Play the demo video' }).click();
    const album = randomFixture('Holiday album.jpg', 320 * KiB);
    await seedThroughUi(page, album.path);
    await page.locator('shoal-share-card').getByRole('button', { name: 'Done' }).click();
    await row(page, 'shoal-demo.mp4').locator('button.name').click();
    await page.getByRole('button', { name: 'Play shoal-demo.mp4' }).click();
    const video = page.locator('shoal-player video');
    await expect
      .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 30_000 })
      .toBeGreaterThan(4);
    await video.evaluate((v: HTMLVideoElement) => {
      v.pause();
    });
    await page.evaluate(() => {
      window.scrollTo(0, 0);
    });
    for (const path of shot.paths) await page.screenshot({ path: join(root, path) });
  } finally {
    await context.close();
  }
}

for (const shot of SHOTS)
  test(`screenshot: ${shot.name}`, async ({ browser }) => {
    await take(browser, shot);
  });
