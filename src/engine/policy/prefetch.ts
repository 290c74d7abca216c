/**
 * Prefetch in a playlist: the next item's first `prefetchHeadS` seconds come from peers once
 * `prefetchPeersS` remain in the current one, and from the web seed once `prefetchWebSeedS`
 * remain, so that the next item starts without a gap.
 */
import type { PeerAssistSettings } from '../../config/peer-assist.ts';
import { piecesOf, type FileSpan, type PieceLayout, type PieceRange } from './playhead-window.ts';

export interface PrefetchInputs {
  readonly layout: PieceLayout;
  readonly current: {
    readonly file: FileSpan;
    readonly playheadBytes: number;
    readonly bitrateBytesPerS: number;
    /** From the player when it knows them; else the remaining bytes at the bitrate count. */
    readonly positionS: number | null;
    readonly durationS: number | null;
  };
  readonly next: FileSpan | null;
}

export interface PrefetchPlan {
  readonly remainingS: number;
  readonly peers: PieceRange | null;
  readonly webSeed: PieceRange | null;
}

export function remainingSeconds(current: PrefetchInputs['current']): number {
  const { positionS, durationS } = current;
  if (positionS !== null && durationS !== null && Number.isFinite(durationS)) {
    return Math.max(0, durationS - positionS);
  }
  const left = Math.max(0, current.file.lengthBytes - current.playheadBytes);
  return left / Math.max(1, current.bitrateBytesPerS);
}

export function planPrefetch(
  { layout, current, next }: PrefetchInputs,
  policy: Pick<PeerAssistSettings, 'prefetchPeersS' | 'prefetchWebSeedS' | 'prefetchHeadS'>,
): PrefetchPlan {
  const remainingS = remainingSeconds(current);
  if (!next) return { remainingS, peers: null, webSeed: null };
  // The next item's bitrate is not known yet: assume the current one's.
  const head = piecesOf(
    layout,
    next,
    0,
    policy.prefetchHeadS * Math.max(1, current.bitrateBytesPerS) - 1,
  );
  return {
    remainingS,
    peers: remainingS <= policy.prefetchPeersS ? head : null,
    webSeed: remainingS <= policy.prefetchWebSeedS ? head : null,
  };
}

/** The item after `currentPath` among the playable ones, in the playlist's order. */
export function nextItem<T extends { readonly path: string }>(
  playlist: readonly T[],
  currentPath: string,
): T | null {
  const index = playlist.findIndex((item) => item.path === currentPath);
  return index < 0 ? null : (playlist[index + 1] ?? null);
}
