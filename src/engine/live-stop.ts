/**
 * Stopping a record's live torrent and keeping what it has: the torrent is taken off its
 * record, removed from the swarm, and what it verified counts as kept once its store has
 * written it.
 */
import { liveBitfield, verifiedBitfield } from './live-torrent.ts';
import { storeRegistry } from './storage/store-registry.ts';
import { hasPiece, withoutPieces } from './policy/bitfield.ts';
import { summaryOfPieces } from './snapshot.ts';
import type { TorrentRecord } from './torrent-watch.ts';
import type { SwarmTorrent } from './swarm/port.ts';

/** The swarm's client, as far as removing a torrent goes. */
export interface RemovingClient {
  /** Removes it and waits until its store is closed (or deleted: `deleteData`). */
  remove(wt: SwarmTorrent, deleteData: boolean): Promise<void>;
}

/**
 * Takes the live torrent off a record, keeping what it has verified and how far it got,
 * to show while it is stopped and to start again from. Pieces still being written behind are
 * not counted: `removeAndKeep` counts them once they are on disk.
 */
export function detachLive(record: TorrentRecord): SwarmTorrent | null {
  const wt = record.wt;
  const verified = liveBitfield(wt);
  if (verified) {
    record.bitfield = verified;
    // What is kept, not what the live torrent held in memory (pieces not yet written when
    // a write failed for space are fetched again).
    record.summary = summaryOfPieces(record, (i) => hasPiece(verified, i));
  }
  record.wt = null;
  record.control = null;
  return wt;
}

/**
 * Removes a detached torrent from the swarm, its data kept, and counts as kept what it had
 * verified: its store's close waited for the pieces still being written behind (detach
 * counted those as missing), so all are on disk now but any whose write failed.
 * `current` says whether the record still stands for this torrent once that is done.
 */
export async function removeAndKeep(
  client: RemovingClient,
  record: TorrentRecord,
  wt: SwarmTorrent,
  current: () => boolean,
): Promise<void> {
  const verified = verifiedBitfield(wt);
  // Read off the torrent's layout while it is live: the summary should every write land.
  const summary = verified
    ? summaryOfPieces({ ...record, wt }, (i) => hasPiece(verified, i))
    : null;
  await client.remove(wt, false);
  if (!verified || record.wt || !current()) return;
  const unwritten = storeRegistry.unwritten(record.infoHash);
  record.bitfield = withoutPieces(verified, unwritten);
  // A failed write keeps detach's count, which left out every piece then unwritten.
  if (unwritten.size === 0) record.summary = summary;
}
