/**
 * Connections we ask for nothing (snubbed, policy/snub.ts), and what the snub rule did.
 *
 * webtorrent asks a connection for blocks in `_updateWire` (its request round, per
 * connection) through `_request` (one block). A held connection is skipped by the first and
 * refused by the second, so nothing asks it: not the round, not first-requests.ts, not a
 * hotswap. Skipping the round matters for cost too: a round that found every `_request`
 * refused would try every piece of every selection, on every block that arrives.
 * Requests already outstanding are withdrawn by the caller (outstanding-requests.ts).
 */

export interface HoldingTorrent<W extends object> {
  _request(wire: W, index: number, hotswap: boolean): boolean;
  _updateWire(wire: W): unknown;
}

export class RequestHolds {
  private readonly held = new WeakSet<object>();
  /** Times a connection was snubbed (its requests withdrawn and held). */
  snubbed = 0;
  /** Connections dropped for never delivering a block while snubbed. */
  dropped = 0;

  isHeld(wire: object): boolean {
    return this.held.has(wire);
  }

  /** Holds (true) or frees (false) the connection; a new hold is counted. */
  hold(wire: object, held: boolean): void {
    if (!held) {
      this.held.delete(wire);
      return;
    }
    if (this.held.has(wire)) return;
    this.held.add(wire);
    this.snubbed++;
  }
}

const books = new WeakMap<object, RequestHolds>();

/** The torrent's holds (none until a connection is snubbed). */
export function holdsOf(wt: object): RequestHolds {
  let holds = books.get(wt);
  if (!holds) {
    holds = new RequestHolds();
    books.set(wt, holds);
  }
  return holds;
}

const patched = new WeakSet<object>();

/** Makes the torrent ask held connections for nothing (idempotent). */
export function holdRequests<W extends object>(wt: HoldingTorrent<W>, holds: RequestHolds): void {
  if (patched.has(wt)) return;
  patched.add(wt);
  const request = wt._request.bind(wt);
  const updateWire = wt._updateWire.bind(wt);
  wt._request = (wire, index, hotswap) => !holds.isHeld(wire) && request(wire, index, hotswap);
  wt._updateWire = (wire) => (holds.isHeld(wire) ? false : updateWire(wire));
}
