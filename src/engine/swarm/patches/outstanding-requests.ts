/**
 * Our block requests outstanding on a peer's wire (bittorrent-protocol keeps them oldest
 * first, and a peer answers them in that order): when a piece queued there will arrive, and
 * withdrawing the ones we no longer want from that peer. A withdrawn block goes back to
 * webtorrent's pool (bittorrent-protocol's `cancel` fails its callback), so another
 * connection may take it.
 */

export interface OutstandingRequest {
  readonly piece: number;
  readonly offset: number;
  readonly length: number;
}

export interface RequestingWire {
  readonly requests?: readonly OutstandingRequest[];
  cancel?(piece: number, offset: number, length: number): void;
}

/** webtorrent's (and BitTorrent's) block: what each request asks for. */
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

/** Withdraws, from every wire, our outstanding requests for the pieces `withdraw` names. */
export function withdrawRequests(
  wires: readonly RequestingWire[],
  withdraw: (piece: number) => boolean,
): void {
  for (const wire of wires) {
    for (const request of [...(wire.requests ?? [])]) {
      if (withdraw(request.piece)) wire.cancel?.(request.piece, request.offset, request.length);
    }
  }
}
