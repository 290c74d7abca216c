/**
 * When a piece queued on a peer will arrive: a peer answers our block requests in the order
 * they were sent (oldest first).
 */

/** BitTorrent's block: what each request asks for. */
const BLOCK_BYTES = 16 * 1024;

/** Piece → index of its last block in a queue of block requests (oldest first). */
export function lastBlockPositions(
  requests: readonly { readonly piece: number }[],
): Map<number, number> {
  const last = new Map<number, number>();
  requests.forEach((request, index) => last.set(request.piece, index));
  return last;
}

/**
 * Bytes a peer sends before the last block of `piece` it was asked for, given where each
 * piece's last block is in its queue (`lastBlockAt`): a piece queued behind a full pipeline
 * arrives after all of it. Counting only the piece's own length called every queued piece
 * "in time", and the web seed stayed idle while a viewer's playhead waited behind seconds of
 * other blocks.
 */
export function bytesUntilDelivered(
  lastBlockAt: ReadonlyMap<number, number>,
  piece: number,
  pieceLengthBytes: number,
): number {
  const at = lastBlockAt.get(piece);
  return at === undefined ? pieceLengthBytes : (at + 1) * BLOCK_BYTES;
}
