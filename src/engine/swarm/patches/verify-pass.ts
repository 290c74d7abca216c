/**
 * Inside webtorrent's 'metadata' event, for a torrent added without a startup bitfield whose
 * store is known to be empty: its bitfield is still all zero, and saying it was given one
 * makes the verification that follows check only the pieces set in it (none), instead of
 * asking the store for every piece (two at a time) before 'ready'. Stock's own startup
 * bitfield path, taken late.
 */
export function skipVerifyPass(wt: object): void {
  const torrent = wt as { _hasStartupBitfield?: boolean; bitfield?: { buffer: Uint8Array } };
  if (torrent.bitfield?.buffer.every((byte) => byte === 0)) torrent._hasStartupBitfield = true;
}
