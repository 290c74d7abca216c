// A browser without what Shoal is built on (WebRTC, OPFS, service workers: some builds and
// privacy modes of Safari and Firefox lack them) is told which is missing and what still
// works, and the page raises no error.
import { appUrl, expect, test } from './support/peers.ts';

test('without WebRTC and OPFS the app says what is missing and what still works, and raises no error', async ({
  browser,
}) => {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    for (const name of ['RTCPeerConnection', 'webkitRTCPeerConnection', 'RTCDataChannel'])
      Object.defineProperty(window, name, { value: undefined, configurable: true });
    Object.defineProperty(StorageManager.prototype, 'getDirectory', {
      value: undefined,
      configurable: true,
    });
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(appUrl());
  const notices = page.locator('shoal-notices');
  await expect(notices).toContainText('This browser has no WebRTC');
  await expect(notices).toContainText('Torrents with a web seed still download from it');
  await expect(notices).toContainText('no private file storage (OPFS)');
  // A torrent added anyway: nothing misleading, no tracker "cannot be reached", no advice to
  // free space.
  await page.locator('shoal-add-bar input#magnet').fill(`magnet:?xt=urn:btih:${'a'.repeat(40)}`);
  await page.locator('shoal-add-bar button.primary').click();
  await expect(page.locator('shoal-torrent-row')).toHaveCount(1);
  await page.waitForTimeout(3000);
  await expect(notices).not.toContainText('cannot be reached');
  await expect(notices).not.toContainText('Free space');
  expect(errors).toEqual([]);
  await context.close();
});
