/**
 * A torrent takes its metadata once, from whichever source delivers it first.
 *
 * webtorrent's `_onMetadata` checks `this.metadata` before it awaits the parse, and sets it
 * after: two deliveries within those few milliseconds would both build the torrent (two
 * stores, two rarity maps). With a second source (the info dictionary a neighbour sends with
 * its `wire` message, beside ut_metadata over the new wire) that can happen, so a delivery
 * while one is being taken in is dropped.
 */

/** The members of a webtorrent torrent this wraps. */
export interface MetadataTorrent {
  readonly metadata: Uint8Array | null;
  _onMetadata(metadata: unknown): unknown;
}

const wrapped = new WeakSet<MetadataTorrent>();

/** Makes `wt._onMetadata` take only the first delivery (idempotent). */
export function takeMetadataOnce(wt: MetadataTorrent): void {
  if (wrapped.has(wt)) return;
  wrapped.add(wt);
  const original = wt._onMetadata.bind(wt);
  let taking: Promise<unknown> | null = null;
  wt._onMetadata = (metadata: unknown): unknown => {
    if (taking || wt.metadata) return taking ?? undefined;
    taking = Promise.resolve(original(metadata));
    return taking;
  };
}
