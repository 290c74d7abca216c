import { expect } from '@open-wc/testing';
import {
  DEFAULT_PLAYHEAD_POLICY as P,
  IDLE_PLAN,
  bufferedAheadBytes,
  estimateBitrate,
  mergeRanges,
  piecesOf,
  planStreams,
  samePlan,
  verifiedFractions,
  windowSeconds,
  type PieceRange,
} from '../../src/engine/policy/playhead-window.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

describe('estimateBitrate', () => {
  const cases: [string, Parameters<typeof estimateBitrate>[0], number][] = [
    ['size over duration', { fileLengthBytes: 30e6, durationS: 60, observed: null }, 500_000],
    [
      'duration wins over an observed rate',
      { fileLengthBytes: 6e6, durationS: 60, observed: { bytes: 9e6, elapsedS: 10 } },
      100_000,
    ],
    [
      'observed read rate without a duration',
      { fileLengthBytes: 6e6, durationS: null, observed: { bytes: 1e6, elapsedS: 10 } },
      100_000,
    ],
    [
      'an observation too young to trust',
      { fileLengthBytes: 6e6, durationS: null, observed: { bytes: 1e6, elapsedS: 1 } },
      P.fallbackBitrateBytesPerS,
    ],
    ['nothing known', { fileLengthBytes: 6e6, durationS: null, observed: null }, 500_000],
    [
      'an infinite duration (live)',
      { fileLengthBytes: 6e6, durationS: Infinity, observed: null },
      500_000,
    ],
    ['a zero duration', { fileLengthBytes: 6e6, durationS: 0, observed: null }, 500_000],
    [
      'a burst is clamped to the maximum',
      { fileLengthBytes: 1e9, durationS: null, observed: { bytes: 100e6, elapsedS: 4 } },
      P.maxBitrateBytesPerS,
    ],
    [
      'a trickle is clamped to the minimum',
      { fileLengthBytes: 1000, durationS: 3600, observed: null },
      P.minBitrateBytesPerS,
    ],
  ];
  for (const [name, inputs, expected] of cases) {
    it(`${name} → ${String(expected)} B/s`, () => {
      expect(estimateBitrate(inputs)).to.be.closeTo(expected, 1e-6);
    });
  }
});

describe('windowSeconds', () => {
  const cases: [number, number][] = [
    [0, P.maxWindowS],
    [P.healthyBufferS / 2, (P.maxWindowS + P.minWindowS) / 2],
    [P.healthyBufferS, P.minWindowS],
    [P.healthyBufferS * 10, P.minWindowS],
    [-5, P.maxWindowS],
  ];
  for (const [bufferS, expected] of cases) {
    it(`buffer ${String(bufferS)} s → window ${String(expected)} s`, () => {
      expect(windowSeconds(bufferS)).to.equal(expected);
    });
  }

  it('grows as the buffer shrinks', () => {
    const windows = [30, 20, 10, 5, 0].map((b) => windowSeconds(b));
    expect(windows).to.deep.equal([...windows].sort((a, b) => a - b));
  });
});

describe('piecesOf', () => {
  // 10 pieces of 100 bytes; a file from byte 250 to 649 (pieces 2..6).
  const layout = { pieceLengthBytes: 100, pieceCount: 10 };
  const file = { offsetBytes: 250, lengthBytes: 400 };
  const cases: [string, number, number, PieceRange | null][] = [
    ['the first byte', 0, 0, { from: 2, to: 2 }],
    ['the whole file', 0, 399, { from: 2, to: 6 }],
    ['a range crossing pieces', 50, 149, { from: 3, to: 3 }],
    ['a range from inside a piece to the next', 49, 50, { from: 2, to: 3 }],
    ['an end past the file is clamped', 300, 10_000, { from: 5, to: 6 }],
    ['a negative start is clamped', -50, 10, { from: 2, to: 2 }],
    ['a start past the end', 400, 500, null],
    ['an end before the start', 100, 50, null],
  ];
  for (const [name, start, end, expected] of cases) {
    it(`${name}: bytes ${String(start)}-${String(end)} → ${JSON.stringify(expected)}`, () => {
      expect(piecesOf(layout, file, start, end)).to.deep.equal(expected);
    });
  }

  it('finds no pieces in an empty file', () => {
    expect(piecesOf(layout, { offsetBytes: 100, lengthBytes: 0 }, 0, 0)).to.equal(null);
  });

  it('never names a piece past the torrent', () => {
    const short = { pieceLengthBytes: 100, pieceCount: 3 };
    expect(piecesOf(short, { offsetBytes: 0, lengthBytes: 1000 }, 0, 999)).to.deep.equal({
      from: 0,
      to: 2,
    });
  });
});

