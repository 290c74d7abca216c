/**
 * What a peer may send before it is cut off, and how a piece that failed its hash check names
 * the peer that lied. Pure: the swarm (swarm/patches/hash-bans.ts, wire-guard.ts) feeds it
 * what arrived and acts on the verdicts.
 *
 * A WebRTC data channel is carried by SCTP (CRC32c) inside DTLS (a MAC per record), so a block
 * cannot be damaged in transit: bytes that differ from the verified piece were sent wrong.
 * That is proof, and the first proof cuts the peer off (libtorrent's smart ban does the same).
 */

/** One block of a failed attempt at a piece, and who sent it. */
export interface BlockOrigin<P> {
  readonly offset: number;
  readonly bytes: Uint8Array;
  readonly from: P;
}

/**
 * The senders an attempt that failed its hash check proves wrong, before the piece is known:
 * the sole sender of every block (only it can have lied). Several senders: none yet (see
 * `provenByVerified`).
 */
export function provenBySoleSender<P>(failed: readonly BlockOrigin<P>[]): P[] {
  const first = failed[0];
  if (!first) return [];
  return failed.every((block) => block.from === first.from) ? [first.from] : [];
}

/** The senders whose blocks of a failed attempt differ from the piece as it verified. */
export function provenByVerified<P>(failed: readonly BlockOrigin<P>[], verified: Uint8Array): P[] {
  const wrong: P[] = [];
  for (const block of failed) {
    if (wrong.includes(block.from)) continue;
    const good = verified.subarray(block.offset, block.offset + block.bytes.length);
    if (!sameBytes(good, block.bytes)) wrong.push(block.from);
  }
  return wrong;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export interface WireLimits {
  readonly maxMessageBytes: number;
  readonly maxBlockBytes: number;
  readonly maxQueuedRequests: number;
  readonly maxUnrequestedBytes: number;
}

/**
 * Limits on one connection's messages. Each is far beyond what an honest BitTorrent peer
 * sends, so only a broken or hostile one meets it.
 */
export const WIRE_LIMITS: WireLimits = {
  /**
   * A message's length as announced (before its bytes are buffered): a 128 KiB block, or the
   * bitfield of an 8-million-piece torrent, fit well within it.
   */
  maxMessageBytes: 1024 * 1024 + 13,
  /** A requested block: 16 KiB is the norm, 128 KiB the most any client asks for. */
  maxBlockBytes: 128 * 1024,
  /**
   * Requests waiting for our answer, or sent while we choke it: stock webtorrent keeps
   * one second of its measured rate outstanding (2,048 blocks at 32 MiB/s).
   */
  maxQueuedRequests: 4096,
  /** Piece data nobody asked for (late blocks after a cancel are honest, a stream is not). */
  maxUnrequestedBytes: 4 * 1024 * 1024,
};

/** Why a connection is cut off, in words for the user. */
export type CutOffReason =
  | 'sent data that failed the hash check'
  | 'flooded us with requests'
  | 'sent data we never asked for'
  | 'sent a malformed message';

/** A request judged as it arrives: null if it may be answered (or ignored, if choked). */
export function judgeRequest(
  request: { readonly index: number; readonly offset: number; readonly length: number },
  torrent: { readonly pieceCount: number; pieceBytes(index: number): number } | null,
  queued: number,
  limits: WireLimits = WIRE_LIMITS,
): CutOffReason | null {
  const { index, offset, length } = request;
  if (length === 0 || length > limits.maxBlockBytes) return 'sent a malformed message';
  if (torrent) {
    if (index >= torrent.pieceCount) return 'sent a malformed message';
    if (offset + length > torrent.pieceBytes(index)) return 'sent a malformed message';
  }
  return queued > limits.maxQueuedRequests ? 'flooded us with requests' : null;
}
