import { expect } from '@open-wc/testing';
import { DEFAULT_PEER_ASSIST as P, type PeerAssistSettings } from '../../src/config/peer-assist.ts';
import type { PieceRange } from '../../src/engine/policy/playhead-window.ts';
import {
  planWebSeed,
  type PlaybackView,
  type WebSeedInputs,
  type WebSeedReason,
} from '../../src/engine/policy/webseed.ts';
import { nextEmergency, type BufferView } from '../../src/engine/policy/emergency.ts';
import { nextItem, planPrefetch, type PrefetchInputs } from '../../src/engine/policy/prefetch.ts';

// 100 pieces of 100 kB; a file of the whole torrent at 100 kB/s: one piece a second.
const PIECE = 100_000;
const NOW = 1_000_000;
const layout = { pieceLengthBytes: PIECE, pieceCount: 100 };
const file = { offsetBytes: 0, lengthBytes: 100 * PIECE };
const range = (from: number, to: number): PieceRange => ({ from, to });
const all = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

interface Swarm {
  verified?: number[];
  /** Pieces every peer has (1 peer each). */
  haves?: number[];
  /** Pieces asked of a peer, expected at this ms. */
  etas?: [number[], number][];
}

function inputs(
  swarm: Swarm,
  playback: Partial<PlaybackView> | null,
  extra: Partial<WebSeedInputs> = {},
): WebSeedInputs {
  const verified = new Set(swarm.verified ?? []);
  const haves = new Set(swarm.haves ?? []);
  const etas = new Map<number, number>();
  for (const [pieces, eta] of swarm.etas ?? []) for (const p of pieces) etas.set(p, eta);
  return {
    nowMs: NOW,
    layout,
    pieces: {
      verified: (p) => verified.has(p),
      peersWith: (p) => (haves.has(p) || etas.has(p) ? 1 : 0),
      peerEtaMs: (p) => etas.get(p) ?? null,
    },
    playback: playback && {
      file,
      playheadBytes: 0,
      bitrateBytesPerS: 100_000,
      bufferAheadS: 0,
      startedAtMs: NOW,
      playing: false,
      ...playback,
    },
    peerRateBytesPerS: 0,
    torrentStartedAtMs: NOW - 60_000,
    emergency: false,
    prefetch: [],
    ...extra,
  };
}

const playingLow = { playing: true, bufferAheadS: 2, startedAtMs: NOW - 60_000 };

describe('planWebSeed', () => {
  const cases: [
    string,
    WebSeedInputs,
    WebSeedReason,
    PieceRange[],
    Partial<PeerAssistSettings>?,
  ][] = [
    [
      'play starts, no peer has anything: the first 15 s',
      inputs({}, {}),
      'cold-start',
      [range(0, 14)],
    ],
    [
      'play starts, peers asked for all of it deliver in time: nothing',
      inputs({ etas: [[all(0, 99), NOW + 100]] }, {}),
      'idle',
      [],
    ],
    [
      'play starts, peers have it and send 1 MB/s: nothing',
      inputs({ haves: all(0, 99) }, {}, { peerRateBytesPerS: 1_000_000 }),
      'idle',
      [],
    ],
    [
      'play starts, peers have it but send 50 kB/s (under the bitrate): the first 15 s',
      inputs({ haves: all(0, 99) }, {}, { peerRateBytesPerS: 50_000 }),
      'cold-start',
      [range(0, 14)],
    ],
    [
      'a seek to the middle: 15 s from there',
      inputs({}, { playheadBytes: 50 * PIECE }),
      'cold-start',
      [range(50, 64)],
    ],
    [
      'verified pieces split the request around them',
      inputs({ verified: [3, 4] }, {}),
      'cold-start',
      [range(0, 2), range(5, 14)],
    ],
    [
      'a peer asked for piece 0 is late (due in 1.5 s, expected in 5 s): the web seed takes it',
      inputs({ etas: [[[0], NOW + 5_000]], haves: all(1, 99) }, {}, { peerRateBytesPerS: 1e6 }),
      'cold-start',
      [range(0, 0)],
    ],
    [
      'healthy buffer while playing: nothing',
      inputs({}, { playing: true, bufferAheadS: 20, startedAtMs: NOW - 60_000 }),
      'idle',
      [],
    ],
    [
      'a cold start whose buffer once reached 15 s is over, though it dipped since',
      inputs({}, { bufferAheadS: 12, coldStartFilled: true }),
      'idle',
      [],
    ],
    [
      'a cold start that has buffered its 15 s is over',
      inputs({}, { bufferAheadS: 15 }),
      'idle',
      [],
    ],
    [
      'buffer under 3 s, nobody has the pieces: the next 15 s',
      inputs({ verified: [28, 29] }, { ...playingLow, playheadBytes: 28 * PIECE }),
      'low-buffer',
      [range(30, 42)],
    ],
    [
      'buffer under 3 s, peers deliver the first five in time: the rest',
      inputs(
        { verified: [28, 29], etas: [[all(30, 34), NOW + 200]] },
        { ...playingLow, playheadBytes: 28 * PIECE },
      ),
      'low-buffer',
      [range(35, 42)],
    ],
    [
      'buffer 4 s in an emergency (not yet recovered): still rescued',
      inputs({}, { ...playingLow, bufferAheadS: 4 }, { emergency: true }),
      'low-buffer',
      [range(0, 14)],
    ],
    [
      'buffer 4 s, no emergency: nothing',
      inputs({}, { ...playingLow, bufferAheadS: 4 }),
      'idle',
      [],
    ],
    [
      'never more than 15 s ahead, at 2 pieces a second: 30 pieces',
      inputs({}, { bitrateBytesPerS: 200_000 }),
      'cold-start',
      [range(0, 29)],
    ],
    [
      'a request spans at most maxWebSeedRequestBytes',
      inputs({}, { bitrateBytesPerS: 200_000 }),
      'cold-start',
      [range(0, 9), range(10, 19), range(20, 29)],
      { maxWebSeedRequestBytes: 1_000_000 },
    ],
    [
      'plain download, peers had no time to show up yet: nothing',
      inputs({}, null, { torrentStartedAtMs: NOW - 2_000 }),
      'idle',
      [],
    ],
    ['plain download, healthy swarm: nothing', inputs({ haves: all(0, 99) }, null), 'idle', []],
    [
      'plain download: only the pieces no peer has',
      inputs({ haves: all(0, 89) }, null),
      'no-peer',
      [range(90, 99)],
    ],
    [
      'plain download with web seeds used freely: everything missing',
      inputs({ haves: all(0, 99), verified: all(0, 49) }, null),
      'free',
      [range(50, 90), range(91, 99)],
      { useWebSeedsFreely: true },
    ],
    [
      "prefetch of the next item's head, less what a peer was asked for",
      inputs(
        { etas: [[[60, 61], NOW + 100]] },
        { playing: true, bufferAheadS: 20, startedAtMs: NOW - 60_000 },
        { prefetch: [range(60, 69)] },
      ),
      'prefetch',
      [range(62, 69)],
    ],
  ];
  for (const [name, input, reason, ranges, overrides] of cases) {
    it(name, () => {
      const decision = planWebSeed(input, { ...P, ...overrides });
      expect(decision).to.deep.equal({ reason, ranges });
    });
  }
});

