/**
 * Which pieces a torrent fetches first while one of its files is being played.
 *
 * Each stream read (a media element's Range request, answered by our service worker) has a
 * position: the byte of the file it has been served up to. The pieces under that position
 * are critical (requested first, from the fastest peers); a window ahead of it comes next,
 * its length in seconds of media longer when the buffer ahead is short; once every stream
 * has a healthy buffer the rest of the torrent fills in rarest-first, as without streams.
 */

export interface PlayheadPolicy {
  /** The window ahead of a read once its buffer is healthy, in seconds of media. */
  readonly minWindowS: number;
  /** The window ahead of a read whose buffer is empty. */
  readonly maxWindowS: number;
  /** Seconds of verified media ahead of every read at which the buffer counts as healthy. */
  readonly healthyBufferS: number;
  /** Seconds after the read position whose pieces are critical. */
  readonly criticalS: number;
  /** Bounds on the window in bytes, whatever the bitrate. */
  readonly minWindowBytes: number;
  readonly maxWindowBytes: number;
  /** Assumed while nothing better is known (4 Mb/s: a modest HD video). */
  readonly fallbackBitrateBytesPerS: number;
  /** Bounds on any estimate (an opening burst of reads is not the media's bitrate). */
  readonly minBitrateBytesPerS: number;
  readonly maxBitrateBytesPerS: number;
  /** A read rate observed for less than this is too young to trust. */
  readonly minObservedS: number;
}

export const DEFAULT_PLAYHEAD_POLICY: PlayheadPolicy = {
  minWindowS: 10,
  maxWindowS: 60,
  healthyBufferS: 30,
  criticalS: 2,
  minWindowBytes: 2 * 1024 * 1024,
  maxWindowBytes: 64 * 1024 * 1024,
  fallbackBitrateBytesPerS: 500_000,
  minBitrateBytesPerS: 8_000,
  maxBitrateBytesPerS: 2_500_000,
  minObservedS: 3,
};

export interface BitrateInputs {
  readonly fileLengthBytes: number;
  /** The media's duration, when known (a player reads it from the element). */
  readonly durationS: number | null;
  /** Bytes a read has been served over how long. */
  readonly observed: { readonly bytes: number; readonly elapsedS: number } | null;
}

const clamp = (value: number, min: number, max: number): number =>
  Math.min(max, Math.max(min, value));

/**
 * The media's bitrate: its size over its duration when the duration is known, else the
 * rate a read has been served at (the element's reads follow playback once its buffer is
 * full; the opening burst overestimates, which only widens the window), else the fallback.
 */
export function estimateBitrate(
  { fileLengthBytes, durationS, observed }: BitrateInputs,
  policy: PlayheadPolicy = DEFAULT_PLAYHEAD_POLICY,
): number {
  let estimate = policy.fallbackBitrateBytesPerS;
  if (durationS !== null && Number.isFinite(durationS) && durationS > 0 && fileLengthBytes > 0) {
    estimate = fileLengthBytes / durationS;
  } else if (observed && observed.elapsedS >= policy.minObservedS && observed.bytes > 0) {
    estimate = observed.bytes / observed.elapsedS;
  }
  return clamp(estimate, policy.minBitrateBytesPerS, policy.maxBitrateBytesPerS);
}

/** The window ahead of a read, in seconds: `maxWindowS` with no buffer, `minWindowS` healthy. */
export function windowSeconds(
  bufferS: number,
  policy: PlayheadPolicy = DEFAULT_PLAYHEAD_POLICY,
): number {
  const health = clamp(bufferS / policy.healthyBufferS, 0, 1);
  return policy.maxWindowS - (policy.maxWindowS - policy.minWindowS) * health;
}

/** Pieces `from`..`to`, both inclusive, as webtorrent's `select` and `critical` take them. */
export interface PieceRange {
  readonly from: number;
  readonly to: number;
}

export interface PieceLayout {
  readonly pieceLengthBytes: number;
  readonly pieceCount: number;
}

/** Where a file lies in the torrent's bytes. */
export interface FileSpan {
  readonly offsetBytes: number;
  readonly lengthBytes: number;
}

/**
 * The pieces under bytes `startBytes`..`endBytes` (inclusive) of a file, clamped to the
 * file (and so to the torrent); null for an empty file or a start past its end.
 */
export function piecesOf(
  layout: PieceLayout,
  file: FileSpan,
  startBytes: number,
  endBytes: number,
): PieceRange | null {
  if (file.lengthBytes <= 0 || layout.pieceCount <= 0) return null;
  const start = Math.max(0, Math.floor(startBytes));
  const end = Math.min(file.lengthBytes - 1, Math.floor(endBytes));
  if (start > end) return null;
  const piece = (byte: number): number =>
    clamp(
      Math.floor((file.offsetBytes + byte) / layout.pieceLengthBytes),
      0,
      layout.pieceCount - 1,
    );
  return { from: piece(start), to: piece(end) };
}

/**
 * Verified bytes of a file ahead of `positionBytes`, without a gap: how far a read can go
 * before it waits on the swarm.
 */
