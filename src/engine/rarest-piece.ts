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
 */

/** The members of webtorrent's RarityMap (and its torrent) this reads. */
export interface RarityMapLike {
  readonly _numPieces: number;
  /** How many connected peers have each piece. */
  readonly _pieces: readonly number[];
  readonly _torrent: { readonly pieces: readonly unknown[] } | null;
}

export function rarestPiece(
  this: RarityMapLike,
  filter?: (index: number) => boolean,
  random: () => number = Math.random,
): number {
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
