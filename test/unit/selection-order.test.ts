import { expect } from '@open-wc/testing';
import WebTorrent from 'webtorrent/dist/webtorrent.min.js';
import { skipVerifyPass } from '../../src/engine/live-torrent.ts';
import { keepPriorityOrder } from '../../src/engine/selection-order.ts';
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

/** A peer that has every piece and answers nothing: it records what it is asked for. */
function recordingWire() {
  const requests: { piece: number; offset: number; length: number }[] = [];
  return {
    requests,
    asked: [] as number[],
    type: 'webrtc',
    destroyed: false,
    downloaded: 16384,
    peerChoking: false,
    peerExtendedHandshake: null,
    peerPieces: { get: () => true },
    // 8 blocks a second: webtorrent keeps 2 + 8 = 10 outstanding.
    downloadSpeed: () => 8 * 16384,
    request(piece: number, offset: number, length: number) {
      requests.push({ piece, offset, length });
      this.asked.push(piece);
    },
  };
}

/**
 * Two request rounds for one peer of a real (ready) torrent of 200 one-block pieces, streamed
 * sequentially: an old read's selection 10–199 (priority 1) and the playhead's window
 * 100–150 (priority 2). Between the rounds the peer's pipeline drains (its blocks still
 * on their way). Returns the pieces each round asked for.
 */
async function twoRounds(ordered: boolean): Promise<number[][]> {
  const { torrentFile } = await prepareSeed([new File([new Uint8Array(200 * 16384)], 'a.mp4')], []);
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
    if (ordered) keepPriorityOrder(wt);
    wt.deselect(0, wt.pieces.length - 1);
    wt.strategy = 'sequential';
    wt._select(10, 199, 1, null, true);
    wt._select(100, 150, 2, null, true);
    const wire = recordingWire();
    const rounds: number[][] = [];
    for (let round = 0; round < 2; round++) {
      wire.asked = [];
      wt._updateWire(wire as never);
      rounds.push(wire.asked);
      wire.requests.length = 0;
    }
    return rounds;
  } finally {
    await new Promise<void>((resolve) => {
      client.destroy(() => {
        resolve();
      });
    });
  }
}

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('piece selections in priority order', () => {
  it('the playhead window is asked for before an old read’s selection, round after round (webtorrent moves it behind)', async () => {
    const stock = await twoRounds(false);
    expect(stock[0]).to.deep.equal(range(100, 109));
    expect(stock[1]).to.deep.equal(range(10, 19));
    const kept = await twoRounds(true);
    expect(kept[0]).to.deep.equal(range(100, 109));
    expect(kept[1]).to.deep.equal(range(110, 119));
  });
});
