import { expect } from '@open-wc/testing';
import { DEFAULT_PEER_ASSIST as P } from '../../src/config/peer-assist.ts';
import {
  INITIAL_CHOKE,
  rechoke,
  unchokedIds,
  type ChokeContext,
  type ChokePeer,
  type ChokeState,
} from '../../src/engine/policy/choke.ts';
import { ByteWindow, planConnections, type ConnPeer } from '../../src/engine/policy/connections.ts';
import {
  pieceOrder,
  randomFirstPiece,
  type PieceOrder,
} from '../../src/engine/policy/piece-order.ts';

const peer = (id: string, down: number, extra: Partial<ChokePeer> = {}): ChokePeer => ({
  id,
  downRateBytesPerS: down,
  upRateBytesPerS: 0,
  interested: true,
  isSeeder: false,
  ...extra,
});
// a is the fastest to send us data, f the slowest.
const six = ['a', 'b', 'c', 'd', 'e', 'f'].map((id, i) => peer(id, 600 - i * 100));
const ctx = (nowMs: number, extra: Partial<ChokeContext> = {}): ChokeContext => ({
  nowMs,
  seeding: false,
  emergency: false,
  random: 0,
  ...extra,
});
const state = (regular: string[], optimistic: string | null, sinceMs: number, lastMs: number) => ({
  regular,
  optimistic,
  optimisticSinceMs: sinceMs,
  lastRechokeMs: lastMs,
});

describe('rechoke', () => {
  const cases: [string, ChokePeer[], ChokeState, ChokeContext, string[], string | null][] = [
    [
      'first round: the 4 fastest, plus one optimistic',
      six,
      INITIAL_CHOKE,
      ctx(0),
      ['a', 'b', 'c', 'd'],
      'e',
    ],
    [
      'the optimistic one is picked at random among the rest',
      six,
      INITIAL_CHOKE,
      ctx(0, { random: 0.9 }),
      ['a', 'b', 'c', 'd'],
      'f',
    ],
    [
      'seeding: by the rate we upload to them',
      six.map((p, i) => ({ ...p, upRateBytesPerS: i * 100 })),
      INITIAL_CHOKE,
      ctx(0, { seeding: true }),
      ['f', 'e', 'd', 'c'],
      'b',
    ],
    [
      'uninterested peers and seeders get no slot',
      [peer('a', 900, { interested: false }), peer('b', 800, { isSeeder: true }), ...six.slice(2)],
      INITIAL_CHOKE,
      ctx(0),
      ['c', 'd', 'e', 'f'],
      null,
    ],
    [
      'between rechokes (5 s): the choice holds though rates changed',
      six.map((p) => (p.id === 'f' ? { ...p, downRateBytesPerS: 10_000 } : p)),
      state(['a', 'b', 'c', 'd'], 'e', 0, 0),
      ctx(5_000),
      ['a', 'b', 'c', 'd'],
      'e',
    ],
    [
      'between rechokes, a regular peer left: its slot goes to the best other',
      six.filter((p) => p.id !== 'b'),
      state(['a', 'b', 'c', 'd'], 'e', 0, 0),
      ctx(5_000),
      ['a', 'c', 'd', 'f'],
      'e',
    ],
    [
      'after 10 s: ranked again',
      six.map((p) => (p.id === 'f' ? { ...p, downRateBytesPerS: 10_000 } : p)),
      state(['a', 'b', 'c', 'd'], 'e', 0, 0),
      ctx(10_000),
      ['f', 'a', 'b', 'c'],
      'e',
    ],
    [
      'after 30 s the optimistic slot moves to another peer',
      six,
      state(['a', 'b', 'c', 'd'], 'e', 0, 20_000),
      ctx(30_000),
      ['a', 'b', 'c', 'd'],
      'f',
    ],
    [
      'an optimistic peer that became one of the fastest frees the optimistic slot',
      six.map((p) => (p.id === 'e' ? { ...p, downRateBytesPerS: 10_000 } : p)),
      state(['a', 'b', 'c', 'd'], 'e', 0, 0),
      ctx(10_000),
      ['e', 'a', 'b', 'c'],
      'd',
    ],
    [
      'in an emergency nobody is unchoked',
      six,
      state(['a', 'b', 'c', 'd'], 'e', 0, 0),
      ctx(5_000, { emergency: true }),
      [],
      null,
    ],
    [
      'a free slot goes to a peer that just connected and has not said it is interested',
      [...six.slice(0, 3), peer('n', 0, { interested: false, newcomer: true })],
      INITIAL_CHOKE,
      ctx(0),
      ['a', 'b', 'c', 'n'],
      null,
    ],
    [
      'between rechokes too; but no free slot, no place for a newcomer',
      [...six, peer('n', 0, { interested: false, newcomer: true })],
      state(['a', 'b', 'c', 'd'], 'e', 0, 0),
      ctx(5_000),
      ['a', 'b', 'c', 'd'],
      'e',
    ],
    [
      'a newcomer that has everything, or one no longer new and still uninterested: no slot',
      [
        ...six.slice(0, 2),
        peer('s', 0, { interested: false, newcomer: true, isSeeder: true }),
        peer('o', 0, { interested: false, newcomer: false }),
      ],
      state(['a', 'b', 'o'], null, 0, 0),
      ctx(5_000),
      ['a', 'b'],
      null,
    ],
    [
      'in an emergency not even a newcomer',
      [peer('n', 0, { interested: false, newcomer: true })],
      INITIAL_CHOKE,
      ctx(0, { emergency: true }),
      [],
      null,
    ],
    [
      'fewer peers than slots: all regular',
      six.slice(0, 3),
      INITIAL_CHOKE,
      ctx(0),
      ['a', 'b', 'c'],
      null,
    ],
  ];
  for (const [name, peers, before, context, regular, optimistic] of cases) {
    it(name, () => {
      const after = rechoke(peers, before, context, P);
      expect({ regular: after.regular, optimistic: after.optimistic }).to.deep.equal({
        regular,
        optimistic,
      });
      expect(unchokedIds(after).size).to.be.at.most(P.maxUnchoked + 1);
    });
  }
});

