import { expect, waitUntil } from '@open-wc/testing';
import WebTorrent from 'webtorrent/dist/webtorrent.min.js';
import { skipVerifyPass } from '../../src/engine/live-torrent.ts';
import { OpfsChunkStore } from '../../src/engine/opfs-chunk-store.ts';
import { prepareSeed } from '../../src/engine/seed-files.ts';

type Callback<T = void> = (err: Error | null, value?: T) => void;

/** An empty store that counts how often webtorrent asks it for a piece. */
class CountingStore {
  static gets = 0;
  constructor(readonly chunkLength: number) {}
  put(_index: number, _buf: Uint8Array, cb: Callback): void {
    cb(null);
  }
  get(_index: number, _opts: unknown, cb?: Callback<Uint8Array>): void {
    CountingStore.gets++;
    const done = typeof _opts === 'function' ? (_opts as Callback<Uint8Array>) : cb;
    queueMicrotask(() => done?.(new Error('not stored')));
  }
  close(cb: Callback): void {
    cb(null);
  }
  destroy(cb: Callback): void {
    cb(null);
  }
}

/** Adds a .torrent of `pieces` 16 KiB pieces; resolves with the store reads before 'ready'. */
async function readsBeforeReady(skip: boolean): Promise<{ reads: number; pieces: number }> {
  const bytes = new Uint8Array(100 * 16 * 1024);
  const { torrentFile } = await prepareSeed([new File([bytes], 'clip.mp4')], []);
  const client = new WebTorrent({ tracker: false, dht: false, webSeeds: false } as never);
  try {
    CountingStore.gets = 0;
    const wt = client.add(torrentFile, { store: CountingStore, announce: [] });
    if (skip)
      wt.on('metadata', () => {
        skipVerifyPass(wt);
      });
    await new Promise<void>((resolve) =>
      wt.once('ready', () => {
        resolve();
      }),
    );
    return { reads: CountingStore.gets, pieces: wt.pieces.length };
  } finally {
    await new Promise<void>((resolve) => {
      client.destroy(() => {
        resolve();
      });
    });
  }
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
    await OpfsChunkStore.destroyFor(infoHash);
    try {
      expect(OpfsChunkStore.knownEmpty(infoHash)).to.equal(false);
      OpfsChunkStore.prepare(infoHash);
      await waitUntil(() => OpfsChunkStore.knownEmpty(infoHash));
      const store = new OpfsChunkStore(16, { length: 32, torrent: { infoHash } });
      await new Promise<void>((resolve, reject) => {
        store.put(0, new Uint8Array(16), (err) => {
          if (err) reject(err);
          else resolve();
        });
      });
      expect(OpfsChunkStore.knownEmpty(infoHash)).to.equal(false);
      await store.flush();
    } finally {
      await OpfsChunkStore.destroyFor(infoHash);
    }
  });
});
