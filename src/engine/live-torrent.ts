/** Small readings of a live torrent, typed by the few members of the port they use. */
import { storeRegistry } from './storage/store-registry.ts';
import { bitfieldBytes, withoutPieces } from './policy/bitfield.ts';
import { EngineError } from './types.ts';

interface Live {
  readonly infoHash: string;
  readonly ready: boolean;
  readonly pieces: { readonly length: number };
  readonly bitfield?: { readonly buffer: Uint8Array } | null;
  once(event: 'ready' | 'close', cb: () => void): unknown;
}

/**
 * A copy of the pieces a live torrent has verified and its store has on disk (a piece
 * written behind is not kept until it is), sized as webtorrent expects it back.
 */
export function liveBitfield(wt: Live | null): Uint8Array | null {
  const verified = verifiedBitfield(wt);
  return verified && wt ? withoutPieces(verified, storeRegistry.unwritten(wt.infoHash)) : null;
}

/** A copy of the pieces a live torrent has verified, written to disk or not yet. */
export function verifiedBitfield(wt: Live | null): Uint8Array | null {
  return wt?.ready && wt.bitfield
    ? wt.bitfield.buffer.slice(0, bitfieldBytes(wt.pieces.length))
    : null;
}

/** Resolves once a live torrent has its metadata and store; rejects if it goes first. */
export function whenReady(wt: Live): Promise<void> {
  if (wt.ready) return Promise.resolve();
  return new Promise((resolve, reject) => {
    wt.once('ready', () => {
      resolve();
    });
    wt.once('close', () => {
      reject(new EngineError('That torrent was removed.'));
    });
  });
}
