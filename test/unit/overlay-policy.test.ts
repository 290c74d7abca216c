import { expect } from '@open-wc/testing';
import { planConnections } from '../../src/engine/policy/connections.ts';
import {
  firstQuery,
  mayRelay,
  onQuery,
  pairKey,
  rememberQuery,
  reuseFor,
  takeToken,
} from '../../src/engine/policy/overlay.ts';

const limits = { seenMs: 60_000, seenMax: 3 };

describe('overlay: what to do with a query', () => {
  const base = {
    seen: new Map<string, number>(),
    nowMs: 1000,
    holds: false,
    neighbours: ['B', 'C', 'D'],
    allowed: true,
  };
  const cases: readonly (readonly [
    string,
    Parameters<typeof onQuery>[0],
    Partial<typeof base>,
    ReturnType<typeof onQuery>,
  ])[] = [
    ['a holder answers', { id: 'q1', hops: 1, from: 'B' }, { holds: true }, { kind: 'answer' }],
    [
      'a holder answers even with no hop left',
      { id: 'q1', hops: 0, from: 'B' },
      { holds: true },
      { kind: 'answer' },
    ],
    [
      'one that does not hold it forwards, never back',
      { id: 'q1', hops: 1, from: 'B' },
      {},
      { kind: 'forward', to: ['C', 'D'], hops: 0 },
    ],
    [
      'with no hop left it drops (the third hop is never reached)',
      { id: 'q1', hops: 0, from: 'B' },
      {},
      { kind: 'drop', reason: 'hop limit' },
    ],
    [
      'with no one else to ask it drops',
      { id: 'q1', hops: 1, from: 'B' },
      { neighbours: ['B'] },
      { kind: 'drop', reason: 'hop limit' },
    ],
    [
      'a repeated id is dropped, even by a holder',
      { id: 'q1', hops: 1, from: 'C' },
      { seen: new Map([['q1', 900]]), holds: true },
      { kind: 'drop', reason: 'duplicate' },
    ],
    [
      'an id seen long ago is new again',
      { id: 'q1', hops: 1, from: 'C' },
      { seen: new Map([['q1', -60_000]]), holds: true },
      { kind: 'answer' },
    ],
    [
      'a flood is dropped',
      { id: 'q2', hops: 1, from: 'B' },
      { allowed: false, holds: true },
      { kind: 'drop', reason: 'flood' },
    ],
  ];
  for (const [what, query, over, expected] of cases) {
    it(what, () => {
      expect(onQuery(query, { ...base, ...over })).to.deep.equal(expected);
    });
  }

  it('a new query goes to every neighbour with one hop left to travel', () => {
    expect(firstQuery('q9', 'ab'.repeat(20), ['B', 'C'])).to.deep.equal({
      id: 'q9',
      infoHash: 'ab'.repeat(20),
      to: ['B', 'C'],
      hops: 1,
    });
  });
});

describe('overlay: bounds', () => {
  it('a token bucket lets a burst through, then the sustained rate', () => {
    let bucket;
    const allowed: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      const r = takeToken(bucket, 0, 2, 3);
      bucket = r.bucket;
      allowed.push(r.allowed);
    }
    expect(allowed).to.deep.equal([true, true, true, false, false]);
    // Half a second at 2 per second: one more.
    expect(takeToken(bucket, 500, 2, 3).allowed).to.equal(true);
  });

  it('remembers query ids for a while and at most so many, the oldest forgotten first', () => {
    let seen = new Map<string, number>();
    for (const [id, at] of [
      ['a', 0],
      ['b', 1],
      ['c', 2],
      ['d', 3],
    ] as const)
      seen = rememberQuery(seen, id, at, limits);
    expect([...seen.keys()]).to.deep.equal(['b', 'c', 'd']);
    expect([...rememberQuery(seen, 'e', 60_002, limits).keys()]).to.deep.equal(['d', 'e']);
  });

  it('relays signalling only between the two ends a hit named, within its rate', () => {
    const pairs = new Set([pairKey('A', 'C')]);
    expect(mayRelay({ from: 'A', to: 'C' }, pairs, true)).to.equal(true);
    expect(mayRelay({ from: 'C', to: 'A' }, pairs, true)).to.equal(true);
    expect(mayRelay({ from: 'A', to: 'D' }, pairs, true)).to.equal(false);
    expect(mayRelay({ from: 'A', to: 'C' }, pairs, false)).to.equal(false);
  });

  it('runs a torrent over an open neighbour that holds it', () => {
    const h = 'ab'.repeat(20);
    expect(
      reuseFor(h, [
        { id: 'B', open: true, holds: new Set([h]) },
        { id: 'C', open: false, holds: new Set([h]) },
        { id: 'D', open: true, holds: new Set() },
      ]),
    ).to.deep.equal(['B']);
  });

  it('a neighbour that helped us discover peers is kept over one that did nothing', () => {
    const policy = { softConns: 2, hardConns: 3, lowPeers: 0, reannounceMinMs: 0, pruneGraceMs: 0 };
    const peers = [
      { id: 'idle', connectedAtMs: 0, receivedBytes: 0, sentBytes: 0 },
      { id: 'finder', connectedAtMs: 0, receivedBytes: 0, sentBytes: 0, discovered: 2 },
      { id: 'uploader', connectedAtMs: 0, receivedBytes: 5000, sentBytes: 0 },
    ];
    expect(planConnections(peers, { nowMs: 1, lastAnnounceMs: 0 }, policy).prune).to.deep.equal([
      'idle',
    ]);
  });
});