describe('nextEmergency', () => {
  const playing = (bufferAheadS: number): BufferView => ({
    bufferAheadS,
    playing: true,
    toEnd: false,
  });
  const cases: [string, boolean, BufferView | null, boolean][] = [
    ['nothing plays', false, null, false],
    ['buffer 2 s: enter', false, playing(2), true],
    ['buffer 4 s: stay out', false, playing(4), false],
    ['buffer 4 s in an emergency: stay in (hysteresis)', true, playing(4), true],
    ['buffer 6 s: leave', true, playing(6), false],
    ['paused with an empty buffer: no emergency', false, { ...playing(0), playing: false }, false],
    ['the buffer reaches the end of the file', true, { ...playing(1), toEnd: true }, false],
  ];
  for (const [name, active, buffer, expected] of cases) {
    it(`${name} → ${String(expected)}`, () => {
      expect(nextEmergency(active, buffer, P)).to.equal(expected);
    });
  }
});

describe('planPrefetch', () => {
  // A 30 s item at 100 kB/s, then the next one.
  const current = {
    file: { offsetBytes: 0, lengthBytes: 30 * PIECE },
    playheadBytes: 0,
    bitrateBytesPerS: 100_000,
    positionS: null,
    durationS: null,
  };
  const next = { offsetBytes: 30 * PIECE, lengthBytes: 20 * PIECE };
  const head = range(30, 39);
  const cases: [string, PrefetchInputs, PieceRange | null, PieceRange | null][] = [
    [
      '60 s left (player figures): nothing',
      { layout, current: { ...current, positionS: 10, durationS: 70 }, next },
      null,
      null,
    ],
    ['30 s left: from peers', { layout, current, next }, head, null],
    [
      '25 s left by bytes: from peers',
      { layout, current: { ...current, playheadBytes: 5 * PIECE }, next },
      head,
      null,
    ],
    [
      '9 s left: from the web seed too',
      { layout, current: { ...current, positionS: 21, durationS: 30 }, next },
      head,
      head,
    ],
    [
      'the last item: nothing',
      { layout, current: { ...current, positionS: 29, durationS: 30 }, next: null },
      null,
      null,
    ],
  ];
  for (const [name, input, peers, webSeed] of cases) {
    it(name, () => {
      const plan = planPrefetch(input, P);
      expect({ peers: plan.peers, webSeed: plan.webSeed }).to.deep.equal({ peers, webSeed });
    });
  }

  it('nextItem follows the playlist order', () => {
    const list = [{ path: 'a.mp3' }, { path: 'b.mp3' }, { path: 'c.mp3' }];
    expect(nextItem(list, 'a.mp3')?.path).to.equal('b.mp3');
    expect(nextItem(list, 'c.mp3')).to.equal(null);
    expect(nextItem(list, 'x.mp3')).to.equal(null);
  });
});
