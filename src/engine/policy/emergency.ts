/**
 * Spotify's emergency mode: while the buffer ahead of the playhead is under `lowBufferS`,
 * stop uploading to others and fetch the critical pieces from the web seed and the fastest
 * peers; leave it once the buffer is back above `recoveredBufferS` (hysteresis, so that a
 * buffer hovering at the mark does not flap).
 */
import type { PeerAssistSettings } from '../../config/peer-assist.ts';

export interface BufferView {
  readonly bufferAheadS: number;
  /** Playing (or stalled while it wants to play); false when paused or not started. */
  readonly playing: boolean;
  /** The buffer reaches the end of the file: nothing more can come. */
  readonly toEnd: boolean;
}

export function nextEmergency(
  active: boolean,
  buffer: BufferView | null,
  policy: Pick<PeerAssistSettings, 'lowBufferS' | 'recoveredBufferS'>,
): boolean {
  if (!buffer || !buffer.playing || buffer.toEnd) return false;
  return buffer.bufferAheadS < (active ? policy.recoveredBufferS : policy.lowBufferS);
}
