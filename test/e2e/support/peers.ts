import { basename } from 'node:path';
import { test as base, expect, type BrowserContext, type Page } from '@playwright/test';
import { APP_ORIGIN } from './ports.ts';

export interface PeerOptions {
  /** Remove `showSaveFilePicker`, so saving falls back to a download. */
  readonly noSavePicker?: boolean;
}

interface Fixtures {
  /** Opens a page in a browser context of its own (its own storage), as another user would. */
  newPeer: (url: string, options?: PeerOptions) => Promise<Page>;
}

export const test = base.extend<Fixtures>({
  newPeer: async ({ browser }, use, testInfo) => {
    const contexts: BrowserContext[] = [];
    /** What the built app's Content-Security-Policy refused: any fails the test. */
    const refused: string[] = [];
    let count = 0;
    await use(async (url, options = {}) => {
      const label = `peer${String(++count)}`;
      const context = await browser.newContext({ acceptDownloads: true });
      contexts.push(context);
      // Without a media permission, Chromium hides host candidates behind mDNS names that
      // do not resolve here, and two tabs never connect.
      await context.grantPermissions(
        ['camera', 'microphone', 'clipboard-read', 'clipboard-write'],
        {
          origin: new URL(url).origin,
        },
      );
      if (options.noSavePicker) {
        await context.addInitScript(() => {
          Object.defineProperty(window, 'showSaveFilePicker', { value: undefined });
        });
      }
      const page = await context.newPage();
      page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        testInfo.annotations.push({ type: `${label} console`, description: msg.text() });
        if (/Content Security Policy|Trusted ?(Types|HTML|Script)/i.test(msg.text()))
          refused.push(`${label}: ${msg.text()}`);
      });
      page.on('pageerror', (err) => {
        testInfo.annotations.push({ type: `${label} pageerror`, description: err.message });
      });
      await page.goto(url);
      return page;
    });
    await Promise.all(contexts.map((context) => context.close()));
    if (refused.length > 0)
      throw new Error(`Content-Security-Policy violations:\n${refused.join('\n')}`);
  },
});

export { expect };

export const appUrl = (query = ''): string => `${APP_ORIGIN}/${query}`;

/** The row of the torrent with this name. */
export const row = (page: Page, name: string) =>
  page.locator('shoal-torrent-row').filter({ has: page.locator('button.name', { hasText: name }) });

/**
 * Shares several files as one torrent through the UI, named `name` in the dialog that asks
 * (the name it offers, when none is given); returns the magnet link the app shows.
 */
export async function seedFilesThroughUi(
  page: Page,
  paths: string[],
  name?: string,
): Promise<string> {
  await page.locator('shoal-add-bar input#seed-files').setInputFiles(paths);
  const dialog = page.locator('shoal-share-name dialog');
  await expect(dialog).toBeVisible();
  if (name !== undefined) await dialog.getByLabel('Name others see').fill(name);
  await dialog.getByRole('button', { name: 'Share', exact: true }).click();
  const magnetField = page.locator('shoal-torrent-detail input#magnet-link');
  await expect(magnetField).toHaveValue(/^magnet:\?xt=urn:btih:/);
  return magnetField.inputValue();
}

/** Shares a file through the UI; returns the magnet link the app shows. */
export async function seedThroughUi(page: Page, filePath: string): Promise<string> {
  await page.locator('shoal-add-bar input#seed-files').setInputFiles(filePath);
  // The details show the new torrent (named after its one file), not one shared before.
  await expect(page.locator('shoal-torrent-detail h2')).toHaveText(basename(filePath));
  const magnetField = page.locator('shoal-torrent-detail input#magnet-link');
  await expect(magnetField).toHaveValue(/^magnet:\?xt=urn:btih:/);
  return magnetField.inputValue();
}
