import { expect } from '@open-wc/testing';
import {
  rarestPiece,
  type PieceLike,
  type RarityMapLike,
} from '../../src/engine/swarm/patches/rarest-piece.ts';

/**
 * A rarity map of `availability`, where `have` lists the pieces webtorrent has verified and
 * `progress` the blocks handed out of the others (pieces of 4 blocks; none when absent).
 */
const mapOf = (
  availability: number[],
  have: number[] = [],
  progress: Record<number, PieceLike> = {},
): RarityMapLike => ({
  _numPieces: availability.length,
  _pieces: availability,
  _torrent: {
    pieces: availability.map((_, i) =>
      have.includes(i)
        ? null
        : { _reservations: 0, _chunks: 4, _cancellations: null, ...progress[i] },
    ),
  },
});

/** A piece with `asked` of its 4 blocks handed out, and `back` of them given back. */
const started = (asked: number, back: number[] = []): PieceLike => ({
  _reservations: asked,
  _chunks: 4,
  _cancellations: back,
});

/** A seeded random source (Park–Miller), the same on every run. */
function seeded(seed = 1): () => number {
  return () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
}

describe('rarestPiece (webtorrent RarityMap#getRarestPiece, linear)', () => {
  const cases: [string, RarityMapLike, ((i: number) => boolean) | undefined, number][] = [
    ['the least available piece', mapOf([3, 1, 2]), undefined, 1],
    ['a piece we have is never picked, however rare', mapOf([3, 0, 2], [1]), undefined, 2],
    ['the filter excludes pieces', mapOf([3, 1, 2]), (i) => i !== 1, 2],
    ['-1 when every piece is verified', mapOf([1, 1], [0, 1]), undefined, -1],
    ['-1 when the filter excludes everything', mapOf([1, 2]), () => false, -1],
    ['a piece nobody has counts as rarest (0)', mapOf([2, 0, 1]), undefined, 1],
  ];
  for (const [name, map, filter, expected] of cases) {
    it(name, () => {
      expect(rarestPiece.call(map, filter, () => 0.99)).to.equal(expected);
    });
  }

  it('breaks ties uniformly at random among the equally rare pieces, torrent by torrent', () => {
    const picks = new Map<number, number>();
    const random = seeded();
    for (let n = 0; n < 3000; n++) {
      // Each torrent (rarity map) draws its own order among equals.
      const p = rarestPiece.call(mapOf([1, 5, 1, 1, 5], [3]), undefined, random);
      picks.set(p, (picks.get(p) ?? 0) + 1);
    }
    expect([...picks.keys()].sort()).to.deep.equal([0, 2]);
    expect(picks.get(0)).to.be.within(1300, 1700);
  });

  it('keeps one order among equals within a torrent: the next wire fills the same piece', () => {
    const map = mapOf(Array.from({ length: 64 }, () => 1));
    const first = rarestPiece.call(map, undefined, seeded(7));
    for (let n = 0; n < 20; n++) expect(rarestPiece.call(map)).to.equal(first);
  });

  it('does not call the filter for pieces already verified', () => {
    const seen: number[] = [];
    rarestPiece.call(mapOf([1, 1, 1, 1], [0, 2]), (i) => {
      seen.push(i);
      return true;
    });
    expect(seen).to.deep.equal([1, 3]);
  });
});

describe('rarestPiece finishes what it started (strict priority)', () => {
  const cases: [string, RarityMapLike, number][] = [
    [
      'a started piece with blocks left comes before a rarer piece not started',
      mapOf([1, 3, 0], [], { 1: started(2) }),
      1,
    ],
    [
      'a piece whose every block is handed out comes after the pieces not started',
      mapOf([0, 3, 2], [], { 0: started(4) }),
      2,
    ],
    [
      'a block given back makes a fully handed-out piece one with blocks left',
      mapOf([3, 0, 2], [], { 0: started(4, [1]), 2: started(4) }),
      0,
    ],
    ['among started pieces, the rarest', mapOf([2, 2, 1], [], { 0: started(1), 2: started(3) }), 2],
    [
      'when every piece is handed out, one of those (for a hot-swap or the endgame)',
      mapOf([2, 1], [], { 0: started(4), 1: started(4) }),
      1,
    ],
    ['the filter still excludes a started piece', mapOf([1, 1], [], { 0: started(1) }), 1],
  ];
  for (const [name, map, expected] of cases) {
    it(name, () => {
      const filter = name.startsWith('the filter') ? (i: number) => i !== 0 : undefined;
      expect(rarestPiece.call(map, filter, seeded())).to.equal(expected);
    });
  }

  it('a lone seeder’s torrent is fetched a piece at a time, not a block of each', () => {
    // webtorrent's trySelectWire as a block arrives and frees one request slot: pick a piece,
    // hand out its next block. 8 pieces of 4 blocks, every piece equally rare.
    const map = mapOf(Array.from({ length: 8 }, () => 1));
    const pieces = map._torrent?.pieces as { _reservations: number }[];
    const opened = new Set<number>();
    for (let block = 0; block < 12; block++) {
      const p = rarestPiece.call(map, undefined, seeded(3));
      opened.add(p);
      (pieces[p] as { _reservations: number })._reservations += 1;
    }
    expect(opened.size).to.equal(3);
  });
});

describe('rarestPiece asked again with the same filter (webtorrent trying one piece after another)', () => {
  /** webtorrent's trySelectWire loop: pick, fail to request, mark tried, pick again. */
  function tryAll(
    map: RarityMapLike,
    inRange: (i: number) => boolean,
  ): { picks: number[]; calls: number } {
    const tried = new Set<number>();
    let calls = 0;
    const filter = (i: number): boolean => {
      calls++;
      return inRange(i) && !tried.has(i);
    };
    const picks: number[] = [];
    for (;;) {
      const piece = rarestPiece.call(map, filter);
      if (piece < 0) break;
      picks.push(piece);
      tried.add(piece);
    }
    return { picks, calls };
  }

  it('gives every candidate once, rarest first, never a verified piece or one out of range', () => {
    const map = mapOf([3, 1, 2, 1, 0, 2, 5], [4]);
    const { picks } = tryAll(map, (i) => i !== 6);
    expect(picks).to.have.length(5);
    expect(new Set(picks)).to.deep.equal(new Set([0, 1, 2, 3, 5]));
    const availability = picks.map((p) => map._pieces[p] ?? 0);
    expect(availability).to.deep.equal([...availability].sort((a, b) => a - b));
  });

  it('takes linear work, not a scan per try (3 viewers of a 1,443-piece video stalled on it)', () => {
    const n = 4000;
    const map = mapOf(Array.from({ length: n }, (_, i) => i % 7));
    const { picks, calls } = tryAll(map, () => true);
    expect(picks).to.have.length(n);
    // Two scans, then one sorted walk: a scan per try would be n² / 2.
    expect(calls).to.be.below(4 * n);
  });

  it('walks started pieces first, then the rest rarest first, then the handed-out ones', () => {
    const map = mapOf([0, 1, 2, 3, 0], [], { 3: started(1), 0: started(4) });
    expect(tryAll(map, () => true).picks).to.deep.equal([3, 4, 1, 2, 0]);
  });

  it('a new filter (the next update) sees what changed since', () => {
    const availability = [1, 2, 3];
    const map = { ...mapOf(availability), _pieces: availability };
    expect(tryAll(map, () => true).picks[0]).to.equal(0);
    availability[0] = 9;
    expect(tryAll(map, () => true).picks[0]).to.equal(1);
  });
});
