// The snub rule (policy/snub.ts): a peer that sits on our requests and sends nothing.
import { expect } from '@open-wc/testing';
import { DEFAULT_PEER_ASSIST } from '../../src/config/peer-assist.ts';
import {
  judgeSnub,
  NOT_SNUBBED,
  type SnubAction,
  type SnubPeer,
  type SnubState,
} from '../../src/engine/policy/snub.ts';

const LIMITS = { snubAfterMs: 10_000, snubForMs: 10_000, dropSilentAfterMs: 20_000 };

const peer = (fields: Partial<SnubPeer> = {}): SnubPeer => ({
  outstandingRequests: 1,
  lastDeliveryMs: null,
  isWebSeed: false,
  neighbour: false,
  othersCanServe: true,
  ...fields,
});
const waiting = (sinceMs: number): SnubState => ({ waitingSinceMs: sinceMs, snubbedAtMs: null });
const snubbed = (atMs: number): SnubState => ({ waitingSinceMs: null, snubbedAtMs: atMs });

interface Case {
  readonly what: string;
  readonly state: SnubState;
  readonly peer: SnubPeer;
  readonly nowMs: number;
  readonly downloading?: boolean;
  readonly action: SnubAction;
  readonly next: SnubState;
}

const CASES: readonly Case[] = [
  {
    what: 'requests first seen outstanding: the wait starts',
    state: NOT_SNUBBED,
    peer: peer(),
    nowMs: 1_000,
    action: null,
    next: waiting(1_000),
  },
  {
    what: 'waiting 9,999 ms with no block: not yet',
    state: waiting(1_000),
    peer: peer(),
    nowMs: 10_999,
    action: null,
    next: waiting(1_000),
  },
  {
    what: 'waiting 10,000 ms with no block: snubbed',
    state: waiting(1_000),
    peer: peer(),
    nowMs: 11_000,
    action: 'snub',
    next: snubbed(11_000),
  },
  {
    what: 'waiting 10 s, a block 9 s ago: the silence is 9 s, not yet',
    state: waiting(1_000),
    peer: peer({ outstandingRequests: 30, lastDeliveryMs: 2_000 }),
    nowMs: 11_000,
    action: null,
    next: waiting(1_000),
  },
  {
    what: 'waiting 20 s, its last block 10 s ago: snubbed',
    state: waiting(1_000),
    peer: peer({ outstandingRequests: 30, lastDeliveryMs: 11_000 }),
    nowMs: 21_000,
    action: 'snub',
    next: snubbed(21_000),
  },
  {
    what: 'a block long before we asked it: the silence counts from our asking',
    state: waiting(50_000),
    peer: peer({ lastDeliveryMs: 1_000 }),
    nowMs: 59_000,
    action: null,
    next: waiting(50_000),
  },
  {
    what: 'nothing outstanding (answered, or it chokes us): no wait',
    state: waiting(1_000),
    peer: peer({ outstandingRequests: 0 }),
    nowMs: 60_000,
    action: null,
    next: NOT_SNUBBED,
  },
  {
    what: 'the torrent is done: nothing is snubbed',
    state: waiting(1_000),
    peer: peer(),
    nowMs: 60_000,
    downloading: false,
    action: null,
    next: NOT_SNUBBED,
  },
  {
    what: 'a web seed is never snubbed',
    state: waiting(1_000),
    peer: peer({ isWebSeed: true }),
    nowMs: 60_000,
    action: null,
    next: NOT_SNUBBED,
  },
  {
    what: 'snubbed 9,999 ms, it delivered before: still snubbed',
    state: snubbed(11_000),
    peer: peer({ outstandingRequests: 0, lastDeliveryMs: 500 }),
    nowMs: 20_999,
    action: null,
    next: snubbed(11_000),
  },
  {
    what: 'snubbed 10,000 ms, it delivered before: asked again',
    state: snubbed(11_000),
    peer: peer({ outstandingRequests: 0, lastDeliveryMs: 500 }),
    nowMs: 21_000,
    action: 'release',
    next: NOT_SNUBBED,
  },
  {
    what: 'snubbed 10 s, never delivered: stays snubbed',
    state: snubbed(11_000),
    peer: peer({ outstandingRequests: 0 }),
    nowMs: 21_000,
    action: null,
    next: snubbed(11_000),
  },
  {
    what: 'snubbed 20,000 ms, never delivered: disconnected',
    state: snubbed(11_000),
    peer: peer({ outstandingRequests: 0 }),
    nowMs: 31_000,
    action: 'drop',
    next: NOT_SNUBBED,
  },
  {
    what: 'snubbed 20 s, never delivered, the torrent done meanwhile: still disconnected',
    state: snubbed(11_000),
    peer: peer({ outstandingRequests: 0 }),
    nowMs: 31_000,
    downloading: false,
    action: 'drop',
    next: NOT_SNUBBED,
  },
  {
    what: 'snubbed 20 s, a late block arrived after the withdrawal: slow, not silent',
    state: snubbed(11_000),
    peer: peer({ outstandingRequests: 0, lastDeliveryMs: 12_000 }),
    nowMs: 31_000,
    action: 'release',
    next: NOT_SNUBBED,
  },
  {
    what: 'waiting 10 s, nobody else has a piece of what it sits on: waiting on the only source goes on',
    state: waiting(1_000),
    peer: peer({ othersCanServe: false }),
    nowMs: 40_000,
    action: null,
    next: waiting(1_000),
  },
  {
    what: 'waiting 39 s alone, then another connection can take its blocks: snubbed at once',
    state: waiting(1_000),
    peer: peer(),
    nowMs: 40_000,
    action: 'snub',
    next: snubbed(40_000),
  },
  {
    what: 'a neighbour silent 10 s, others can serve: snubbed like anyone',
    state: waiting(1_000),
    peer: peer({ neighbour: true }),
    nowMs: 11_000,
    action: 'snub',
    next: snubbed(11_000),
  },
  {
    what: 'a neighbour snubbed 10 s that never delivered: asked again, not dropped',
    state: snubbed(11_000),
    peer: peer({ neighbour: true, outstandingRequests: 0 }),
    nowMs: 21_000,
    action: 'release',
    next: NOT_SNUBBED,
  },
  {
    what: 'a neighbour snubbed 20 s that never delivered: never dropped',
    state: snubbed(11_000),
    peer: peer({ neighbour: true, outstandingRequests: 0 }),
    nowMs: 31_000,
    action: 'release',
    next: NOT_SNUBBED,
  },
];

