import { expect } from '@open-wc/testing';
import WebTorrent from 'webtorrent/dist/webtorrent.min.js';
import { skipVerifyPass } from '../../src/engine/live-torrent.ts';
import { promptCritical } from '../../src/engine/prompt-critical.ts';
import { prepareSeed } from '../../src/engine/seed-files.ts';

type Callback<T = void> = (err: Error | null, value?: T) => void;

/** A store that holds nothing. */
class EmptyStore {
  constructor(readonly chunkLength: number) {}
  put(_index: number, _buf: Uint8Array, cb: Callback): void {
    cb(null);
  }
  get(_index: number, _opts: unknown, cb?: Callback<Uint8Array>): void {
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

const microtasks = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await Promise.resolve();
};

/**
 * Request rounds webtorrent runs within a few microtasks of three critical() calls in one
 * task, on a real (ready, peerless) torrent: `prompted` installs promptCritical first.
 */
async function roundsAfterCritical(prompted: boolean, paused = false): Promise<number> {
  const { torrentFile } = await prepareSeed([new File([new Uint8Array(64 * 16384)], 'a.mp4')], []);
  const client = new WebTorrent({ tracker: false, dht: false, webSeeds: false } as never);
  try {
    const wt = client.add(torrentFile, { store: EmptyStore, announce: [] });
    wt.on('metadata', () => {
      skipVerifyPass(wt);
    });
    await new Promise<void>((resolve) =>
      wt.once('ready', () => {
        resolve();
      }),
    );
    // Whatever webtorrent scheduled while getting ready runs first.
    await new Promise((resolve) => setTimeout(resolve, 300));
    let rounds = 0;
    const round = wt._updateWireWrapper.bind(wt);
    wt._updateWireWrapper = () => {
      rounds++;
      round();
    };
    if (prompted) promptCritical(wt);
    if (paused) wt.pause();
    wt.critical(10, 11);
    wt.critical(12, 12);
    wt.critical(30, 31);
    await microtasks(5);
    return rounds;
  } finally {
    await new Promise<void>((resolve) => {
      client.destroy(() => {
        resolve();
      });
    });
  }
}

describe('a piece a stream waits for', () => {
  it('is asked for in the task that marked it critical, one round for several marks (webtorrent waits for an idle page)', async () => {
    expect(await roundsAfterCritical(false)).to.equal(0);
    expect(await roundsAfterCritical(true)).to.equal(1);
  });

  it('is not asked for while the torrent is paused', async () => {
    expect(await roundsAfterCritical(true, true)).to.equal(0);
  });
});
