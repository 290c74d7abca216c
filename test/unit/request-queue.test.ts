import { expect } from '@open-wc/testing';
import {
  BLOCK_BYTES,
  DEFAULT_REQUEST_QUEUE_POLICY as POLICY,
  planRequests,
  urgentPieces,
  type QueuedRequest,
  type RequestPeer,
  type UrgentPiece,
} from '../../src/engine/policy/request-queue.ts';

const KiB = 1024;
const NOW = 100_000;

/** Blocks of whole one-block pieces, in the order asked. */
const blocks = (...pieces: number[]): QueuedRequest[] =>
  pieces.map((piece) => ({ piece, offset: 0, length: BLOCK_BYTES }));

function peer(
  id: string,
  options: Partial<Omit<RequestPeer, 'has'>> & { has?: readonly number[] | 'all' } = {},
): RequestPeer {
  const has = options.has ?? 'all';
  return {
    id,
    isWebSeed: options.isWebSeed ?? false,
    rateBytesPerS: options.rateBytesPerS ?? 1024 * KiB,
    queue: options.queue ?? [],
    owingSinceMs: options.owingSinceMs ?? (options.queue?.length ? NOW - 10 : null),
    canRequest: options.canRequest ?? true,
    has: (piece) => has === 'all' || has.includes(piece),
  };
}

/** Pieces `from`..`to`, the first due in `firstInMs`, one more every `stepMs`. */
const dueFrom = (from: number, to: number, firstInMs: number, stepMs: number): UrgentPiece[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    piece: from + i,
    dueMs: NOW + firstInMs + i * stepMs,
  }));

const moved = (d: ReturnType<typeof planRequests>): string[] =>
  d.moves.map((m) => `${String(m.request.piece)}:${m.from}→${m.to}`);
const keptOff = (d: ReturnType<typeof planRequests>, id: string): number[] =>
  [...(d.keepOff.get(id) ?? [])].sort((a, b) => a - b);