describe('snub: a peer that sits on our requests', () => {
  for (const c of CASES) {
    it(`${c.what}: ${c.action ?? 'nothing'}`, () => {
      const verdict = judgeSnub(
        c.state,
        c.peer,
        { nowMs: c.nowMs, downloading: c.downloading ?? true },
        LIMITS,
      );
      expect(verdict).to.deep.equal({ state: c.next, action: c.action });
    });
  }

  it('a silent peer, tick by tick: snubbed at 10 s of asking, dropped 20 s later, never sooner', () => {
    let state = NOT_SNUBBED;
    const actions: [number, SnubAction][] = [];
    for (let nowMs = 0; nowMs <= 40_000; nowMs += 500) {
      const verdict = judgeSnub(state, peer(), { nowMs, downloading: true }, LIMITS);
      state = verdict.state;
      if (verdict.action) actions.push([nowMs, verdict.action]);
      if (verdict.action === 'drop') break;
    }
    expect(actions).to.deep.equal([
      [10_000, 'snub'],
      [30_000, 'drop'],
    ]);
  });

  it('a peer delivering a block every second is never snubbed', () => {
    let state = NOT_SNUBBED;
    for (let nowMs = 0; nowMs <= 120_000; nowMs += 500) {
      const lastDeliveryMs = Math.floor(nowMs / 1_000) * 1_000;
      const verdict = judgeSnub(
        state,
        peer({ outstandingRequests: 20, lastDeliveryMs }),
        { nowMs, downloading: true },
        LIMITS,
      );
      state = verdict.state;
      expect(verdict.action, `at ${String(nowMs)} ms`).to.equal(null);
    }
  });

  it('a silent neighbour, tick by tick for 2 minutes: snubbed and asked again in turn, never dropped', () => {
    let state = NOT_SNUBBED;
    const actions: [number, SnubAction][] = [];
    for (let nowMs = 0; nowMs <= 120_000; nowMs += 500) {
      // Asked again after a release: requests outstanding on it once more.
      const outstanding = state.snubbedAtMs === null ? 1 : 0;
      const verdict = judgeSnub(
        state,
        peer({ neighbour: true, outstandingRequests: outstanding }),
        { nowMs, downloading: true },
        LIMITS,
      );
      state = verdict.state;
      if (verdict.action) actions.push([nowMs, verdict.action]);
    }
    expect(actions.filter(([, a]) => a === 'drop')).to.deep.equal([]);
    expect(actions.slice(0, 4)).to.deep.equal([
      [10_000, 'snub'],
      [20_000, 'release'],
      [30_500, 'snub'],
      [40_500, 'release'],
    ]);
  });

  it('the only source, silent, tick by tick: never snubbed, never dropped (webtorrent’s own timeout is left to act)', () => {
    let state = NOT_SNUBBED;
    for (let nowMs = 0; nowMs <= 60_000; nowMs += 500) {
      const verdict = judgeSnub(
        state,
        peer({ othersCanServe: false }),
        { nowMs, downloading: true },
        LIMITS,
      );
      state = verdict.state;
      expect(verdict.action, `at ${String(nowMs)} ms`).to.equal(null);
    }
  });

  it('the defaults: snubbed before webtorrent’s 30 s request timeout, dropped after the snub lasts', () => {
    const { snubAfterMs, snubForMs, dropSilentAfterMs } = DEFAULT_PEER_ASSIST;
    expect(snubAfterMs).to.be.below(30_000);
    expect(snubForMs).to.be.at.most(dropSilentAfterMs);
  });
});
