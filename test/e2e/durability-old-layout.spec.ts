// A torrent kept by an older version of the app, in its one-file-per-piece layout, is still
// there after the upgrade of its storage: it opens complete, seeds and plays.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { firstTorrent, keptPieces, type KeptRow } from './support/app-state.ts';
import { keptRecordWithMetadata, newPeerSavesEveryByte } from './support/durability.ts';
import { mediaFixture } from './support/media.ts';
import { appUrl, expect, row, seedThroughUi, test } from './support/peers.ts';
import { APP_ORIGIN } from './support/ports.ts';
import { launchProfile } from './support/profile.ts';
import { torrentLayout } from './support/torrent-file.ts';

/** What a profile from before the pack files holds for one complete torrent. */
interface OldLayout {
  readonly record: KeptRow & { torrentFile: number[] };
  readonly pieceLengthBytes: number;
  readonly pieceCount: number;
  /** The torrent's one file, base64. */
  readonly fileBase64: string;
}

/**
 * Writes, in the profile at `dir`, a torrent kept the way the app kept it before its pieces
 * went into one pack file per torrent: IndexedDB 'shoal' (version 2: 'torrents' and
 * 'retention'), and OPFS `shoal-pieces/<infoHash>/<index>`, one file per piece holding
 * exactly that piece's bytes. Written from a blank page of the app's origin (the app itself
 * never runs in this profile before).
 */
async function writeOldLayoutProfile(dir: string, old: OldLayout): Promise<void> {
  const context = await launchProfile(dir);
  try {
    const setupUrl = `${APP_ORIGIN}/old-layout-setup`;
    await context.route(setupUrl, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>setup</title>' }),
    );
    const page = await context.newPage();
    await page.goto(setupUrl);
    await page.evaluate(async ({ record, pieceLengthBytes, pieceCount, fileBase64 }) => {
      const data = Uint8Array.from(atob(fileBase64), (c) => c.charCodeAt(0));
      const root = await navigator.storage.getDirectory();
      const pieces = await root.getDirectoryHandle('shoal-pieces', { create: true });
      const folder = await pieces.getDirectoryHandle(record.infoHash, { create: true });
      for (let index = 0; index < pieceCount; index++) {
        const file = await folder.getFileHandle(String(index), { create: true });
        const writable = await file.createWritable();
        await writable.write(data.slice(index * pieceLengthBytes, (index + 1) * pieceLengthBytes));
        await writable.close();
      }
      const bitfield = new Uint8Array(Math.ceil(pieceCount / 8));
      for (let index = 0; index < pieceCount; index++)
        bitfield[index >> 3] = (bitfield[index >> 3] ?? 0) | (0x80 >> (index & 7));
      await new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('shoal', 2);
        open.onupgradeneeded = () => {
          open.result.createObjectStore('torrents', { keyPath: 'infoHash' });
          open.result.createObjectStore('retention', { keyPath: 'infoHash' });
        };
        open.onerror = () => {
          reject(new Error('could not open the database'));
        };
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['torrents', 'retention'], 'readwrite');
          tx.objectStore('torrents').put({
            infoHash: record.infoHash,
            name: record.name,
            magnetURI: record.magnetURI,
            torrentFile: Uint8Array.from(record.torrentFile),
            bitfield,
            paused: false,
            addedAtMs: record.addedAtMs,
            summary: record.summary,
          });
          tx.objectStore('retention').put({
            infoHash: record.infoHash,
            kept: true,
            lastUsedMs: Date.now(),
          });
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => {
            reject(new Error('could not write the torrent'));
          };
        };
      });
    }, old);
  } finally {
    await context.close();
  }
}

/** The element playing (the next item may be loading ahead in a hidden one). */
const media = (page: Page) =>
  page.locator('shoal-player').locator('video:not([hidden]), audio:not([hidden])');

test('a torrent kept in the old one-file-per-piece layout opens, seeds and plays', async ({
  newPeer,
}) => {
  test.setTimeout(4 * 60_000);
  const fixture = mediaFixture('clip-h264.mp4');
  // The .torrent as the app makes it: shared once in a context of its own, then gone.
  const source = await newPeer(appUrl());
  const magnet = await seedThroughUi(source, fixture.path);
  const firstRecord = await keptRecordWithMetadata(source);
  const layout = torrentLayout(Uint8Array.from(firstRecord.torrentFile));
  expect(layout.lengthBytes).toBe(fixture.lengthBytes);
  // Copied in full, so that the summary kept with it is the complete one.
  await expect.poll(() => keptPieces(source)).toEqual([layout.pieceCount]);
  const record = await keptRecordWithMetadata(source);
  await source.context().close();

  const profile = mkdtempSync(join(tmpdir(), 'shoal-old-layout-'));
  try {
    await writeOldLayoutProfile(profile, {
      record,
      pieceLengthBytes: layout.pieceLengthBytes,
      pieceCount: layout.pieceCount,
      fileBase64: readFileSync(fixture.path).toString('base64'),
    });
    const context = await launchProfile(profile);
    try {
      const page = await context.newPage();
      await page.goto(appUrl());
      const keptRow = row(page, fixture.name);
      await expect(keptRow.locator('.state')).toHaveText('Seeding');
      await expect(keptRow.locator('.progress')).toHaveText('100%');
      const figures = await firstTorrent(page);
      expect(figures?.infoHash).toBe(record.infoHash);
      expect(figures?.downloadedBytes).toBe(fixture.lengthBytes);
      expect(figures?.receivedBytes).toBe(0);

      // It plays from what it kept (nobody else has it).
      await page.evaluate(() => navigator.serviceWorker.ready);
      await keptRow.locator('button.name').click();
      await page.getByRole('button', { name: `Play ${fixture.name}` }).click();
      await expect
        .poll(() => media(page).evaluate((element: HTMLMediaElement) => element.currentTime))
        .toBeGreaterThan(1);

      // A new peer gets every byte from it alone.
      await newPeerSavesEveryByte(newPeer, magnet, fixture);
      await expect(keptRow.locator('.state')).toHaveText('Seeding');
      expect(await keptPieces(page)).toEqual([layout.pieceCount]);
    } finally {
      await context.close();
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});