describe('bufferedAheadBytes', () => {
  const layout = { pieceLengthBytes: 100, pieceCount: 10 };
  const file = { offsetBytes: 250, lengthBytes: 400 };
  const have =
    (...pieces: number[]) =>
    (i: number) =>
      pieces.includes(i);
  const cases: [string, (i: number) => boolean, number, number][] = [
    ['nothing verified', have(), 0, 0],
    ['the piece under the position', have(2), 0, 50],
    ['contiguous pieces', have(2, 3, 4), 0, 250],
    ['a gap stops the count', have(2, 3, 5, 6), 0, 150],
    ['from the middle of a piece', have(3, 4), 60, 190],
    ['to the end of the file, not of its last piece', have(5, 6), 300, 100],
    ['a missing piece under the position', have(3, 4), 0, 0],
  ];
  for (const [name, isVerified, position, expected] of cases) {
    it(`${name} → ${String(expected)} bytes`, () => {
      expect(bufferedAheadBytes(isVerified, layout, file, position)).to.equal(expected);
    });
  }
});

describe('mergeRanges', () => {
  it('sorts, joins overlapping and adjacent ranges, keeps gaps', () => {
    expect(
      mergeRanges([
        { from: 10, to: 12 },
        { from: 0, to: 3 },
        { from: 4, to: 5 },
        { from: 11, to: 20 },
        { from: 30, to: 30 },
      ]),
    ).to.deep.equal([
      { from: 0, to: 5 },
      { from: 10, to: 20 },
      { from: 30, to: 30 },
    ]);
  });
});

