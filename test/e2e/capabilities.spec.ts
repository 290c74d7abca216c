// A browser without what Shoal is built on (WebRTC, OPFS, service workers: some builds and
// privacy modes of Safari and Firefox lack them) is told which is missing and what still
// works, and the page raises no error. Without OPFS, downloads live in the page's memory: they
// complete, save and share, and nothing of them is claimed after a reload; one larger than the
// memory the device can spare is paused before it fills the tab, and the sizes are said.
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { firstTorrent, keptRows } from './support/app-state.ts';
import { FIXTURE_DIR, randomFixture, sha256 } from './support/fixtures.ts';
import { appUrl, expect, row, seedThroughUi, test } from './support/peers.ts';
import { webSeededTorrent } from './support/web-seeded.ts';
import { WebSeedServer } from '../../scripts/web-seed-server.ts';

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

test('without OPFS a web-seeded download completes in memory, saves whole, shares from the files, and is not claimed after a reload', async ({
  browser,
  newPeer,
}) => {
  const fixture = randomFixture('memory-web-seeded-2MiB.bin', 2 * 1024 * 1024);
  const seed = await WebSeedServer.start([fixture.path]);
  const context = await browser.newContext({ acceptDownloads: true });
  try {
    await context.grantPermissions(['camera', 'microphone'], { origin: appUrl() });
    // The page loses OPFS; its workers keep it, but the engine decides from the page's probe
    // and starts no storage worker at all. No save picker: Save gives a download.
    await context.addInitScript(() => {
      Object.defineProperty(StorageManager.prototype, 'getDirectory', {
        value: undefined,
        configurable: true,
      });
      Object.defineProperty(window, 'showSaveFilePicker', { value: undefined });
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(appUrl());
    const notices = page.locator('shoal-notices');
    await expect(notices).toContainText('lost when the page closes');

    // Added as a user adds a .torrent: only the web seed has it.
    await page
      .locator('shoal-add-bar input#torrent-file')
      .setInputFiles(await webSeededTorrent(fixture, seed));
    await expect(row(page, fixture.name).locator('.state')).toHaveText('Seeding', {
      timeout: 60_000,
    });
    expect(seed.counts.bytes).toBeGreaterThanOrEqual(fixture.lengthBytes);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: `Save ${fixture.name}` }).click();
    expect(sha256(await readFile(await (await download).path()))).toBe(fixture.sha256);

    // Shared from the picked file, nothing copied: another browser downloads it whole.
    const shared = randomFixture('memory-shared-1MiB.bin', 1024 * 1024);
    const magnet = await seedThroughUi(page, shared.path);
    await expect(row(page, shared.name).locator('.state')).toHaveText('Seeding');
    const leecher = await newPeer(appUrl(`?magnet=${encodeURIComponent(magnet)}`), {
      noSavePicker: true,
    });
    await expect(row(leecher, shared.name).locator('.state')).toHaveText('Seeding', {
      timeout: 60_000,
    });
    const fetched = leecher.waitForEvent('download');
    await leecher.getByRole('button', { name: `Save ${shared.name}` }).click();
    expect(sha256(await readFile(await (await fetched).path()))).toBe(shared.sha256);

    // Nothing went wrong, and nothing pointed at a disk it does not use.
    await expect(notices.locator('[role="alert"]')).toHaveCount(0);
    await expect(notices).not.toContainText('Free space');
    await expect(notices).not.toContainText('Not copied');
    expect(page.workers().filter((w) => /pack-worker/.test(w.url()))).toEqual([]);
    expect(errors).toEqual([]);

    // A reload finds nothing claimed: no row, nothing in the torrent list's database.
    await page.reload();
    await expect(notices).toContainText('lost when the page closes');
    await page.waitForTimeout(2000);
    await expect(page.locator('shoal-torrent-row')).toHaveCount(0);
    expect(await keptRows(page)).toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
    await seed.close();
  }
});

/**
 * A .torrent of `lengthBytes` nobody has (its piece hashes are made up): all that matters is
 * the size its metadata states, which the app reads before fetching anything.
 */
function sizedTorrent(name: string, lengthBytes: number): string {
  const pieceLength = 16 * 1024 * 1024;
  const pieces = 'p'.repeat(20 * Math.ceil(lengthBytes / pieceLength));
  const info =
    `d6:lengthi${String(lengthBytes)}e4:name${String(name.length)}:${name}` +
    `12:piece lengthi${String(pieceLength)}e6:pieces${String(pieces.length)}:${pieces}e`;
  mkdirSync(FIXTURE_DIR, { recursive: true });
  const path = join(FIXTURE_DIR, `${name}.torrent`);
  writeFileSync(path, `d4:info${info}e`);
  return path;
}

test('without OPFS a download larger than the memory this device can spare is paused, and the sizes are said on it', async ({
  browser,
}, testInfo) => {
  const context = await browser.newContext();
  try {
    await context.addInitScript(() => {
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
    // Up front: how much this device can spare (Chromium says: deviceMemory, the heap limit).
    await expect(notices).toContainText(/This device can spare about [\d.]+ [GM]iB for them/);
    const upFront = await notices.locator('li', { hasText: 'can spare about' }).innerText();
    const budget = /can spare about ([\d.]+ [GM]iB)/.exec(upFront)?.[1];
    expect(budget).toBeDefined();
    testInfo.annotations.push({ type: 'memory budget', description: String(budget) });

    const name = 'too-big-for-memory.iso';
    await page
      .locator('shoal-add-bar input#torrent-file')
      .setInputFiles(sizedTorrent(name, 64 * 1024 ** 3));
    const added = row(page, name);
    await expect(added.locator('.state')).toHaveText('Paused');
    const said = added.locator('.needs-access');
    await expect(said).toContainText('Paused: it is 64 GiB');
    await expect(said).toContainText(`this device can spare about ${String(budget)}.`);
    await expect(said).toContainText('Open Shoal in a browser with file storage (OPFS)');
    await expect(notices).toContainText(`"${name}": Paused: it is 64 GiB`);
    // Nothing of it was fetched, and nothing pointed at a disk it does not use.
    expect((await firstTorrent(page))?.downloadedBytes).toBe(0);
    await expect(notices).not.toContainText('Free space');
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
