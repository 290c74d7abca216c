/**
 * When the web seed (a BEP 19 HTTP server) may be used, and for which pieces: Spotify's
 * rule, with the web seed as our CDN. It starts a play or seek fast when peers cannot
 * deliver the first seconds in time, rescues a low buffer, never reaches more than
 * `webSeedMaxAheadS` past the playhead, and never fetches a piece a peer is delivering in
 * time. Without playback it serves only pieces no peer has (unless used freely). The
 * pieces allowed come out as runs of consecutive pieces: one HTTP request each.
 */
import type { PeerAssistSettings } from '../../config/peer-assist.ts';
import {
  mergeRanges,
  piecesOf,
  type FileSpan,
  type PieceLayout,
  type PieceRange,
} from './playhead-window.ts';

/** What the engine knows of each piece. */
export interface PieceView {
  verified(piece: number): boolean;
  /** Connected peers (not web seeds) that have it. */
  peersWith(piece: number): number;
  /** When a peer that was asked for it is expected to deliver it, or null if none was asked. */
  peerEtaMs(piece: number): number | null;
}

/** The file being played, as the player reports it. */
export interface PlaybackView {
  readonly file: FileSpan;
  /** The byte of the file under the playhead. */
  readonly playheadBytes: number;
  readonly bitrateBytesPerS: number;
  /** Seconds of media playable ahead of the playhead. */
  readonly bufferAheadS: number;
  /** When the play or the last seek started. */
  readonly startedAtMs: number;
  /** The playhead moves (or would, if it had data); false before the first frame or paused. */
  readonly playing: boolean;
  /**
   * The buffer has reached `coldStartS` since this play or seek: its cold start is over (no
   * topping up by a piece or two on every tick after).
   */
  readonly coldStartFilled?: boolean;
}

export interface WebSeedInputs {
  readonly nowMs: number;
  readonly layout: PieceLayout;
  readonly pieces: PieceView;
  readonly playback: PlaybackView | null;
  /** The rate all peers together send us piece data now. */
  readonly peerRateBytesPerS: number;
  /** When the torrent started looking for peers. */
  readonly torrentStartedAtMs: number;
  readonly emergency: boolean;
  /** Pieces allowed besides (the next playlist item's first pieces, see prefetch.ts). */
  readonly prefetch: readonly PieceRange[];
}

export type WebSeedReason = 'idle' | 'cold-start' | 'low-buffer' | 'no-peer' | 'free' | 'prefetch';

export interface WebSeedDecision {
  readonly reason: WebSeedReason;
  /** Sorted, disjoint runs of missing pieces, each at most `maxWebSeedRequestBytes`. */
  readonly ranges: readonly PieceRange[];
}

/** A rate for a peer asked for a piece before any of its data has arrived. */
export const ASSUMED_PEER_RATE_BYTES_PER_S = 256 * 1024;

const IDLE: WebSeedDecision = { reason: 'idle', ranges: [] };

/** Runs of consecutive pieces for which `want` holds, in `from`..`to`. */
export function runsOf(from: number, to: number, want: (piece: number) => boolean): PieceRange[] {
  const runs: PieceRange[] = [];
  let start: number | null = null;
  for (let piece = from; piece <= to + 1; piece++) {
    const yes = piece <= to && want(piece);
    if (yes && start === null) start = piece;
    if (!yes && start !== null) {
      runs.push({ from: start, to: piece - 1 });
      start = null;
    }
  }
  return runs;
}

/** Splits runs so that none spans more than `maxBytes` (at least one piece each). */
export function capRanges(
  ranges: readonly PieceRange[],
  pieceLengthBytes: number,
  maxBytes: number,
): PieceRange[] {
  const maxPieces = Math.max(1, Math.floor(maxBytes / pieceLengthBytes));
  const capped: PieceRange[] = [];
  for (const range of ranges) {
    for (let from = range.from; from <= range.to; from += maxPieces) {
      capped.push({ from, to: Math.min(range.to, from + maxPieces - 1) });
    }
  }
  return capped;
}