describe('greedy request scheduling (Spotify: the most urgent block from the soonest peer)', () => {
  it('healthy peers delivering in time: nothing moved, nothing kept off', () => {
    const d = planRequests({
      nowMs: NOW,
      peers: [peer('a', { queue: blocks(1, 3) }), peer('b', { queue: blocks(2, 4) })],
      urgent: dueFrom(1, 8, 2000, 300),
    });
    expect(moved(d)).to.deep.equal([]);
    expect(d.keepOff.size).to.equal(0);
  });

  it('one fast, one slow peer: the slow one is kept off what it cannot deliver in time', () => {
    // 16 KiB/s: one block a second, and 4 queued already: a new block in ~5 s.
    const slow = peer('slow', { rateBytesPerS: 16 * KiB, queue: blocks(40, 41, 42, 43) });
    const fast = peer('fast', { rateBytesPerS: 2048 * KiB, queue: blocks(10, 11) });
    const d = planRequests({
      nowMs: NOW,
      peers: [slow, fast],
      // Pieces 12..30 due from 1 s on, one every 0.5 s: 12 at +1 s ... 30 at +10 s.
      urgent: dueFrom(12, 30, 1000, 500),
    });
    expect(moved(d)).to.deep.equal([]);
    // Its next block would come at +5.1 s: everything due before that goes to the fast peer;
    // what is due later it may take.
    expect(keptOff(d, 'slow')).to.deep.equal([12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(keptOff(d, 'fast')).to.deep.equal([]);
  });

  it('a peer turning slow mid-stream: its urgent blocks move to the faster peer, and it is kept off them', () => {
    // Measured fast (the meter averages seconds), but owing its next block for 3 s.
    const turned = peer('turned', {
      rateBytesPerS: 1024 * KiB,
      queue: blocks(5, 7, 9, 50),
      owingSinceMs: NOW - 3000,
    });
    const fast = peer('fast', { rateBytesPerS: 1024 * KiB, queue: blocks(6, 8) });
    const d = planRequests({
      nowMs: NOW,
      peers: [turned, fast],
      urgent: dueFrom(5, 20, 500, 300),
    });
    // Piece 50 is not urgent: webtorrent's pipeline keeps it where it is.
    expect(moved(d)).to.deep.equal(['5:turned→fast', '7:turned→fast', '9:turned→fast']);
    expect(d.moves[0]?.request).to.deep.equal({ piece: 5, offset: 0, length: BLOCK_BYTES });
    expect(keptOff(d, 'turned')).to.deep.equal([
      5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
    ]);
    expect(keptOff(d, 'fast')).to.deep.equal([]);
  });

  it('a late peer keeps a block it will still deliver before it is due', () => {
    // Owing for 2 s: taken to need ~1.9 s a block, so its second block comes in ~4 s.
    const late = peer('late', { queue: blocks(5, 30), owingSinceMs: NOW - 2000 });
    const d = planRequests({
      nowMs: NOW,
      peers: [late, peer('fast')],
      urgent: [
        { piece: 5, dueMs: NOW + 500 },
        { piece: 30, dueMs: NOW + 20_000 },
      ],
    });
    expect(moved(d)).to.deep.equal(['5:late→fast']);
  });

  it('a peer a little behind (within the margin) is not late', () => {
    const behind = peer('behind', {
      rateBytesPerS: 1024 * KiB,
      queue: blocks(5),
      owingSinceMs: NOW - 800,
    });
    const d = planRequests({
      nowMs: NOW,
      peers: [behind, peer('fast')],
      urgent: dueFrom(5, 6, 2000, 100),
    });
    expect(moved(d)).to.deep.equal([]);
  });

  it('no clearly better peer: the late block keeps waiting where it is', () => {
    const late = peer('late', {
      rateBytesPerS: 64 * KiB,
      queue: blocks(5),
      owingSinceMs: NOW - 2000,
    });
    // The other has 200 blocks queued at 512 KiB/s: a new block in ~6 s, no sooner.
    const busy = peer('busy', {
      rateBytesPerS: 512 * KiB,
      queue: blocks(...Array.from({ length: 200 }, (_, i) => 100 + i)),
    });
    // And one that does not have the piece at all.
    const lacking = peer('lacking', { has: [99] });
    const d = planRequests({
      nowMs: NOW,
      peers: [late, busy, lacking],
      urgent: dueFrom(5, 5, 0, 0),
    });
    expect(moved(d)).to.deep.equal([]);
    expect(keptOff(d, 'late')).to.deep.equal([]);
  });

  it('greedy: each move lengthens the queue it goes to, so the moves share out between two peers', () => {
    const stuck = peer('stuck', {
      rateBytesPerS: 16 * KiB,
      queue: blocks(1, 2, 3, 4),
      owingSinceMs: NOW - 4000,
    });
    // Both deliver a block every 250 ms; b has one block queued already.
    const b = peer('b', { rateBytesPerS: 64 * KiB, queue: blocks(90) });
    const a = peer('a', { rateBytesPerS: 64 * KiB });
    const d = planRequests({ nowMs: NOW, peers: [stuck, b, a], urgent: dueFrom(1, 4, 0, 250) });
    expect(moved(d)).to.deep.equal(['1:stuck→a', '2:stuck→b', '3:stuck→a', '4:stuck→b']);
  });

  it('the endgame: the last block, late on a slow peer, moves to an idle one', () => {
    const missing = new Set([77]);
    const urgent = urgentPieces({
      nowMs: NOW,
      pieceCount: 100,
      pieceLengthBytes: 16 * KiB,
      missing: (i) => missing.has(i),
      critical: [],
      playhead: null,
    });
    expect(urgent).to.deep.equal([{ piece: 77, dueMs: NOW }]);
    const d = planRequests({
      nowMs: NOW,
      peers: [
        peer('slow', { rateBytesPerS: 8 * KiB, queue: blocks(77), owingSinceMs: NOW - 4000 }),
        peer('idle', { rateBytesPerS: 0 }),
      ],
      urgent,
    });
    expect(moved(d)).to.deep.equal(['77:slow→idle']);
  });

  it('before the endgame, with no playback, nothing is urgent', () => {
    expect(
      urgentPieces({
        nowMs: NOW,
        pieceCount: 100,
        pieceLengthBytes: 16 * KiB,
        missing: (i) => i >= 50,
        critical: [],
        playhead: null,
      }),
    ).to.deep.equal([]);
  });

  it('web seed vs peer: a late peer’s block moves to a web seed allowed to serve it, never the reverse', () => {
    const late = peer('late', { queue: blocks(5, 6), owingSinceMs: NOW - 3000 });
    const allowed = peer('ws', { isWebSeed: true, has: [5, 6, 7], rateBytesPerS: 0 });
    const urgent = dueFrom(5, 7, 0, 500);
    expect(moved(planRequests({ nowMs: NOW, peers: [late, allowed], urgent }))).to.deep.equal([
      '5:late→ws',
      '6:late→ws',
    ]);
    // A web seed not allowed those pieces (policy/webseed.ts) is no alternative.
    const gated = peer('ws', { isWebSeed: true, has: [], rateBytesPerS: 0 });
    expect(moved(planRequests({ nowMs: NOW, peers: [late, gated], urgent }))).to.deep.equal([]);
    // A late web seed's request (one HTTP range) is not cancelled, nor is it kept off.
    const slowSeed = peer('ws', { isWebSeed: true, queue: blocks(5), owingSinceMs: NOW - 5000 });
    const d = planRequests({ nowMs: NOW, peers: [slowSeed, peer('fast')], urgent });
    expect(moved(d)).to.deep.equal([]);
    expect(keptOff(d, 'ws')).to.deep.equal([]);
  });

  it('a choked peer is no alternative: nothing moves to it, and the slow one is not kept off for it', () => {
    const late = peer('late', { queue: blocks(5), owingSinceMs: NOW - 3000 });
    const choking = peer('choking', { canRequest: false });
    const d = planRequests({ nowMs: NOW, peers: [late, choking], urgent: dueFrom(5, 9, 0, 500) });
    expect(moved(d)).to.deep.equal([]);
    expect(d.keepOff.size).to.equal(0);
  });
});

describe('which pieces are urgent', () => {
  it('critical pieces now, then the playhead’s next pieces by when it reaches them', () => {
    const urgent = urgentPieces(
      {
        nowMs: NOW,
        pieceCount: 100,
        pieceLengthBytes: 16 * KiB,
        missing: (i) => i !== 11,
        critical: [{ from: 40, to: 40 }],
        // At byte 10.5 pieces into the file, 16 KiB/s: a piece a second.
        playhead: {
          torrentByte: 10.5 * 16 * KiB,
          fileEndByte: 14 * 16 * KiB,
          bitrateBytesPerS: 16 * KiB,
        },
      },
      { ...POLICY, horizonS: 60 },
    );
    expect(urgent).to.deep.equal([
      { piece: 10, dueMs: NOW },
      { piece: 40, dueMs: NOW },
      { piece: 12, dueMs: NOW + 1500 },
      { piece: 13, dueMs: NOW + 2500 },
    ]);
  });
});
