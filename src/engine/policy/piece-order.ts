/**
 * BitTorrent's piece selection, with playback first: a newcomer (nothing verified yet)
 * fetches one random piece first, so that it has something to trade at once; then
 * rarest-first while nothing plays or every buffer is healthy; the playhead window first
 * (in order) while a buffer is not.
 */
export type PieceOrder = 'random-first' | 'rarest' | 'playhead';

export interface PieceOrderInputs {
  readonly verifiedPieces: number;
  readonly streamActive: boolean;
  readonly bufferHealthy: boolean;
}

export function pieceOrder({
  verifiedPieces,
  streamActive,
  bufferHealthy,
}: PieceOrderInputs): PieceOrder {
  if (streamActive) return bufferHealthy ? 'rarest' : 'playhead';
  return verifiedPieces === 0 ? 'random-first' : 'rarest';
}

/** The newcomer's first piece: one at random among those some peer has (`random` in [0, 1)). */
export function randomFirstPiece(available: readonly number[], random: number): number | null {
  if (available.length === 0) return null;
  return available[Math.min(available.length - 1, Math.floor(random * available.length))] ?? null;
}
