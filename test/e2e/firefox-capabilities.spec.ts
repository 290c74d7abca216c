// Firefox with WebRTC and OPFS turned off the way a user turns them off (about:config:
// `media.peerconnection.enabled` and `dom.fs.enabled` false take RTCPeerConnection and
// navigator.storage.getDirectory from pages and workers alike, where capabilities.spec.ts's
// init script reaches the page only). The app says what is missing and what still works, and
// raises no error (the Firefox fixture fails the test on any). Downloads then live in the
// page's memory: they complete, stream and save, and nothing of them is claimed after a reload.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keptRows } from './support/app-state.ts';
import { fileSha256, randomFixture } from './support/fixtures.ts';
import { controlled, fetchDigest, rowState, shownText, test } from './support/firefox.ts';
import { appUrl, expect } from './support/peers.ts';
import { webSeededTorrent } from './support/web-seeded.ts';
import { WebSeedServer } from '../../scripts/web-seed-server.ts';

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

test('Firefox without OPFS: a web-seeded .torrent downloads into memory, streams and saves whole, and is not claimed after a reload', async ({
  newFirefoxPeer,
}) => {
  const fixture = randomFixture('firefox-memory-2MiB.bin', 2 * 1024 * 1024);
  const seed = await WebSeedServer.start([fixture.path]);
  const downloads = mkdtempSync(join(tmpdir(), 'shoal-firefox-memory-'));
  try {
    const page = await newFirefoxPeer(appUrl(), { downloadDir: downloads });
    await expect
      .poll(() => shownText(page, 'shoal-notices'))
      .toContain('lost when the page closes');
    // Added as a user adds a .torrent: only the web seed has it (there is no WebRTC here).
    const input = await page.waitForSelector('>>> input#torrent-file');
    await input?.uploadFile(await webSeededTorrent(fixture, seed));
    await expect.poll(() => rowState(page, fixture.name), { timeout: 60_000 }).toBe('Seeding');
    expect(seed.counts.bytes).toBeGreaterThanOrEqual(fixture.lengthBytes);

    // Read through the service worker's stream route, and saved as a download: the same bytes.
    const infoHash = await page.evaluate(
      () =>
        (window as unknown as { shoal: { store: { state: { torrents: { infoHash: string }[] } } } })
          .shoal.store.state.torrents[0]?.infoHash,
    );
    await controlled(page);
    expect(
      await fetchDigest(page, `/stream/${infoHash ?? ''}/${encodeURIComponent(fixture.name)}`),
    ).toEqual({ status: 200, lengthBytes: fixture.lengthBytes, sha256: fixture.sha256 });
    await (await page.waitForSelector(`>>> button[aria-label="Save ${fixture.name}"]`))?.click();
    const saved = join(downloads, fixture.name);
    await expect.poll(() => (existsSync(saved) ? fileSha256(saved) : null)).toBe(fixture.sha256);

    // No raw storage error, no advice to free space (the fixture fails on any page error).
    const notices = await shownText(page, 'shoal-notices');
    expect(notices).not.toContain('getDirectory');
    expect(notices).not.toContain('Free space');

    // A reload finds nothing claimed: no row, nothing in the torrent list's database.
    await page.reload();
    await expect
      .poll(() => shownText(page, 'shoal-notices'))
      .toContain('lost when the page closes');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await shownText(page, 'shoal-torrent-row')).toBe('');
    expect(await keptRows(page)).toEqual([]);
  } finally {
    await seed.close();
    rmSync(downloads, { recursive: true, force: true });
  }
});
