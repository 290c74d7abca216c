// Shoal in Firefox (Debian's ESR, over WebDriver BiDi): it swarms with Chromium both ways and
// with another Firefox, saves as a download, streams through its service worker, and keeps
// its torrents across a reload.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSha256, randomFixture, sha256 } from './support/fixtures.ts';
import { mediaFixture } from './support/media.ts';
import {
  controlled,
  fetchDigest,
  rowState,
  shareFiles,
  shownMagnet,
  test,
} from './support/firefox.ts';
import { appUrl, expect, row, seedThroughUi } from './support/peers.ts';

const MiB = 1024 * 1024;

const streamUrl = (magnet: string, name: string): string =>
  `/stream/${/btih:([0-9a-f]{40})/.exec(magnet)?.[1] ?? ''}/${encodeURIComponent(name)}`;

test('a file shared in Chromium downloads in Firefox, and one shared in Firefox downloads in Chromium', async ({
  newPeer,
  newFirefoxPeer,
}) => {
  const fromChromium = randomFixture('chromium-to-firefox-4MiB.bin', 4 * MiB);
  const chromium = await newPeer(appUrl(), { noSavePicker: true });
  const magnet = await seedThroughUi(chromium, fromChromium.path);
  const firefox = await newFirefoxPeer(appUrl(`?magnet=${encodeURIComponent(magnet)}`));
  await expect.poll(() => rowState(firefox, fromChromium.name)).toBe('Seeding');
  // Firefox's service worker serves the file it downloaded, byte for byte.
  expect(await fetchDigest(firefox, streamUrl(magnet, fromChromium.name))).toEqual({
    status: 200,
    lengthBytes: fromChromium.lengthBytes,
    sha256: fromChromium.sha256,
  });

  const fromFirefox = randomFixture('firefox-to-chromium-4MiB.bin', 4 * MiB);
  await shareFiles(firefox, fromFirefox.path);
  await expect.poll(() => rowState(firefox, fromFirefox.name)).toBe('Seeding');
  const firefoxMagnet = await shownMagnet(firefox);
  expect(firefoxMagnet).toContain(`dn=${fromFirefox.name}`);
  const leecher = await newPeer(appUrl(`?magnet=${encodeURIComponent(firefoxMagnet)}`), {
    noSavePicker: true,
  });
  await expect(row(leecher, fromFirefox.name).locator('.state')).toHaveText('Seeding');
  const download = leecher.waitForEvent('download');
  await leecher.getByRole('button', { name: `Save ${fromFirefox.name}` }).click();
  expect(sha256(await readFile(await (await download).path()))).toBe(fromFirefox.sha256);
});

test('a file shared in one Firefox downloads in another, and Save there gives a download of the same bytes', async ({
  newFirefoxPeer,
}) => {
  const fixture = randomFixture('firefox-to-firefox-4MiB.bin', 4 * MiB);
  const sharer = await newFirefoxPeer(appUrl());
  await shareFiles(sharer, fixture.path);
  await expect.poll(() => rowState(sharer, fixture.name)).toBe('Seeding');
  const magnet = await shownMagnet(sharer);
  const downloads = mkdtempSync(join(tmpdir(), 'shoal-firefox-downloads-'));
  try {
    const leecher = await newFirefoxPeer(appUrl(`?magnet=${encodeURIComponent(magnet)}`), {
      downloadDir: downloads,
    });
    await expect.poll(() => rowState(leecher, fixture.name)).toBe('Seeding');
    // Firefox has no save picker: Save hands the file to the browser as a download.
    expect(await leecher.evaluate(() => 'showSaveFilePicker' in window)).toBe(false);
    const save = await leecher.waitForSelector(`>>> button[aria-label="Save ${fixture.name}"]`);
    await save?.click();
    const saved = join(downloads, fixture.name);
    await expect.poll(() => (existsSync(saved) ? fileSha256(saved) : null)).toBe(fixture.sha256);
  } finally {
    rmSync(downloads, { recursive: true, force: true });
  }
});

test('an MP4 plays in Firefox through its service worker, and seeks', async ({
  newPeer,
  newFirefoxPeer,
}) => {
  const fixture = mediaFixture('clip-h264.mp4');
  const seeder = await newPeer(appUrl());
  const magnet = await seedThroughUi(seeder, fixture.path);
  const firefox = await newFirefoxPeer(appUrl(`?magnet=${encodeURIComponent(magnet)}`));
  await controlled(firefox);
  const play = await firefox.waitForSelector(`>>> button[aria-label="Play ${fixture.name}"]`);
  await play?.click();
  // The element playing (the next item may load ahead in a hidden one).
  const playhead = async (): Promise<number> => {
    const media = await firefox.$('>>> shoal-player >>> video:not([hidden])');
    return media ? media.evaluate((element) => element.currentTime) : -1;
  };
  await expect.poll(playhead).toBeGreaterThan(1);
  const media = await firefox.$('>>> shoal-player >>> video:not([hidden])');
  // Its source is the service worker's stream of the torrent's file.
  expect(await media?.evaluate((element) => new URL(element.currentSrc).pathname)).toBe(
    streamUrl(magnet, fixture.name),
  );
  await media?.evaluate((element) => {
    element.currentTime = 12;
  });
  await expect.poll(playhead).toBeGreaterThan(12.5);
});

test('a torrent downloaded in Firefox is still there after a reload, and streams with no peer', async ({
  newPeer,
  newFirefoxPeer,
}) => {
  const fixture = randomFixture('firefox-reload-2MiB.bin', 2 * MiB);
  const seeder = await newPeer(appUrl());
  const magnet = await seedThroughUi(seeder, fixture.path);
  const firefox = await newFirefoxPeer(appUrl(`?magnet=${encodeURIComponent(magnet)}`));
  await expect.poll(() => rowState(firefox, fixture.name)).toBe('Seeding');
  // Nobody else has it any more: what Firefox shows after the reload is what it kept.
  await seeder.context().close();
  await firefox.reload();
  await expect.poll(() => rowState(firefox, fixture.name)).toBe('Seeding');
  await controlled(firefox);
  expect(await fetchDigest(firefox, streamUrl(magnet, fixture.name))).toEqual({
    status: 200,
    lengthBytes: fixture.lengthBytes,
    sha256: fixture.sha256,
  });
});
