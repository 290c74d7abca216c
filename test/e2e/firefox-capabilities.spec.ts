// Firefox with WebRTC and OPFS turned off the way a user turns them off (about:config:
// `media.peerconnection.enabled` and `dom.fs.enabled` false take RTCPeerConnection and
// navigator.storage.getDirectory from pages and workers alike, where capabilities.spec.ts's
// init script reaches the page only). The app says what is missing and what still works, and
// raises no error (the Firefox fixture fails the test on any).
import { shownText, test } from './support/firefox.ts';
import { appUrl, expect } from './support/peers.ts';

test.use({ firefoxPrefs: { 'media.peerconnection.enabled': false, 'dom.fs.enabled': false } });

test('Firefox without WebRTC and OPFS: the app says what is missing and what still works, and raises no error', async ({
  newFirefoxPeer,
}) => {
  const page = await newFirefoxPeer(appUrl());
  // What the preferences took away (in workers too: checked by hand, the app's CSP refuses a
  // worker a test could start here).
  expect(
    await page.evaluate(() => [typeof RTCPeerConnection, typeof navigator.storage.getDirectory]),
  ).toEqual(['undefined', 'undefined']);

  await expect.poll(() => shownText(page, 'shoal-notices')).toContain('This browser has no WebRTC');
  const notices = await shownText(page, 'shoal-notices');
  expect(notices).toContain('Torrents with a web seed still download from it');
  expect(notices).toContain('no private file storage (OPFS)');

  // A magnet added anyway is listed, with nothing misleading: no tracker "cannot be reached",
  // no advice to free space.
  const field = await page.waitForSelector('>>> shoal-add-bar >>> input#magnet');
  await field?.type(`magnet:?xt=urn:btih:${'a'.repeat(40)}`);
  await (await page.waitForSelector('>>> shoal-add-bar >>> button.primary'))?.click();
  await expect.poll(() => shownText(page, 'shoal-torrent-row')).not.toBe('');
  // Give a tracker failure time to surface, as capabilities.spec.ts does in Chromium.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const after = await shownText(page, 'shoal-notices');
  expect(after).not.toContain('cannot be reached');
  expect(after).not.toContain('Free space');
});
