// Shoal in WebKit: Debian's WebKitGTK 2.50 (Safari's engine) as it ships, which has no
// RTCPeerConnection and no origin private file system, but runs service workers. The app
// names what is missing in plain words and what still works, says nothing misleading (no
// tracker that "cannot be reached", no advice to free space, nothing "could not be restored"
// after a reload), and raises no error (support/webkit.ts fails the test on any). A
// web-seeded torrent then downloads into the page's memory and streams through the service
// worker whole. What this measures is README's WebKitGTK column.
import { fetchDigestIn, rowStateIn, shownTextIn } from './support/in-page.ts';
import { randomFixture } from './support/fixtures.ts';
import { expect } from './support/peers.ts';
import { webSeededTorrent } from './support/web-seeded.ts';
import { test, type WebKitPage } from './support/webkit.ts';
import { WebSeedServer } from '../../scripts/web-seed-server.ts';

const shown = (page: WebKitPage, selector: string): Promise<string> =>
  page.evaluate(shownTextIn, selector);

test('WebKitGTK: the app names the missing WebRTC and OPFS, says what still works, and misleads nowhere, even after a reload', async ({
  newWebKitPage,
}) => {
  const page = await newWebKitPage();
  // What this build lacks (if WebKitGTK gains one, README's table changes with this line).
  expect(
    await page.evaluate(() => ({
      webrtc: typeof RTCPeerConnection,
      // navigator.storage itself is missing in this build.
      opfs: typeof (navigator.storage as StorageManager | undefined)?.getDirectory,
      serviceWorker: 'serviceWorker' in navigator,
      pickers: typeof (window as { showOpenFilePicker?: unknown }).showOpenFilePicker,
    })),
  ).toEqual({ webrtc: 'undefined', opfs: 'undefined', serviceWorker: true, pickers: 'undefined' });

  await expect.poll(() => shown(page, 'shoal-notices')).toContain('This browser has no WebRTC');
  const notices = await shown(page, 'shoal-notices');
  expect(notices).toContain('Torrents with a web seed still download from it');
  expect(notices).toContain('no private file storage (OPFS)');
  expect(notices).toContain('Downloading, playing and sharing still work');
  // It tells nothing of the device's memory: downloads in memory get the fixed safe budget.
  expect(notices).toContain('This device can spare about 512 MiB for them');
  // It has service workers: no claim that it does not.
  expect(notices).not.toContain('does not run service workers');

  // A magnet added anyway is listed, and nothing misleading follows.
  await (
    await page.find('shoal-add-bar', 'input#magnet')
  ).sendKeys(`magnet:?xt=urn:btih:${'a'.repeat(40)}`);
  await (await page.find('shoal-add-bar', 'button.primary')).click();
  await expect.poll(() => shown(page, 'shoal-torrent-row')).not.toBe('');
  // Give a tracker failure time to surface, as capabilities.spec.ts does in Chromium.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const after = await shown(page, 'shoal-notices');
  expect(after).not.toContain('cannot be reached');
  expect(after).not.toContain('Free space');

  // A reload: the same notices, nothing claimed, nothing "could not be restored".
  await page.reload();
  await expect.poll(() => shown(page, 'shoal-notices')).toContain('lost when the page closes');
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const reloaded = await shown(page, 'shoal-notices');
  expect(reloaded).not.toContain('could not be restored');
  expect(reloaded).not.toContain('cannot be reached');
  expect(await shown(page, 'shoal-torrent-row')).toBe('');
});

test('WebKitGTK: a web-seeded .torrent downloads into memory and streams whole through the service worker', async ({
  newWebKitPage,
}) => {
  const fixture = randomFixture('webkit-memory-2MiB.bin', 2 * 1024 * 1024);
  const seed = await WebSeedServer.start([fixture.path]);
  try {
    const page = await newWebKitPage();
    await expect.poll(() => shown(page, 'shoal-notices')).toContain('lost when the page closes');
    // Added as a user adds a .torrent: only the web seed has it.
    await (await page.find('input#torrent-file')).sendKeys(await webSeededTorrent(fixture, seed));
    await expect
      .poll(() => page.evaluate(rowStateIn, fixture.name), { timeout: 60_000 })
      .toBe('Seeding');
    expect(seed.counts.bytes).toBeGreaterThanOrEqual(fixture.lengthBytes);

    const infoHash = await page.evaluate(
      () =>
        (window as unknown as { shoal: { store: { state: { torrents: { infoHash: string }[] } } } })
          .shoal.store.state.torrents[0]?.infoHash,
    );
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null))
      .toBe(true);
    expect(
      await page.evaluate(
        fetchDigestIn,
        `/stream/${infoHash ?? ''}/${encodeURIComponent(fixture.name)}`,
      ),
    ).toEqual({ status: 200, lengthBytes: fixture.lengthBytes, sha256: fixture.sha256 });
    const notices = await shown(page, 'shoal-notices');
    expect(notices).not.toContain('Free space');
    expect(notices).not.toContain('getDirectory');
  } finally {
    await seed.close();
  }
});