describe('planStreams', () => {
  // 256 KiB pieces, a 100 MiB single-file torrent, played at 1 MB/s.
  const pieceLengthBytes = 256 * KiB;
  const layout = { pieceLengthBytes, pieceCount: 400 };
  const file = { offsetBytes: 0, lengthBytes: 100 * MiB };
  const none = () => false;
  const read = (positionBytes: number, bitrateBytesPerS = 1_000_000) => ({
    file,
    positionBytes,
    bitrateBytesPerS,
  });
  const piece = (byte: number) => Math.floor(byte / pieceLengthBytes);

  it('without streams, fetches everything rarest-first', () => {
    expect(planStreams([], layout, none)).to.deep.equal(IDLE_PLAN);
    expect(IDLE_PLAN).to.deep.equal({
      critical: [],
      window: [],
      fillRest: true,
      strategy: 'rarest',
    });
  });

  it('with an empty buffer: critical under the read, the widest window, nothing else', () => {
    const plan = planStreams([read(10 * MiB)], layout, none);
    const from = piece(10 * MiB);
    expect(plan.critical).to.deep.equal([{ from, to: piece(10 * MiB + 2e6 - 1) }]);
    expect(plan.window).to.deep.equal([{ from, to: piece(10 * MiB + 60e6 - 1) }]);
    expect(plan.fillRest).to.equal(false);
    expect(plan.strategy).to.equal('sequential');
  });

  it('with a healthy buffer: the narrowest window and the rest rarest-first', () => {
    const position = 10 * MiB;
    const verified = (i: number) => i >= piece(position) && i < piece(position + 40e6);
    const plan = planStreams([read(position)], layout, verified);
    expect(plan.window).to.deep.equal([{ from: piece(position), to: piece(position + 10e6 - 1) }]);
    expect(plan.fillRest).to.equal(true);
    expect(plan.strategy).to.equal('rarest');
  });

  it('widens the window as the buffer runs down', () => {
    const position = 0;
    const sizes = [40e6, 20e6, 10e6, 0].map((bufferBytes) => {
      const plan = planStreams([read(position)], layout, (i) => i < piece(bufferBytes));
      const [w] = plan.window;
      return w ? w.to - w.from : -1;
    });
    expect(sizes).to.deep.equal([...sizes].sort((a, b) => a - b));
    expect(sizes[0]).to.be.lessThan(sizes[3] ?? 0);
  });

  it('stops the window at the end of the file', () => {
    const plan = planStreams([read(99 * MiB)], layout, none);
    expect(plan.window).to.deep.equal([{ from: piece(99 * MiB), to: 399 }]);
  });

  it('a buffer that reaches the end of the file is healthy, however short', () => {
    const plan = planStreams([read(99 * MiB)], layout, (i) => i >= piece(99 * MiB));
    expect(plan.fillRest).to.equal(true);
  });

  it('a buffer as long as the widest window is healthy, even at a high bitrate', () => {
    const fast = 10_000_000; // 30 s of it would be more than the widest window
    const plan = planStreams([read(0, fast)], layout, (i) => i < piece(P.maxWindowBytes));
    expect(plan.fillRest).to.equal(true);
    const short = planStreams([read(0, fast)], layout, (i) => i < piece(P.maxWindowBytes) - 1);
    expect(short.fillRest).to.equal(false);
  });

  it('keeps a few pieces in the window at a low bitrate', () => {
    const plan = planStreams([read(0, P.minBitrateBytesPerS)], layout, none);
    expect(plan.window).to.deep.equal([{ from: 0, to: piece(P.minWindowBytes - 1) }]);
  });

  it('never windows more than the maximum at a high bitrate', () => {
    const plan = planStreams([read(0, 50e6)], layout, none);
    expect(plan.window).to.deep.equal([{ from: 0, to: piece(P.maxWindowBytes - 1) }]);
  });

  it('a seek moves the window: the old position is no longer in it', () => {
    const before = planStreams([read(0)], layout, none);
    const after = planStreams([read(80 * MiB)], layout, none);
    expect(before.window[0]?.from).to.equal(0);
    expect(after.window[0]?.from).to.equal(piece(80 * MiB));
    expect(samePlan(before, after)).to.equal(false);
  });

  it('two reads of one torrent get a window each; one short buffer makes both sequential', () => {
    const a = {
      file: { offsetBytes: 0, lengthBytes: 50 * MiB },
      positionBytes: 0,
      bitrateBytesPerS: 100_000,
    };
    const b = {
      file: { offsetBytes: 50 * MiB, lengthBytes: 50 * MiB },
      positionBytes: 0,
      bitrateBytesPerS: 100_000,
    };
    const verifiedA = (i: number) => i < piece(10 * MiB);
    const plan = planStreams([a, b], layout, verifiedA);
    expect(plan.window).to.deep.equal([
      { from: 0, to: piece(P.minWindowBytes - 1) },
      { from: piece(50 * MiB), to: piece(50 * MiB + 6e6 - 1) },
    ]);
    expect(plan.fillRest).to.equal(false);
  });

  it('overlapping windows of two reads merge', () => {
    const plan = planStreams([read(0), read(1 * MiB)], layout, none);
    expect(plan.window).to.have.length(1);
    expect(plan.critical).to.have.length(1);
  });
});

describe('samePlan', () => {
  it('compares plans by value', () => {
    const a = {
      critical: [{ from: 1, to: 2 }],
      window: [{ from: 1, to: 9 }],
      fillRest: false,
      strategy: 'sequential' as const,
    };
    expect(samePlan(a, { ...a, window: [{ from: 1, to: 9 }] })).to.equal(true);
    expect(samePlan(a, { ...a, window: [{ from: 1, to: 10 }] })).to.equal(false);
    expect(samePlan(a, { ...a, fillRest: true })).to.equal(false);
    expect(samePlan(a, IDLE_PLAN)).to.equal(false);
  });
});

describe('verifiedFractions', () => {
  const layout = { pieceLengthBytes: 100, pieceCount: 10 };
  // Bytes 250..649: pieces 2..6, a quarter piece at each end.
  const file = { offsetBytes: 250, lengthBytes: 400 };
  const have =
    (...pieces: number[]) =>
    (i: number) =>
      pieces.includes(i);
  const cases: [string, (i: number) => boolean, { start: number; end: number }[]][] = [
    ['nothing', have(), []],
    ['everything', have(2, 3, 4, 5, 6), [{ start: 0, end: 1 }]],
    ['pieces of other files do not count', have(0, 1, 7, 8), []],
    [
      'two runs',
      have(2, 5, 6),
      [
        { start: 0, end: 0.125 },
        { start: 0.625, end: 1 },
      ],
    ],
  ];
  for (const [name, isVerified, expected] of cases) {
    it(`${name} → ${JSON.stringify(expected)}`, () => {
      expect(verifiedFractions(isVerified, layout, file)).to.deep.equal(expected);
    });
  }
});
