/**
 * What the engine keeps of a torrent across reloads (PersistedTorrent), and what it may
 * trust of it when it comes back: only verified pieces whose file is still on disk (and
 * pieces written after the last save, once they hash right).
 */
import type { SeedCopy } from './file-backed-store.ts';
import { OpfsChunkStore } from './opfs-chunk-store.ts';
import { verifiedOnDisk } from './disk-pieces.ts';
import { countPieces, hasPiece, trustedBitfield, withPieces } from './policy/bitfield.ts';
import { magnetOf, summaryOf, summaryOfPieces, type RecordState } from './snapshot.ts';
import { unfinishedCopyWarning } from './storage-notices.ts';
import type { PersistedTorrent } from './types.ts';

export interface KeptRecord extends RecordState {
  readonly seedCopy: SeedCopy | null;
}

/** `live`: the pieces the live torrent has verified, if it is running. */
export function persistedOf(record: KeptRecord, live: Uint8Array | null): PersistedTorrent {
  // Pieces still only in the user's files are not kept: a reload would not find them
  // (unless the torrent is seeded in place, from the files' handles).
  const copy = !record.linked && record.seedCopy?.done === false ? record.seedCopy : null;
  const bitfield = copy ? copy.copied : live;
  return {
    infoHash: record.infoHash,
    name: record.wt?.name ?? record.name,
    magnetURI: magnetOf(record),
    torrentFile: typeof record.torrentId === 'string' ? null : record.torrentId,
    bitfield: copy ? copy.copied.slice() : (live ?? record.bitfield),
    ...(copy ? { unfinishedCopy: { pieceCount: copy.pieceCount } } : {}),
    ...(record.linked ? { linkedFiles: record.linked } : {}),
    paused: record.paused,
    addedAtMs: record.addedAtMs,
    // What a reload will find, not what the user's files (or the live torrent's memory) hold.
    summary: bitfield ? summaryOfPieces(record, (i) => hasPiece(bitfield, i)) : summaryOf(record),
  };
}

/**
 * The pieces a restored torrent may trust, and what to tell the user about those missing
 * (a shared torrent whose copy had not finished).
 */
export async function restoredPieces(
  saved: PersistedTorrent,
): Promise<{ bitfield: Uint8Array | null; warning: string | null }> {
  if (!saved.torrentFile || !saved.bitfield) return { bitfield: null, warning: null };
  const stored = await OpfsChunkStore.storedPieces(saved.infoHash);
  let bitfield = trustedBitfield(saved.bitfield, stored);
  // Written after the last save: trusted once they hash right (disk-pieces.ts).
  const savedBits = saved.bitfield;
  const unlisted = [...stored].filter((index) => !hasPiece(savedBits, index));
  if (unlisted.length > 0) {
    const found = await verifiedOnDisk(saved.infoHash, saved.torrentFile, unlisted);
    bitfield = withPieces(bitfield, found);
  }
  const warning = saved.unfinishedCopy
    ? unfinishedCopyWarning(countPieces(bitfield), saved.unfinishedCopy.pieceCount)
    : null;
  return { bitfield, warning };
}
