import { readFile } from 'node:fs/promises';
import type { CDPSession, Page } from '@playwright/test';
import { firstTorrent, keptPieces, keptTorrents } from './support/app-state.ts';
import { randomFixture, sha256, type Fixture } from './support/fixtures.ts';
import { appUrl, expect, row, seedFilesThroughUi, seedThroughUi, test } from './support/peers.ts';
import { APP_ORIGIN } from './support/ports.ts';

const MiB = 1024 * 1024;

/** Downloads a magnet in a new tab and saves the file: its SHA-256. */
async function downloadSha256(
  newPeer: (url: string, o?: { noSavePicker?: boolean }) => Promise<Page>,
  magnet: string,
  fixture: Fixture,
): Promise<{ page: Page; sha256: string }> {
  const page = await newPeer(appUrl(`?magnet=${encodeURIComponent(magnet)}`), {
    noSavePicker: true,
  });
  await expect(row(page, fixture.name).locator('.state')).toHaveText('Seeding', {
    timeout: 90_000,
  });
  const download = page.waitForEvent('download');
  await page
    .locator('shoal-torrent-detail')
    .getByRole('button', { name: `Save ${fixture.name}` })
    .click();
  const saved = await download;
  return { page, sha256: sha256(await readFile(await saved.path())) };
}

const quotaSessions = new WeakMap<Page, CDPSession>();

/**
 * Limits how much this page's origin may store (a real full OPFS for the app), or with
 * null gives it the browser's quota back. The limit lasts as long as its DevTools session.
 */
async function limitStorage(page: Page, quotaBytes: number | null): Promise<void> {
  const cdp = quotaSessions.get(page) ?? (await page.context().newCDPSession(page));
  quotaSessions.set(page, cdp);
  await cdp.send('Storage.overrideQuotaForOrigin', {
    origin: APP_ORIGIN,
    ...(quotaBytes === null ? {} : { quotaSize: quotaBytes }),
  });
}

test('shared files get their magnet once hashed, download while they are copied, and seed from OPFS after a reload', async ({
  newPeer,
}, testInfo) => {
  // Two downloads and a copy on a busy 2-core machine.
  test.setTimeout(240_000);
  const fixture = randomFixture('picked-24MiB.bin', 24 * MiB);
  const seeder = await newPeer(appUrl());
  const startedMs = Date.now();
  const magnet = await seedThroughUi(seeder, fixture.path);
  const magnetS = (Date.now() - startedMs) / 1000;
  const pieces = 24 * 32; // 32 KiB pieces
  const copiedAtMagnet = (await keptPieces(seeder))[0] ?? 0;
  const note = `24 MiB pick → magnet shown ${magnetS.toFixed(2)} s (Playwright polling included); ${String(copiedAtMagnet)}/${String(pieces)} pieces copied then`;
  testInfo.annotations.push({ type: 'timing', description: note });
  console.log(note);
  await expect(row(seeder, fixture.name).locator('.state')).toHaveText('Seeding');

  // Another tab downloads it at once, while the copy may still run.
  const first = await downloadSha256(newPeer, magnet, fixture);
  expect(first.sha256).toBe(fixture.sha256);

  // Once copied, what is kept says every piece, and a reload seeds from OPFS alone.
  await expect
    .poll(() => keptTorrents(seeder), { timeout: 60_000 })
    .toEqual([{ paused: false, pieces }]);
  await first.page.close();
  await seeder.reload();
  await expect(row(seeder, fixture.name).locator('.state')).toHaveText('Seeding');
  const second = await downloadSha256(newPeer, magnet, fixture);
  expect(second.sha256).toBe(fixture.sha256);
  expect((await firstTorrent(seeder))?.receivedBytes).toBe(0);
});

