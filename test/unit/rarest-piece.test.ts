import { expect } from '@open-wc/testing';
import { rarestPiece, type RarityMapLike } from '../../src/engine/swarm/patches/rarest-piece.ts';

/** A rarity map of `availability`, where `have` lists the pieces webtorrent has verified. */
const mapOf = (availability: number[], have: number[] = []): RarityMapLike => ({
  _numPieces: availability.length,
  _pieces: availability,
  _torrent: { pieces: availability.map((_, i) => (have.includes(i) ? null : {})) },
});

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

  it('breaks ties uniformly at random among the equally rare pieces', () => {
    const map = mapOf([1, 5, 1, 1, 5], [3]);
    const picks = new Map<number, number>();
    let seed = 1;
    const random = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let n = 0; n < 3000; n++) {
      const p = rarestPiece.call(map, undefined, random);
      picks.set(p, (picks.get(p) ?? 0) + 1);
    }
    expect([...picks.keys()].sort()).to.deep.equal([0, 2]);
    expect(picks.get(0)).to.be.within(1300, 1700);
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
    expect(calls).to.be.below(3 * n);
  });

  it('a new filter (the next update) sees what changed since', () => {
    const availability = [1, 2, 3];
    const map = { ...mapOf(availability), _pieces: availability };
    expect(tryAll(map, () => true).picks[0]).to.equal(0);
    availability[0] = 9;
    expect(tryAll(map, () => true).picks[0]).to.equal(1);
  });
});
