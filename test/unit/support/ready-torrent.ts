/**
 * A real webtorrent torrent in the test page, peerless and ready: made from a .torrent of
 * `pieceCount` zero-filled 16 KiB pieces, its store holding nothing.
 */
import WebTorrent, { type WtTorrent } from 'webtorrent/dist/webtorrent.min.js';
import { skipVerifyPass } from '../../../src/engine/swarm/patches/verify-pass.ts';
import { prepareSeed } from '../../../src/engine/storage/seed-files.ts';

type Callback<T = void> = (err: Error | null, value?: T) => void;

/** A store that holds nothing, counting how often webtorrent asks it for a piece. */
export class EmptyStore {
  static reads = 0;
  constructor(readonly chunkLength: number) {}
  put(_index: number, _buf: Uint8Array, cb: Callback): void {
    cb(null);
  }
  get(_index: number, _opts: unknown, cb?: Callback<Uint8Array>): void {
    EmptyStore.reads++;
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

/**
 * Adds the torrent to a client of its own and hands it to `use` once ready; the client is
 * destroyed after. `skipVerify`: the store is known empty, so webtorrent skips asking it for
 * each piece (the engine's skipVerifyPass); else it asks for every one before 'ready'.
 */
export async function withReadyTorrent<R>(
  pieceCount: number,
  use: (wt: WtTorrent) => R | Promise<R>,
  { skipVerify = true }: { skipVerify?: boolean } = {},
): Promise<R> {
  const bytes = new Uint8Array(pieceCount * 16 * 1024);
  const { torrentFile } = await prepareSeed([new File([bytes], 'a.mp4')], []);
  const client = new WebTorrent({ tracker: false, dht: false, webSeeds: false } as never);
  try {
    const wt = client.add(torrentFile, { store: EmptyStore, announce: [] });
    if (skipVerify)
      wt.on('metadata', () => {
        skipVerifyPass(wt);
      });
    await new Promise<void>((resolve) =>
      wt.once('ready', () => {
        resolve();
      }),
    );
    return await use(wt);
  } finally {
    await new Promise<void>((resolve) => {
      client.destroy(() => {
        resolve();
      });
    });
  }
}
