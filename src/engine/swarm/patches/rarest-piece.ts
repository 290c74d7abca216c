/**
 * A linear-time replacement for webtorrent's `RarityMap#getRarestPiece`.
 *
 * Stock scans every piece of the torrent on each call and leaves out only what the caller's
 * filter excludes; that filter does not exclude pieces we already have. Its caller
 * (`Torrent#_updateWire`, run for every block received) loops "pick the rarest, try to
 * request it, mark it tried" until a request sticks, so each verified piece costs one more
 * full scan: the work per received block grows with the square of the pieces verified, and
 * a 23 MB stream of ~1,400 pieces kept the viewer's main thread busy for 30 s (measured with
 * `npm run bench -- --only stream --profile`). Here a piece webtorrent has verified (its
 * `pieces[i]` slot is null) is skipped before the filter runs, ties are broken uniformly at
 * random without building a candidate array, and the result is otherwise the same.
 *
 * The caller's loop asks again with the same filter each time a pick cannot be requested
 * (its blocks are all reserved already, as at the end of a download): one scan per try made
 * that loop quadratic, and with three viewers of a 1,443-piece video it took 60 % of a
 * viewer's main thread (38 % here, 22 % in the filter), so verified pieces waited for the
 * thread and playback froze. From the second call with a filter on, the pieces are put in
 * rarest-first order once (ties shuffled) and each call walks on from where the last stopped.
 */

/** The members of webtorrent's RarityMap (and its torrent) this reads. */
export interface RarityMapLike {
  readonly _numPieces: number;
  /** How many connected peers have each piece. */
  readonly _pieces: readonly number[];
  readonly _torrent: { readonly pieces: readonly unknown[] } | null;
}

type Filter = (index: number) => boolean;

/** Filters seen once, and for those seen again the rarest-first order being walked. */
const seenOnce = new WeakSet<Filter>();
const walks = new WeakMap<Filter, { readonly order: readonly number[]; at: number }>();

/** The pieces not yet verified, rarest first, equally rare ones in random order. */
function rarestFirstOrder(map: RarityMapLike, random: () => number): number[] {
  const pieces = map._torrent?.pieces;
  const order: number[] = [];
  for (let i = 0; i < map._numPieces; i++) if (!(pieces && pieces[i] === null)) order.push(i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = swap;
  }
  const availability = map._pieces;
  // Array#sort is stable: the shuffle decides among equals.
  return order.sort((a, b) => (availability[a] ?? 0) - (availability[b] ?? 0));
}

export function rarestPiece(
  this: RarityMapLike,
  filter?: Filter,
  random: () => number = Math.random,
): number {
  if (filter) {
    let walk = walks.get(filter);
    if (!walk && seenOnce.has(filter)) {
      walk = { order: rarestFirstOrder(this, random), at: 0 };
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
    seenOnce.add(filter);
  }
  const pieces = this._torrent?.pieces;
  const availability = this._pieces;
  let min = Infinity;
  let ties = 0;
  let chosen = -1;
  for (let i = 0; i < this._numPieces; i++) {
    if (pieces && pieces[i] === null) continue; // verified: nothing left to request
    if (filter && !filter(i)) continue;
    const a = availability[i] ?? 0;
    if (a < min) {
      min = a;
      ties = 1;
      chosen = i;
    } else if (a === min) {
      // Reservoir sampling: each of the `ties` equally rare pieces ends up chosen with 1/ties.
      ties += 1;
      if (random() * ties < 1) chosen = i;
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
