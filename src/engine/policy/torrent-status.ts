export type TorrentState = 'metadata' | 'downloading' | 'seeding' | 'paused' | 'error';

export interface StatusInputs {
  readonly paused: boolean;
  readonly errorMessage: string | null;
  readonly hasMetadata: boolean;
  readonly done: boolean;
}

/** The one state a torrent shows. An error wins, then a user's pause. */
export function torrentState({
  paused,
  errorMessage,
  hasMetadata,
  done,
}: StatusInputs): TorrentState {
  if (errorMessage !== null) return 'error';
  if (paused) return 'paused';
  if (!hasMetadata) return 'metadata';
  return done ? 'seeding' : 'downloading';
}

/** Below this rate an ETA would be noise: show none rather than "3 days". */
export const MIN_RATE_FOR_ETA_BYTES_PER_S = 1024;

/** Seconds until done at the current rate, or null when unknown or not meaningful. */
export function etaS(remainingBytes: number, rateBytesPerS: number): number | null {
  if (!Number.isFinite(remainingBytes) || remainingBytes < 0) return null;
  if (remainingBytes === 0) return 0;
  if (!(rateBytesPerS >= MIN_RATE_FOR_ETA_BYTES_PER_S)) return null;
  return Math.ceil(remainingBytes / rateBytesPerS);
}