test('a full disk stops the copy but not the sharing; a reload says what is missing, and sharing the files again finishes it', async ({
  newPeer,
}) => {
  const fixture = randomFixture('picked-full-8MiB.bin', 8 * MiB);
  const seeder = await newPeer(appUrl());
  await limitStorage(seeder, 3 * MiB);
  const magnet = await seedThroughUi(seeder, fixture.path);
  const detail = seeder.locator('shoal-torrent-detail');
  await expect(detail.locator('.warning')).toContainText(
    'Not copied to this device: the browser storage for this site is full',
  );
  await expect(seeder.locator('shoal-notices')).toContainText('storage for this site is full');
  // Still shared, from the picked file.
  await expect(row(seeder, fixture.name).locator('.state')).toHaveText('Seeding');
  const leecher = await downloadSha256(newPeer, magnet, fixture);
  expect(leecher.sha256).toBe(fixture.sha256);
  await leecher.page.close();

  const [kept] = await keptTorrents(seeder);
  expect(kept?.pieces).toBeGreaterThan(0);
  expect(kept?.pieces).toBeLessThan(512);
  await seeder.reload();
  await seeder.getByRole('button', { name: fixture.name, exact: true }).click();
  // What was not copied is not claimed: it is fetched, not served.
  await expect(detail.locator('.warning')).toContainText(
    `The copy of your shared files had not finished before the page closed: ${String(kept?.pieces)} of 512 pieces are on this device`,
  );
  await expect(row(seeder, fixture.name).locator('.state')).not.toHaveText('Seeding');
  const progress = (await firstTorrent(seeder))?.progress ?? 1;
  expect(progress).toBeLessThan(1);

  // With room again, picking the same file finishes the copy, and it seeds complete.
  await limitStorage(seeder, null);
  await seeder.locator('shoal-add-bar input#seed-files').setInputFiles(fixture.path);
  await expect(row(seeder, fixture.name).locator('.state')).toHaveText('Seeding');
  await expect(row(seeder, fixture.name)).toHaveCount(1);
  await expect.poll(() => keptPieces(seeder), { timeout: 30_000 }).toEqual([512]);
  await expect(detail.locator('.warning')).toHaveCount(0);
});

test('a download into a full disk pauses with a message, and after room is made it resumes to the same bytes', async ({
  newPeer,
}) => {
  const fixture = randomFixture('full-disk-8MiB.bin', 8 * MiB);
  const seeder = await newPeer(appUrl());
  const magnet = await seedThroughUi(seeder, fixture.path);
  const leecher = await newPeer(appUrl(), { noSavePicker: true });
  await limitStorage(leecher, 3 * MiB);
  await leecher.locator('shoal-add-bar input#magnet').fill(magnet);
  await leecher.locator('shoal-add-bar button.primary').click();
  const leecherRow = row(leecher, fixture.name);
  await expect(leecherRow.locator('.state')).toHaveText('Paused');
  await expect(leecher.locator('shoal-notices')).toContainText(
    `Paused "${fixture.name}": the browser storage for this site is full. Free space`,
  );
  await expect(leecher.locator('shoal-torrent-detail .warning')).toContainText(
    'storage for this site is full',
  );
  const paused = await firstTorrent(leecher);
  expect(paused?.progress).toBeLessThan(1);
  // Paused for good: nothing more arrives.
  await leecher.waitForTimeout(1000);
  expect((await firstTorrent(leecher))?.downloadedBytes).toBe(paused?.downloadedBytes);

  await limitStorage(leecher, null);
  await leecherRow.getByRole('button', { name: `Resume ${fixture.name}` }).click();
  await expect(leecherRow.locator('.state')).toHaveText('Seeding');
  const download = leecher.waitForEvent('download');
  await leecher
    .locator('shoal-torrent-detail')
    .getByRole('button', { name: `Save ${fixture.name}` })
    .click();
  expect(sha256(await readFile(await (await download).path()))).toBe(fixture.sha256);
});

test('several files are named before they are shared: "3 files" is offered, Cancel shares nothing, and a peer gets the name given', async ({
  newPeer,
}) => {
  const photos = ['beach.jpg', 'dunes.jpg', 'harbour.jpg'].map((name) =>
    randomFixture(name, 200 * 1024),
  );
  const paths = photos.map((p) => p.path);
  const seeder = await newPeer(appUrl());
  const input = seeder.locator('shoal-add-bar input#seed-files');
  const dialog = seeder.locator('shoal-share-name dialog');

  await input.setInputFiles(paths);
  await expect(dialog.getByRole('heading')).toHaveText('Share 3 files');
  await expect(dialog.getByLabel('Name others see')).toHaveValue('3 files');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(seeder.locator('shoal-torrent-row')).toHaveCount(0);

  const magnet = await seedFilesThroughUi(seeder, paths, 'Holiday / photos');
  // A slash would read as a folder: the name keeps one part.
  const name = 'Holiday - photos';
  await expect(seeder.locator('shoal-torrent-detail h2')).toHaveText(name);
  expect(new URL(magnet).searchParams.get('dn')).toBe(name);
  const peer = await newPeer(appUrl(`?magnet=${encodeURIComponent(magnet)}`));
  await expect(row(peer, name).locator('.state')).toHaveText('Seeding', { timeout: 60_000 });
  for (const photo of photos)
    await expect(peer.locator('shoal-torrent-detail')).toContainText(photo.name);
});
