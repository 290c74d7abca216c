/**
 * Applies the greedy scheduler's decision (policy/request-queue.ts) to webtorrent's requests.
 *
 * What webtorrent 3.0.21 does by itself, and why it is not enough: `_hotswap` takes a block
 * reserved by a slower connection only when that connection's `downloadSpeed()` is below
 * 48 KiB/s (`SPEED_THRESHOLD`) and half the taker's, and it frees the reservation without
 * sending `cancel` (the slow peer still sends the block). Its `speedRanker` skips pieces for
 * a wire only under the same threshold. Our pipeline floor (request-pipeline.ts) reports at
 * least 512 KiB/s for every peer, so neither ever fires here; and a peer that stops answering
 * keeps its requests until bittorrent-protocol's 30 s timeout, which each block it still
 * delivers restarts. A peer that turns slow mid-stream therefore held the playhead's pieces.
 *
 * Two standard moves only (stock peers see nothing but `cancel` and `request` messages):
 * - keep off: `_request` refuses the pieces the decision keeps a wire off, so webtorrent's
 *   own request round (sequential or rarest, as it is) gives those blocks to other wires;
 * - move: our request for a block is cancelled on the slow wire (bittorrent-protocol sends
 *   `cancel` and fails its callback, so webtorrent frees the block) and the block is asked of
 *   the faster wire at once, if its pipeline has room (else at its next request round).
 */
import type { QueuedBlock } from '../port.ts';

/** The members of a webtorrent wire this cancels on. */
export interface CancellingWire {
  readonly destroyed?: boolean;
  readonly requests: readonly QueuedBlock[];
  cancel(piece: number, offset: number, length: number): void;
}

/** The members of a webtorrent torrent this wraps and calls. */
export interface GatedTorrent<W> {
  _request(wire: W, index: number, hotswap: boolean): boolean;
}

/** A decision in webtorrent's terms: wires rather than peer ids. */
export interface WireSteering<W> {
  readonly keepOff: ReadonlyMap<W, ReadonlySet<number>>;
  readonly moves: readonly { readonly from: W; readonly to: W; readonly block: QueuedBlock }[];
}

const gates = new WeakMap<object, { keepOff: ReadonlyMap<unknown, ReadonlySet<number>> }>();

/** Wraps the torrent's `_request` (once) so that it asks no wire for a piece it is kept off. */
export function gateRequests<W extends object>(wt: GatedTorrent<W>): void {
  if (gates.has(wt)) return;
  const gate = {
    keepOff: new Map<unknown, ReadonlySet<number>>() as ReadonlyMap<unknown, ReadonlySet<number>>,
  };
  gates.set(wt, gate);
  const request = wt._request.bind(wt);
  wt._request = (wire: W, index: number, hotswap: boolean): boolean =>
    gate.keepOff.get(wire)?.has(index) === true ? false : request(wire, index, hotswap);
}

/** Applies one round's decision: the wires kept off, then the moves. */
export function steerWires<W extends CancellingWire>(
  wt: GatedTorrent<W>,
  steering: WireSteering<W>,
): void {
  const gate = gates.get(wt);
  if (gate) gate.keepOff = steering.keepOff;
  for (const { from, to, block } of steering.moves) {
    if (from.destroyed === true || to.destroyed === true) continue;
    const queued = from.requests.some(
      (r) => r.piece === block.piece && r.offset === block.offset && r.length === block.length,
    );
    // Answered (or withdrawn) since the decision: nothing to move.
    if (!queued) continue;
    from.cancel(block.piece, block.offset, block.length);
    wt._request(to, block.piece, false);
  }
}