export function bufferedAheadBytes(
  isVerified: (piece: number) => boolean,
  layout: PieceLayout,
  file: FileSpan,
  positionBytes: number,
): number {
  const span = piecesOf(layout, file, positionBytes, file.lengthBytes - 1);
  if (!span) return 0;
  let piece = span.from;
  while (piece <= span.to && isVerified(piece)) piece++;
  const verifiedEnd = Math.min(
    file.offsetBytes + file.lengthBytes,
    piece * layout.pieceLengthBytes,
  );
  return Math.max(0, verifiedEnd - (file.offsetBytes + positionBytes));
}

/** One read of a file being streamed. */
export interface StreamRead {
  readonly file: FileSpan;
  /** The next byte of the file the read will serve. */
  readonly positionBytes: number;
  readonly bitrateBytesPerS: number;
}

export interface StreamPlan {
  /** Pieces to fetch before anything else, from the fastest peers. */
  readonly critical: readonly PieceRange[];
  /** Pieces to fetch next, at high priority. Sorted, disjoint, not adjacent. */
  readonly window: readonly PieceRange[];
  /** Whether the rest of the torrent is fetched too (every stream's buffer is healthy). */
  readonly fillRest: boolean;
  /** In order while a buffer is short; rarest-first otherwise, as BitTorrent swarms prefer. */
  readonly strategy: 'sequential' | 'rarest';
}

/** What a torrent with no streams does: everything, rarest first. */
export const IDLE_PLAN: StreamPlan = {
  critical: [],
  window: [],
  fillRest: true,
  strategy: 'rarest',
};

/** Sorted union of ranges, adjacent ones joined. */
export function mergeRanges(ranges: readonly PieceRange[]): PieceRange[] {
  const sorted = [...ranges].sort((a, b) => a.from - b.from || a.to - b.to);
  const merged: PieceRange[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last && range.from <= last.to + 1) {
      merged[merged.length - 1] = { from: last.from, to: Math.max(last.to, range.to) };
    } else {
      merged.push(range);
    }
  }
  return merged;
}

/** The priorities for a torrent's pieces given its active stream reads. */
export function planStreams(
  reads: readonly StreamRead[],
  layout: PieceLayout,
  isVerified: (piece: number) => boolean,
  policy: PlayheadPolicy = DEFAULT_PLAYHEAD_POLICY,
): StreamPlan {
  if (reads.length === 0) return IDLE_PLAN;
  const critical: PieceRange[] = [];
  const window: PieceRange[] = [];
  let healthy = true;
  for (const read of reads) {
    const bitrate = Math.max(read.bitrateBytesPerS, policy.minBitrateBytesPerS);
    const aheadBytes = bufferedAheadBytes(isVerified, layout, read.file, read.positionBytes);
    const bufferS = aheadBytes / bitrate;
    const toEnd = read.positionBytes + aheadBytes >= read.file.lengthBytes;
    // As much as the widest window is healthy too, whatever the bitrate claims: else a
    // high estimate would keep the rest of the torrent waiting for ever.
    const enough = aheadBytes >= Math.min(policy.healthyBufferS * bitrate, policy.maxWindowBytes);
    if (!toEnd && !enough) healthy = false;
    const windowBytes = clamp(
      windowSeconds(bufferS, policy) * bitrate,
      policy.minWindowBytes,
      policy.maxWindowBytes,
    );
    const criticalBytes = Math.max(1, policy.criticalS * bitrate);
    const under = piecesOf(
      layout,
      read.file,
      read.positionBytes,
      read.positionBytes + criticalBytes - 1,
    );
    const ahead = piecesOf(
      layout,
      read.file,
      read.positionBytes,
      read.positionBytes + windowBytes - 1,
    );
    if (under) critical.push(under);
    if (ahead) window.push(ahead);
  }
  return {
    critical: mergeRanges(critical),
    window: mergeRanges(window),
    fillRest: healthy,
    strategy: healthy ? 'rarest' : 'sequential',
  };
}

export function samePlan(a: StreamPlan, b: StreamPlan): boolean {
  const same = (x: readonly PieceRange[], y: readonly PieceRange[]): boolean =>
    x.length === y.length && x.every((r, i) => r.from === y[i]?.from && r.to === y[i].to);
  return (
    a.fillRest === b.fillRest &&
    a.strategy === b.strategy &&
    same(a.critical, b.critical) &&
    same(a.window, b.window)
  );
}

/** A part of a file, as fractions of its length: `start` inclusive, `end` exclusive. */
export interface FileFraction {
  readonly start: number;
  readonly end: number;
}

/** The parts of a file whose pieces are verified, in order, as fractions of the file. */
export function verifiedFractions(
  isVerified: (piece: number) => boolean,
  layout: PieceLayout,
  file: FileSpan,
): FileFraction[] {
  const span = piecesOf(layout, file, 0, file.lengthBytes - 1);
  if (!span) return [];
  const fractions: FileFraction[] = [];
  const fraction = (torrentByte: number): number =>
    clamp((torrentByte - file.offsetBytes) / file.lengthBytes, 0, 1);
  let runStart: number | null = null;
  for (let piece = span.from; piece <= span.to + 1; piece++) {
    const have = piece <= span.to && isVerified(piece);
    if (have && runStart === null) runStart = piece;
    if (!have && runStart !== null) {
      fractions.push({
        start: fraction(runStart * layout.pieceLengthBytes),
        end: fraction(piece * layout.pieceLengthBytes),
      });
      runStart = null;
    }
  }
  return fractions;
}
