import { expect } from '@open-wc/testing';
import type { WtTorrent } from 'webtorrent/dist/webtorrent.min.js';
import { gateRequests, steerWires } from '../../src/engine/swarm/patches/request-steering.ts';
import { withReadyTorrent } from './support/ready-torrent.ts';

type Callback = (err: Error | null, chunk?: Uint8Array) => void;

/** A peer's wire as webtorrent asks it: it queues requests and answers none; `cancel` sends one. */
class QuietWire {
  readonly type = 'webrtc';
  destroyed = false;
  peerExtendedHandshake = null;
  readonly requests: { piece: number; offset: number; length: number; callback: Callback }[] = [];
  readonly cancels: string[] = [];
  downloadSpeed(): number {
    return 512 * 1024;
  }
  request(piece: number, offset: number, length: number, callback: Callback): void {
    this.requests.push({ piece, offset, length, callback });
  }
  /** As bittorrent-protocol's: the request leaves the queue and its callback fails. */
  cancel(piece: number, offset: number, length: number): void {
    const i = this.requests.findIndex(
      (r) => r.piece === piece && r.offset === offset && r.length === length,
    );
    this.cancels.push(`${String(piece)}:${String(offset)}`);
    if (i < 0) return;
    const [request] = this.requests.splice(i, 1);
    request?.callback(new Error('request was cancelled'));
  }
}

const ask = (wt: WtTorrent, wire: QuietWire, piece: number): boolean =>
  (wt._request as unknown as (w: QuietWire, i: number, h: boolean) => boolean)(wire, piece, false);

describe('the greedy scheduler’s decision on webtorrent’s requests', () => {
  it('a wire kept off a piece is not asked for it; others are, and it is for the rest', async () => {
    await withReadyTorrent(16, (wt) => {
      gateRequests(wt);
      const slow = new QuietWire();
      const fast = new QuietWire();
      steerWires(wt as never, { keepOff: new Map([[slow, new Set([5])]]), moves: [] });
      expect(ask(wt, slow, 5)).to.equal(false);
      expect(ask(wt, slow, 6)).to.equal(true);
      expect(ask(wt, fast, 5)).to.equal(true);
      expect(slow.requests.map((r) => r.piece)).to.deep.equal([6]);
      expect(fast.requests.map((r) => r.piece)).to.deep.equal([5]);
      // The next round's decision replaces it.
      steerWires(wt as never, { keepOff: new Map(), moves: [] });
      expect(ask(wt, slow, 7)).to.equal(true);
    });
  });

  it('a move cancels the block on the slow wire and asks the fast one for it', async () => {
    await withReadyTorrent(16, (wt) => {
      gateRequests(wt);
      const slow = new QuietWire();
      const fast = new QuietWire();
      expect(ask(wt, slow, 3)).to.equal(true);
      // Reserved by the slow wire: nobody else gets it.
      expect(ask(wt, fast, 3)).to.equal(false);
      const block = { piece: 3, offset: 0, length: 16 * 1024 };
      steerWires(wt as never, {
        keepOff: new Map([[slow, new Set([3])]]),
        moves: [{ from: slow, to: fast, block }],
      });
      expect(slow.cancels).to.deep.equal(['3:0']);
      expect(slow.requests).to.deep.equal([]);
      expect(fast.requests.map((r) => [r.piece, r.offset, r.length])).to.deep.equal([
        [3, 0, 16 * 1024],
      ]);
      // A block answered (or withdrawn) since the decision is not cancelled again.
      steerWires(wt as never, { keepOff: new Map(), moves: [{ from: slow, to: fast, block }] });
      expect(slow.cancels).to.deep.equal(['3:0']);
    });
  });
});
