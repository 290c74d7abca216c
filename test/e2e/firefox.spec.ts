// Shoal in Firefox (Debian's ESR, over WebDriver BiDi): it swarms with Chromium both ways,
// streams through its service worker, and keeps its torrents across a reload.
import { readFile } from 'node:fs/promises';
import { randomFixture, sha256 } from './support/fixtures.ts';
import { fetchDigest, rowState, shareFiles, shownMagnet, test } from './support/firefox.ts';
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
