import { readFile, writeFile } from 'node:fs/promises';
import { randomFixture, sha256 } from './support/fixtures.ts';
import { appUrl, expect, row, seedThroughUi, test } from './support/peers.ts';
import { STATIC_ORIGIN, TRACKER_URL } from './support/ports.ts';

const MiB = 1024 * 1024;

test('a file shared in one tab downloads in another from /?magnet=, and the saved bytes match', async ({
  newPeer,
}, testInfo) => {
  const fixture = randomFixture('swarm-16MiB.bin', 16 * MiB);
  const seeder = await newPeer(appUrl());
  const magnet = await seedThroughUi(seeder, fixture.path);
  await expect(row(seeder, fixture.name).locator('.state')).toHaveText('Seeding');
  expect(magnet).toContain(encodeURIComponent(TRACKER_URL));

  const startedMs = Date.now();
  const leecher = await newPeer(appUrl(`?magnet=${encodeURIComponent(magnet)}`), {
    noSavePicker: true,
  });
  const leecherRow = row(leecher, fixture.name);
  await expect(leecherRow.locator('.state')).toHaveText('Seeding', { timeout: 90_000 });
  const downloadS = (Date.now() - startedMs) / 1000;
  testInfo.annotations.push({
    type: 'timing',
    description: `16 MiB 1→1 download: ${downloadS.toFixed(2)} s`,
  });
  console.log(`16 MiB 1→1 download (page open → complete): ${downloadS.toFixed(2)} s`);

  // The magnet left the address bar, so a reload would not add it again.
  expect(new URL(leecher.url()).searchParams.get('magnet')).toBeNull();
  await expect(leecherRow.locator('.size')).toHaveText('16 MiB');
  await expect(leecherRow.locator('.progress')).toHaveText('100%');
  await expect(row(seeder, fixture.name).locator('.peers')).toHaveText('1');

  const detail = leecher.locator('shoal-torrent-detail');
  await expect(detail.locator(`tr[data-path="${fixture.name}"]`)).toContainText('100%');
  const download = leecher.waitForEvent('download');
  await detail.getByRole('button', { name: `Save ${fixture.name}` }).click();
  const saved = await download;
  expect(saved.suggestedFilename()).toBe(fixture.name);
  const savedPath = await saved.path();
  expect(sha256(await readFile(savedPath))).toBe(fixture.sha256);
});

test('saving through the File System Access picker streams the same bytes to the chosen file', async ({
  newPeer,
}) => {
  const fixture = randomFixture('picker-3MiB.bin', 3 * MiB);
  const seeder = await newPeer(appUrl());
  const magnet = await seedThroughUi(seeder, fixture.path);
  const leecher = await newPeer(appUrl(`#${magnet}`));
  await expect(row(leecher, fixture.name).locator('.state')).toHaveText('Seeding');
  // Headless Chromium cannot show the picker: answer it with a file in this origin's OPFS.
  await leecher.evaluate(() => {
    Object.defineProperty(window, 'showSaveFilePicker', {
      value: async ({ suggestedName }: { suggestedName: string }) =>
        (await navigator.storage.getDirectory()).getFileHandle(`saved-${suggestedName}`, {
          create: true,
        }),
    });
  });
  await leecher.getByRole('button', { name: `Save ${fixture.name}` }).click();
  await expect(leecher.locator('shoal-notices')).toContainText(`Saved "${fixture.name}"`);
  const savedHash = await leecher.evaluate(async (name) => {
    const file = await (
      await (await navigator.storage.getDirectory()).getFileHandle(`saved-${name}`)
    ).getFile();
    const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  }, fixture.name);
  expect(savedHash).toBe(fixture.sha256);
});