const conn = (id: string, useful: number, connectedAtMs = 0): ConnPeer => ({
  id,
  connectedAtMs,
  receivedBytes: useful,
  sentBytes: 0,
});
const many = (n: number): ConnPeer[] =>
  Array.from({ length: n }, (_, i) => conn(`p${String(i)}`, 1_000 + i));

describe('planConnections', () => {
  const NOW = 600_000;
  const cases: [string, ConnPeer[], number | null, string[], boolean][] = [
    ['45 peers: keep all, no announce', many(45), null, [], false],
    ['51 peers: close the least useful', [...many(50), conn('idle', 0)], null, ['idle'], false],
    [
      'usefulness counts what we sent it too',
      [...many(50), { ...conn('giver', 0), sentBytes: 1e6 }, conn('idle', 10)],
      null,
      ['idle'],
      false,
    ],
    [
      '51 peers, the least useful just connected: the next one goes',
      [...many(50), conn('new', 0, NOW - 5_000)],
      null,
      ['p0'],
      false,
    ],
    ['63 peers: down to the hard limit at once', many(63), null, ['p0', 'p1', 'p2'], false],
    ['10 peers, never announced: announce', many(10), null, [], true],
    ['10 peers, announced 10 s ago: wait', many(10), NOW - 10_000, [], false],
    ['10 peers, announced 30 s ago: announce', many(10), NOW - 30_000, [], true],
    ['20 peers: enough', many(20), null, [], false],
  ];
  for (const [name, peers, lastAnnounceMs, prune, announce] of cases) {
    it(name, () => {
      expect(planConnections(peers, { nowMs: NOW, lastAnnounceMs }, P)).to.deep.equal({
        prune,
        announce,
      });
    });
  }
});

describe('ByteWindow', () => {
  it('sums what came within the span, to the minute, and forgets the rest', () => {
    const w = new ByteWindow(60 * 60_000);
    w.add(0, 100);
    w.add(5 * 60_000, 10);
    w.add(30 * 60_000, 1);
    expect(w.sum(30 * 60_000, 10 * 60_000)).to.equal(1);
    expect(w.sum(30 * 60_000, 60 * 60_000)).to.equal(111);
    w.add(70 * 60_000, 1000);
    expect(w.sum(70 * 60_000, 60 * 60_000)).to.equal(1001);
  });
});

describe('pieceOrder', () => {
  const cases: [Parameters<typeof pieceOrder>[0], PieceOrder][] = [
    [{ verifiedPieces: 0, streamActive: false, bufferHealthy: true }, 'random-first'],
    [{ verifiedPieces: 3, streamActive: false, bufferHealthy: true }, 'rarest'],
    [{ verifiedPieces: 0, streamActive: true, bufferHealthy: false }, 'playhead'],
    [{ verifiedPieces: 9, streamActive: true, bufferHealthy: false }, 'playhead'],
    [{ verifiedPieces: 9, streamActive: true, bufferHealthy: true }, 'rarest'],
  ];
  for (const [inputs, expected] of cases) {
    it(`${JSON.stringify(inputs)} → ${expected}`, () => {
      expect(pieceOrder(inputs)).to.equal(expected);
    });
  }

  it('the random first piece is one a peer has', () => {
    expect(randomFirstPiece([4, 9, 12], 0)).to.equal(4);
    expect(randomFirstPiece([4, 9, 12], 0.5)).to.equal(9);
    expect(randomFirstPiece([4, 9, 12], 0.999)).to.equal(12);
    expect(randomFirstPiece([], 0.5)).to.equal(null);
  });
});
