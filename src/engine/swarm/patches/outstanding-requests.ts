/**
 * Withdrawing our block requests outstanding on a peer's wire that we no longer want from
 * that peer. A withdrawn block goes back to webtorrent's pool (bittorrent-protocol's
 * `cancel` fails its callback), so another connection may take it.
 */

import type { QueuedBlock } from '../port.ts';

export interface RequestingWire {
  readonly requests?: readonly QueuedBlock[];
  cancel?(piece: number, offset: number, length: number): void;
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
