import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { firstTorrent, keptTorrents } from './support/app-state.ts';
import { sha256 } from './support/fixtures.ts';
import { appUrl, expect, row, test } from './support/peers.ts';

/**
 * Sharing through the File System Access pickers: the files are seeded where they are and
 * only their handles are kept. Playwright cannot answer Chromium's native file picker or its
 * permission prompt (microsoft/playwright#8850), so the page's picker returns handles of real
 * files the test wrote (in a folder of the origin's private file system, apart from Shoal's
 * own), and a flag makes the permission calls answer as Chromium does after a restart until
 * the user allows access.
 */
const NAME = 'in-place-3MiB.bin';
const LENGTH = 3 * 1024 * 1024;

async function installPickers(page: Page): Promise<void> {
  await page.context().addInitScript(() => {
    const folder = async (): Promise<FileSystemDirectoryHandle> =>
      (await navigator.storage.getDirectory()).getDirectoryHandle('picked-by-test');
    Object.assign(window, {
      showOpenFilePicker: async () => [await (await folder()).getFileHandle('in-place-3MiB.bin')],
      showDirectoryPicker: folder,
    });
    if (sessionStorage.getItem('test-permission') === 'prompt') {
      Object.assign(FileSystemHandle.prototype, {
        queryPermission: () => Promise.resolve('prompt'),
        requestPermission: () => {
          sessionStorage.setItem('test-permission', 'asked');
          return Promise.resolve('granted');
        },
      });
    }
  });
  await page.reload();
}

/** Writes the user's file (random bytes, or `flip`: the same with one byte changed). */
function writeUserFile(page: Page, length: number, flip = false): Promise<void> {
  return page.evaluate(
    async ({ length, flip }) => {
      const root = await navigator.storage.getDirectory();
      const dir = await root.getDirectoryHandle('picked-by-test', { create: true });
      const handle = await dir.getFileHandle('in-place-3MiB.bin', { create: true });
      const bytes = flip ? new Uint8Array(await (await handle.getFile()).arrayBuffer()) : null;
      const out = bytes ?? new Uint8Array(length);
      if (bytes) out[1000] = (out[1000] ?? 0) ^ 0xff;
      else
        for (let at = 0; at < length; at += 65536)
          crypto.getRandomValues(out.subarray(at, at + 65536));
      const writable = await handle.createWritable();
      await writable.write(out);
      await writable.close();
    },
    { length, flip },
  );
}

const userFileSha256 = (page: Page): Promise<string> =>
  page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle('picked-by-test');
    const file = await (await dir.getFileHandle('in-place-3MiB.bin')).getFile();
    const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  });

/** Bytes of piece data in Shoal's own store (its OPFS pack) for a torrent: a copy would put them there. */
const storedPieces = (page: Page, infoHash: string): Promise<number> =>
  page.evaluate(async (hash) => {
    const root = await navigator.storage.getDirectory();
    try {
      const packs = await root.getDirectoryHandle('shoal-packs');
      const data = await (await packs.getDirectoryHandle(hash)).getFileHandle('data');
      return (await data.getFile()).size;
    } catch {
      return 0;
    }
  }, infoHash);

async function downloads(
  newPeer: (url: string, o?: { noSavePicker?: boolean }) => Promise<Page>,
  magnet: string,
): Promise<string> {
  const leecher = await newPeer(appUrl(`?magnet=${encodeURIComponent(magnet)}`), {
    noSavePicker: true,
  });
  await expect(row(leecher, NAME).locator('.state')).toHaveText('Seeding', { timeout: 60_000 });
  const download = leecher.waitForEvent('download');
  await leecher
    .locator('shoal-torrent-detail')
    .getByRole('button', { name: `Save ${NAME}` })
    .click();
  const hash = sha256(await readFile(await (await download).path()));
  await leecher.close();
  return hash;
}

test('files picked with File System Access are seeded where they are, come back after a reload without a copy, ask for access again, and stop when changed', async ({
  newPeer,
}) => {
  test.setTimeout(180_000);
  const seeder = await newPeer(appUrl());
  await installPickers(seeder);
  await writeUserFile(seeder, LENGTH);
  const expected = await userFileSha256(seeder);

  await seeder.locator('shoal-add-bar').getByRole('button', { name: 'Share files…' }).click();
  const detail = seeder.locator('shoal-torrent-detail');
  await expect(detail.locator('h2')).toHaveText(NAME);
  await expect(detail.locator('.in-place')).toContainText('Seeded from your files where they are');
  const magnet = await detail.locator('input#magnet-link').inputValue();
  const infoHash = (await firstTorrent(seeder))?.infoHash ?? '';
  await expect(row(seeder, NAME).locator('.state')).toHaveText('Seeding');
  await expect(seeder.locator('shoal-storage')).toContainText('in your files');

  // A reload: listed and seeding from the file, and another user downloads all of it.
  // Kept in IndexedDB (its handle with every piece), as a reload will find it.
  await expect.poll(() => keptTorrents(seeder)).toEqual([{ paused: false, pieces: 192 }]);
  await seeder.reload();
  await expect(row(seeder, NAME).locator('.state')).toHaveText('Seeding');
  expect(await downloads(newPeer, magnet)).toBe(expected);
  expect((await firstTorrent(seeder))?.receivedBytes).toBe(0);
  expect(await storedPieces(seeder, infoHash)).toBe(0);

  // As after a browser restart: the browser wants access allowed again. The row says so,
  // and one click on "Allow access" (asking the user) seeds it again.
  await seeder.evaluate(() => {
    sessionStorage.setItem('test-permission', 'prompt');
  });
  await seeder.reload();
  const seederRow = row(seeder, NAME);
  await expect(seederRow.locator('.state')).toHaveText('Paused');
  await expect(seederRow.locator('.needs-access')).toContainText('needs your permission again');
  await seederRow.getByRole('button', { name: `Allow access to the files of ${NAME}` }).click();
  await expect(seederRow.locator('.state')).toHaveText('Seeding');
  expect(await seeder.evaluate(() => sessionStorage.getItem('test-permission'))).toBe('asked');
  expect(await downloads(newPeer, magnet)).toBe(expected);

  // The file is changed behind Shoal's back: after a reload it says so and seeds nothing.
  await seeder.evaluate(() => {
    sessionStorage.removeItem('test-permission');
  });
  await writeUserFile(seeder, LENGTH, true);
  await seeder.reload();
  await expect(seederRow.locator('.state')).toHaveText('Error');
  await seederRow.locator('button.name').click();
  await expect(detail.locator('.problem')).toContainText(`"${NAME}" changed since you shared it`);
  expect(await storedPieces(seeder, infoHash)).toBe(0);
});
