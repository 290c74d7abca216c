/**
 * A linear-time replacement for webtorrent's `RarityMap#getRarestPiece`, which also finishes
 * the pieces it has started before it starts others.
 *
 * Stock scans every piece of the torrent on each call and leaves out only what the caller's
 * filter excludes; that filter does not exclude pieces we already have. Its caller
 * (`Torrent#_updateWire`, run for every block received) loops "pick the rarest, try to
 * request it, mark it tried" until a request sticks, so each verified piece costs one more
 * full scan: the work per received block grows with the square of the pieces verified, and
 * a 23 MB stream of ~1,400 pieces kept the viewer's main thread busy for 30 s (measured with
 * `npm run bench -- --only stream --profile`). Here a piece webtorrent has verified (its
 * `pieces[i]` slot is null) is skipped before the filter runs.
 *
 * Strict priority (Cohen, "Incentives Build Robustness in BitTorrent", §2.3): once a block of
 * a piece has been asked for, the piece's other blocks are asked for before any block of a
 * piece not yet started. Stock picks anew at random among the equally rare pieces each time
 * a wire has room for one more request, so with a lone seeder (every piece equally rare) each
 * block received opened another piece: most of the torrent ended up half-downloaded at once,
 * its blocks held in memory until their pieces completed, and no piece was ready to be shared
 * with other leechers or played until late. The order is: pieces started with blocks left to
 * ask for, then pieces not started, then pieces whose every block is asked for already
 * (which only a hot-swap or the endgame can use); within each, rarest first.
 *
 * Equally rare pieces are ordered by a random rank drawn once per torrent: the first piece is
 * a random one, as BitTorrent wants, and each peer's order differs from every other's, so the
 * leechers of a lone seeder start on different pieces and have something to trade; one
 * draw, not one per piece per call (a draw per tie per received block was the most allocated
 * object of a 512 MiB download).
 *
 * The caller's loop asks again with the same filter each time a pick cannot be requested
 * (its blocks are all reserved already, as at the end of a download): one scan per try made
 * that loop quadratic, and with three viewers of a 1,443-piece video it took 60 % of a
 * viewer's main thread (38 % here, 22 % in the filter), so verified pieces waited for the
 * thread and playback froze. From the third call with a filter on, the pieces are put in
 * that order once and each call walks on from where the last stopped. The second call is a
 * scan: it is the common one (the piece being filled ran out of blocks with the pipeline not
 * yet full, so the next piece is wanted), and a scan costs less than sorting the torrent.
 */

/** The members of webtorrent's piece (torrent-piece) this reads; a piece without them is not started. */
export interface PieceLike {
  /** Blocks handed out so far, in order. */
  readonly _reservations?: number;
  /** Blocks in the piece. */
  readonly _chunks?: number;
  /** Blocks handed out and given back, to be handed out again (null until the piece is used). */
  readonly _cancellations?: readonly number[] | null;
}

/** The members of webtorrent's RarityMap (and its torrent) this reads. */
export interface RarityMapLike {
  readonly _numPieces: number;
  /** How many connected peers have each piece. */
  readonly _pieces: readonly number[];
  /** Its torrent's pieces: null once verified. */
  readonly _torrent: { readonly pieces: readonly (PieceLike | null | undefined)[] } | null;
}

type Filter = (index: number) => boolean;

/** Scans made with a filter before the order is sorted once and walked (see above). */
const SCANS_BEFORE_WALK = 2;
/** Scans made so far with each filter, and for those past the limit the order being walked. */
const scans = new WeakMap<Filter, number>();
const walks = new WeakMap<Filter, { readonly order: readonly number[]; at: number }>();
/** Each map's random rank of every piece: the order among equally rare pieces. */
const ranks = new WeakMap<RarityMapLike, Float64Array>();

/** Started with blocks left to ask for: 0; not started: 1; every block asked for: 2. */
export function stageOf(piece: PieceLike | null | undefined): number {
  const reserved = piece?._reservations ?? 0;
  if (reserved === 0) return 1;
  const blocks = piece?._chunks ?? Infinity;
  return reserved < blocks || (piece?._cancellations?.length ?? 0) > 0 ? 0 : 2;
}

function rankOf(map: RarityMapLike, random: () => number): Float64Array {
  let rank = ranks.get(map);
  if (!rank || rank.length !== map._numPieces) {
    rank = new Float64Array(map._numPieces);
    for (let i = 0; i < rank.length; i++) rank[i] = random();
    ranks.set(map, rank);
  }
  return rank;
}

/** The pieces not yet verified, in the order picks take them. */
function pickOrder(map: RarityMapLike, rank: Float64Array): number[] {
  const pieces = map._torrent?.pieces;
  const availability = map._pieces;
  const order: number[] = [];
  const stage: number[] = [];
  for (let i = 0; i < map._numPieces; i++) {
    const piece = pieces?.[i];
    if (pieces && piece === null) continue;
    order.push(i);
    stage[i] = stageOf(piece);
  }
  return order.sort(
    (a, b) =>
      (stage[a] ?? 1) - (stage[b] ?? 1) ||
      (availability[a] ?? 0) - (availability[b] ?? 0) ||
      (rank[a] ?? 0) - (rank[b] ?? 0),
  );
}

export function rarestPiece(
  this: RarityMapLike,
  filter?: Filter,
  random: () => number = Math.random,
): number {
  const rank = rankOf(this, random);
  if (filter) {
    let walk = walks.get(filter);
    const scanned = scans.get(filter) ?? 0;
    if (!walk && scanned >= SCANS_BEFORE_WALK) {
      walk = { order: pickOrder(this, rank), at: 0 };
      walks.set(filter, walk);
    }
    if (walk) {
      const pieces = this._torrent?.pieces;
      for (; walk.at < walk.order.length; walk.at++) {
        const piece = walk.order[walk.at] ?? -1;
        if (!(pieces && pieces[piece] === null) && filter(piece)) return piece;
      }
      return -1;
    }
    scans.set(filter, scanned + 1);
  }
  const pieces = this._torrent?.pieces;
  const availability = this._pieces;
  let chosen = -1;
  let bestStage = 3;
  let bestAvailability = Infinity;
  let bestRank = Infinity;
  for (let i = 0; i < this._numPieces; i++) {
    const piece = pieces?.[i];
    if (pieces && piece === null) continue; // verified: nothing left to request
    const stage = stageOf(piece);
    if (stage > bestStage) continue;
    if (filter && !filter(i)) continue;
    const a = availability[i] ?? 0;
    const r = rank[i] ?? 0;
    if (stage < bestStage || a < bestAvailability || (a === bestAvailability && r < bestRank)) {
      chosen = i;
      bestStage = stage;
      bestAvailability = a;
      bestRank = r;
    }
  }
  return chosen;
}

const PATCHED = Symbol('shoal.rarestPiece');

/**
 * Installs `rarestPiece` on the class of this torrent's rarity map (once; every torrent
 * shares the class). Call it once the torrent has its metadata (the map exists from then).
 */
export function useLinearRarestPiece(torrent: { readonly _rarityMap?: object | null }): void {
  const map = torrent._rarityMap;
  if (!map) return;
  const proto = Object.getPrototypeOf(map) as Record<PropertyKey, unknown>;
  if (proto[PATCHED] === true || typeof proto.getRarestPiece !== 'function') return;
  proto.getRarestPiece = function (this: RarityMapLike, filter?: (index: number) => boolean) {
    return rarestPiece.call(this, filter);
  };
  proto[PATCHED] = true;
}
