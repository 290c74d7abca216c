import { expect } from '@open-wc/testing';
import { keepPriorityOrder } from '../../src/engine/swarm/patches/selection-order.ts';
import { withReadyTorrent } from './support/ready-torrent.ts';

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
  return withReadyTorrent(200, (wt) => {
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
  });
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