/**
 * The missing pieces ahead of the playhead (up to `webSeedMaxAheadS`) that no peer will
 * deliver before they are played. A piece is due when the playhead reaches it, counted
 * from now while playing, or from `startupBudgetMs` after the play or seek before the first
 * frame. A peer asked for it delivers at its ETA; one that has it but was not asked yet, at
 * the peers' rate after every missing piece before it.
 */
export function lateForPlayback(
  inputs: WebSeedInputs,
  playback: PlaybackView,
  policy: PeerAssistSettings,
): PieceRange[] {
  const { layout, pieces, nowMs } = inputs;
  const bitrate = Math.max(1, playback.bitrateBytesPerS);
  const span = piecesOf(
    layout,
    playback.file,
    playback.playheadBytes,
    playback.playheadBytes + policy.webSeedMaxAheadS * bitrate - 1,
  );
  if (!span) return [];
  const baseMs = playback.playing
    ? nowMs
    : Math.max(nowMs, playback.startedAtMs + policy.startupBudgetMs);
  const peerRate =
    inputs.peerRateBytesPerS > 0 ? inputs.peerRateBytesPerS : ASSUMED_PEER_RATE_BYTES_PER_S;
  let queuedBytes = 0;
  const late = new Set<number>();
  for (let piece = span.from; piece <= span.to; piece++) {
    if (pieces.verified(piece)) continue;
    queuedBytes += layout.pieceLengthBytes;
    const startInFile = piece * layout.pieceLengthBytes - playback.file.offsetBytes;
    const dueMs = baseMs + (Math.max(0, startInFile - playback.playheadBytes) / bitrate) * 1000;
    const eta = pieces.peerEtaMs(piece);
    const peerArrivalMs =
      eta ?? (pieces.peersWith(piece) > 0 ? nowMs + (queuedBytes / peerRate) * 1000 : Infinity);
    if (peerArrivalMs > dueMs - policy.peerMarginMs) late.add(piece);
  }
  return runsOf(span.from, span.to, (piece) => late.has(piece));
}

/** Which pieces the web seed may serve now. */
export function planWebSeed(inputs: WebSeedInputs, policy: PeerAssistSettings): WebSeedDecision {
  const { layout, pieces, playback, nowMs } = inputs;
  const last = layout.pieceCount - 1;
  if (last < 0) return IDLE;
  const missing = (piece: number): boolean => !pieces.verified(piece);
  const decide = (reason: WebSeedReason, ranges: readonly PieceRange[]): WebSeedDecision => {
    const merged = mergeRanges(ranges);
    return merged.length === 0
      ? IDLE
      : {
          reason,
          ranges: capRanges(merged, layout.pieceLengthBytes, policy.maxWebSeedRequestBytes),
        };
  };
  // The next item's first pieces, unless a peer was asked for them already.
  const prefetch = inputs.prefetch.flatMap((r) =>
    runsOf(
      Math.max(0, r.from),
      Math.min(last, r.to),
      (p) => missing(p) && pieces.peerEtaMs(p) === null,
    ),
  );
  if (policy.useWebSeedsFreely) return decide('free', runsOf(0, last, missing));
  if (!playback) {
    if (nowMs - inputs.torrentStartedAtMs < policy.plainDownloadGraceMs) {
      return decide('prefetch', prefetch);
    }
    const orphans = runsOf(0, last, (p) => missing(p) && pieces.peersWith(p) === 0);
    return decide(orphans.length > 0 ? 'no-peer' : 'prefetch', [...orphans, ...prefetch]);
  }
  const coldStart =
    playback.coldStartFilled !== true &&
    nowMs - playback.startedAtMs < policy.coldStartMaxMs &&
    playback.bufferAheadS < policy.coldStartS;
  const low = inputs.emergency || playback.bufferAheadS < policy.lowBufferS;
  if (!coldStart && !low) return decide('prefetch', prefetch);
  const late = lateForPlayback(inputs, playback, policy);
  if (late.length === 0) return decide('prefetch', prefetch);
  return decide(low && !coldStart ? 'low-buffer' : 'cold-start', [...late, ...prefetch]);
}
