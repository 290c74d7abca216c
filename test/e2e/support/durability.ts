// What the durability specs (durability*.spec.ts) check a kept torrent with: its record
// once the metadata is known, and a new peer that downloads it and saves the same bytes.
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { keptRows, type KeptRow } from './app-state.ts';
import { sha256, type Fixture } from './fixtures.ts';
import { appUrl, expect, row, type PeerOptions } from './peers.ts';

type NewPeer = (url: string, options?: PeerOptions) => Promise<Page>;

/** The app's first torrent's record, once it holds the .torrent (the metadata is known). */
export async function keptRecordWithMetadata(
  page: Page,
): Promise<KeptRow & { torrentFile: number[] }> {
  await expect.poll(async () => Boolean((await keptRows(page))[0]?.torrentFile)).toBe(true);
  const [record] = await keptRows(page);
  if (!record?.torrentFile) throw new Error('the record lost its .torrent');
  return { ...record, torrentFile: record.torrentFile };
}

/** A new peer downloads the torrent (from whoever still has it) and saves the same bytes. */
export async function newPeerSavesEveryByte(
  newPeer: NewPeer,
  magnet: string,
  fixture: Fixture,
): Promise<Page> {
  const peer = await newPeer(appUrl(`?magnet=${encodeURIComponent(magnet)}`), {
    noSavePicker: true,
  });
  await expect(row(peer, fixture.name).locator('.state'), 'the new peer completes').toHaveText(
    'Seeding',
    { timeout: 180_000 },
  );
  const download = peer.waitForEvent('download');
  await peer
    .locator('shoal-torrent-detail')
    .getByRole('button', { name: `Save ${fixture.name}` })
    .click();
  const saved = await download;
  expect(saved.suggestedFilename()).toBe(fixture.name);
  expect(sha256(await readFile(await saved.path())), 'the bytes the new peer saved').toBe(
    fixture.sha256,
  );
  return peer;
}
