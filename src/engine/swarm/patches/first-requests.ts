/**
 * A new peer's first requests, while a file is streamed, go to the pieces the stream needs
 * and fill the peer's pipeline.
 *
 * webtorrent asks a peer that has sent nothing yet (`wire.downloaded === 0`) for one block
 * only, to see that it answers, and with the sequential strategy a stream sets, that block is
 * the last piece of the last selection: the end of the file. Only when it arrives are the
 * stream's pieces asked for. For a viewer whose only peers are new (every play of a magnet),
 * that is a full round trip to the seeder, plus its read of a piece nobody wants, before the
 * first useful request: 35–45 ms of the start in `npm run bench -- --only stream` traces
 * (request for piece 1,442 of 1,443 at +258 ms, the stream's first requests at +293 ms).
 *
 * Here, when such a peer is unchoked and some piece is critical (a stream is waiting for it),
 * the peer is asked at once for the critical pieces it has, then for the stream selections'
 * next pieces (highest priority first, in order), as many blocks as webtorrent would keep
 * outstanding for a peer it knows. A peer that never answers costs what it costs any peer:
 * webtorrent's request timeout gives the blocks to others.
 */

/** The members of a webtorrent wire this reads. */
export interface FirstRequestWire {
  readonly destroyed?: boolean;
  readonly downloaded: number;
  readonly peerChoking: boolean;
  readonly requests: { readonly length: number };
  readonly peerPieces: { get(index: number): boolean };
  readonly type?: string;
  downloadSpeed(delta?: number): number;
  readonly peerExtendedHandshake?: { readonly reqq?: unknown } | null;
}

interface Selection {
  readonly from: number;
  readonly to: number;
  readonly offset: number;
  readonly priority: number;
}

/** The members of a webtorrent torrent this reads and wraps. */
export interface FirstRequestTorrent<W extends FirstRequestWire> {
  readonly _critical: readonly (boolean | undefined)[];
  readonly _selections: { readonly length: number; get(i: number): Selection };
  readonly bitfield?: { get(index: number): boolean };
  _request(wire: W, index: number, hotswap: boolean): boolean;
  _updateWire(wire: W): unknown;
}

const BLOCK_BYTES = 16 * 1024;
/** webtorrent's PIPELINE_MAX_DURATION: seconds of the peer's rate kept outstanding. */
const PIPELINE_MAX_S = 1;

/** Blocks webtorrent keeps outstanding at most for a peer (its getBlockPipelineLength). */
export function pipelineLength(wire: FirstRequestWire): number {
  const length = 2 + Math.ceil((PIPELINE_MAX_S * wire.downloadSpeed()) / BLOCK_BYTES);
  const reqq = wire.peerExtendedHandshake?.reqq;
  return typeof reqq === 'number' && reqq > 0 ? Math.min(length, reqq) : length;
}

/**
 * The pieces to ask a new peer for, in order: the critical ones, then each prioritised
 * selection's next pieces (highest priority first); only pieces still missing that the peer
 * has, each once. Empty when nothing is critical (no stream is waiting).
 */
export function firstRequestOrder(
  critical: readonly (boolean | undefined)[],
  selections: readonly Selection[],
  missing: (index: number) => boolean,
  peerHas: (index: number) => boolean,
  limit: number,
): number[] {
  const order: number[] = [];
  const seen = new Set<number>();
  const add = (index: number): boolean => {
    if (seen.has(index) || !missing(index) || !peerHas(index)) return order.length < limit;
    seen.add(index);
    order.push(index);
    return order.length < limit;
  };
  let anyCritical = false;
  for (let i = 0; i < critical.length; i++) {
    if (!critical[i]) continue;
    anyCritical = true;
    if (!add(i)) return order;
  }
  if (!anyCritical) return [];
  const prioritised = selections
    .filter((s) => s.priority > 0)
    .sort((a, b) => b.priority - a.priority);
  for (const s of prioritised)
    for (let i = s.from + s.offset; i <= s.to; i++) if (!add(i)) return order;
  return order;
}

const wrapped = new WeakSet<object>();

/** Wraps the torrent's `_updateWire` (once) so that new peers start on the stream's pieces. */
export function streamFirstRequests<W extends FirstRequestWire>(wt: FirstRequestTorrent<W>): void {
  if (wrapped.has(wt)) return;
  wrapped.add(wt);
  const updateWire = wt._updateWire.bind(wt);
  wt._updateWire = (wire: W) => {
    if (
      !wire.destroyed &&
      wire.downloaded === 0 &&
      !wire.peerChoking &&
      wire.requests.length === 0 &&
      wire.type !== 'webSeed'
    ) {
      const selections = Array.from({ length: wt._selections.length }, (_, i) =>
        wt._selections.get(i),
      );
      const max = pipelineLength(wire);
      const pieces = firstRequestOrder(
        wt._critical,
        selections,
        (i) => wt.bitfield?.get(i) !== true,
        (i) => wire.peerPieces.get(i),
        max,
      );
      for (const index of pieces) {
        // Every block of the piece that is not reserved yet, while the pipeline has room.
        while (
          wire.requests.length < max &&
          wt._request(wire, index, wt._critical[index] === true)
        );
        if (wire.requests.length >= max) break;
      }
    }
    return updateWire(wire);
  };
}
