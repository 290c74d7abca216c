/**
 * What the engine keeps of a torrent across reloads (PersistedTorrent), and what it may
 * trust of it when it comes back: the pieces its pack holds on disk, proven or hashed right
 * (the saved bitfield may lag what was written after it).
 */
import type { SeedCopy } from './file-backed-store.ts';
import { keptPaused } from '../policy/lifecycle.ts';
import { trustedOnDisk } from './disk-pieces.ts';
import { countPieces, hasPiece, withPieces } from '../policy/bitfield.ts';
import { magnetOf, summaryOf, summaryOfPieces, type RecordState } from '../snapshot.ts';
import { unfinishedCopyWarning } from './storage-notices.ts';
import type { PersistedTorrent } from '../types.ts';

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
    paused: keptPaused(record.life),
    addedAtMs: record.addedAtMs,
    // What a reload will find, not what the user's files (or the live torrent's memory) hold.
    summary: bitfield ? summaryOfPieces(record, (i) => hasPiece(bitfield, i)) : summaryOf(record),
  };
}

/**
 * The pieces a restored torrent may trust (what its pack holds and proves, or hashes right:
 * disk-pieces.ts), and what to tell the user about those missing (a shared torrent whose copy
 * had not finished).
 */
export async function restoredPieces(
  saved: PersistedTorrent,
): Promise<{ bitfield: Uint8Array | null; warning: string | null }> {
  if (!saved.torrentFile) return { bitfield: null, warning: null };
  const { pieces, pieceCount } = await trustedOnDisk(saved.infoHash, saved.torrentFile);
  const bitfield = withPieces(new Uint8Array(Math.ceil(pieceCount / 8)), pieces);
  const warning = saved.unfinishedCopy
    ? unfinishedCopyWarning(countPieces(bitfield), saved.unfinishedCopy.pieceCount)
    : null;
  return { bitfield, warning };
}