test('a magnet seeded by stock WebTorrent downloads in Shoal', async ({ newPeer }) => {
  const fixture = randomFixture('from-stock-4MiB.bin', 4 * MiB);
  const stock = await newPeer(`${STATIC_ORIGIN}/stock.html`);
  await stock.waitForFunction(() => (window as { stockReady?: boolean }).stockReady === true);
  const magnet = await stock.evaluate(
    ([name, tracker]) =>
      (
        window as unknown as { stock: { seed(n: string, a: string[]): Promise<string> } }
      ).stock.seed(name, [tracker]),
    [fixture.name, TRACKER_URL] as const,
  );
  const shoal = await newPeer(appUrl(`?magnet=${encodeURIComponent(magnet)}`), {
    noSavePicker: true,
  });
  await expect(row(shoal, fixture.name).locator('.state')).toHaveText('Seeding');
  const download = shoal.waitForEvent('download');
  await shoal.getByRole('button', { name: `Save ${fixture.name}` }).click();
  expect(sha256(await readFile(await (await download).path()))).toBe(fixture.sha256);
});

test('a magnet shared by Shoal downloads in stock WebTorrent', async ({ newPeer }) => {
  const fixture = randomFixture('to-stock-4MiB.bin', 4 * MiB);
  const shoal = await newPeer(appUrl());
  const magnet = await seedThroughUi(shoal, fixture.path);
  const stock = await newPeer(`${STATIC_ORIGIN}/stock.html`);
  await stock.waitForFunction(() => (window as { stockReady?: boolean }).stockReady === true);
  const hash = await stock.evaluate(
    ([m, tracker]) =>
      (
        window as unknown as { stock: { download(m: string, a: string[]): Promise<string> } }
      ).stock.download(m, [tracker]),
    [magnet, TRACKER_URL] as const,
  );
  expect(hash).toBe(fixture.sha256);
  await expect(row(shoal, fixture.name).locator('.peers')).toHaveText('1');
});

test('a .torrent file opened through the picker downloads', async ({ newPeer }) => {
  const fixture = randomFixture('by-torrent-file.bin', 1024 * 1024);
  const stock = await newPeer(`${STATIC_ORIGIN}/stock.html`);
  await stock.waitForFunction(() => (window as { stockReady?: boolean }).stockReady === true);
  const torrentBytes = await stock.evaluate(
    async ([name, tracker]) => {
      const stockApi = (
        window as unknown as {
          stock: { seed(n: string, a: string[]): Promise<string>; torrentFile(): number[] };
        }
      ).stock;
      await stockApi.seed(name, [tracker]);
      return stockApi.torrentFile();
    },
    [fixture.name, TRACKER_URL] as const,
  );
  const torrentPath = `${fixture.path}.torrent`;
  await writeFile(torrentPath, Uint8Array.from(torrentBytes));
  const shoal = await newPeer(appUrl());
  await shoal.locator('shoal-add-bar input#torrent-file').setInputFiles(torrentPath);
  await expect(row(shoal, fixture.name).locator('.state')).toHaveText('Seeding');
  await expect(shoal.locator('shoal-add-bar #add-error')).toHaveText('');
});

test('files dropped on the page are shared', async ({ newPeer }) => {
  const page = await newPeer(appUrl());
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.items.add(
      new File(['dropped bytes '.repeat(1000)], 'dropped.txt', { type: 'text/plain' }),
    );
    const app = document.querySelector('shoal-app');
    app?.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true }));
    app?.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true }));
  });
  await expect(row(page, 'dropped.txt').locator('.state')).toHaveText('Seeding');
  await expect(page.locator('shoal-torrent-detail input#magnet-link')).toHaveValue(
    /dn=dropped.txt/,
  );
  // The shared copy counts against this site's storage, and the page says how much.
  await expect(page.locator('shoal-storage .usage')).toContainText(
    /Storage: [1-9][\d.]* \w+ used of/,
  );
});

test('the service worker precaches the app shell: it opens offline', async ({ newPeer }) => {
  const page = await newPeer(appUrl());
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null))
    .toBe(true);
  await page.context().setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Shoal' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Magnet link or info-hash' })).toBeVisible();
});
