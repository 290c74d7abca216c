import { expect, waitUntil } from '@open-wc/testing';
import { OpfsChunkStore } from '../../src/engine/storage/opfs-chunk-store.ts';
import { storeRegistry } from '../../src/engine/storage/store-registry.ts';
import { EmptyStore, withReadyTorrent } from './support/ready-torrent.ts';

/** Adds a .torrent of 100 16 KiB pieces; resolves with the store reads before 'ready'. */
async function readsBeforeReady(skip: boolean): Promise<{ reads: number; pieces: number }> {
  EmptyStore.reads = 0;
  return withReadyTorrent(100, (wt) => ({ reads: EmptyStore.reads, pieces: wt.pieces.length }), {
    skipVerify: skip,
  });
}

describe('a new torrent whose store is known to be empty', () => {
  it('is ready without webtorrent asking the store for each piece (it does otherwise)', async () => {
    const stock = await readsBeforeReady(false);
    expect(stock.reads).to.equal(stock.pieces);
    const skipped = await readsBeforeReady(true);
    expect(skipped.reads).to.equal(0);
  });

  it('is known empty once its prepared folder is listed, and no longer once a piece is written', async () => {
    const infoHash = 'ab'.repeat(20);
    await storeRegistry.destroyFor(infoHash);
    try {
      expect(storeRegistry.knownEmpty(infoHash)).to.equal(false);
      storeRegistry.prepare(infoHash);
      await waitUntil(() => storeRegistry.knownEmpty(infoHash));
      const store = new OpfsChunkStore(16, { length: 32, torrent: { infoHash } });
      await new Promise<void>((resolve, reject) => {
        store.put(0, new Uint8Array(16), (err) => {
          if (err) reject(err);
          else resolve();
        });
      });
      expect(storeRegistry.knownEmpty(infoHash)).to.equal(false);
      await store.flush();
    } finally {
      await storeRegistry.destroyFor(infoHash);
    }
  });
});
