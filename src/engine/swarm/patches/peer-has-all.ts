/**
 * Whether a peer has every piece (a seeder, which never needs an upload from us).
 *
 * webtorrent's own `wire.isSeeder` cannot be trusted for this: it is set to true when a
 * wire connects before the peer's bitfield has arrived (an empty bitfield passes its check),
 * and a partial bitfield arriving later returns from the check without setting it back. A
 * peer that reconnects with some of the pieces (a reload, a resume) so stayed a "seeder" and
 * our choking never unchoked it: its download stalled for good.
 */
export interface PeerPieces {
  get(index: number): boolean;
  /** The bitfield's bytes (bittorrent-protocol's have-all bitfield has none). */
  readonly buffer?: Uint8Array;
}

export function peerHasAll(pieces: PeerPieces, pieceCount: number): boolean {
  if (pieceCount <= 0) return false;
  const buffer = pieces.buffer;
  let from = 0;
  if (buffer && buffer.length >= Math.ceil(pieceCount / 8)) {
    // Whole bytes at once; the bits of the last, partial byte one by one.
    const fullBytes = Math.floor(pieceCount / 8);
    for (let i = 0; i < fullBytes; i++) if (buffer[i] !== 0xff) return false;
    from = fullBytes * 8;
  }
  for (let i = from; i < pieceCount; i++) if (!pieces.get(i)) return false;
  return true;
}
