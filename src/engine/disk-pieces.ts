/**
 * Pieces a reload finds on disk that the last saved state did not list yet.
 *
 * What a torrent has is saved at most every half second (store/persistence.ts), and a piece
 * counts as kept only once it is written, so a reload in the middle of a download found
 * pieces on disk that the saved bitfield did not have yet, and fetched them again (seen
 * here: 3 of the 5.5 MB a 16 MiB download had verified). A piece is written only after
 * webtorrent has verified it, but a file on disk is not trusted blindly: each such piece is
 * read back and checked against the torrent's SHA-1 before it counts.
 */
import parseTorrent from 'parse-torrent';
import { OpfsChunkStore } from './opfs-chunk-store.ts';

const hex = (bytes: ArrayBuffer): string =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

/** Of `candidates`, the pieces whose stored bytes hash to the torrent's SHA-1 for them. */
export async function verifiedOnDisk(
  infoHash: string,
  torrentFile: Uint8Array,
  candidates: Iterable<number>,
): Promise<Set<number>> {
  const parsed = (await parseTorrent(torrentFile)) as { pieces?: readonly string[] };
  const hashes = parsed.pieces ?? [];
  const verified = new Set<number>();
  for (const index of candidates) {
    const expected = hashes[index];
    if (expected === undefined) continue;
    const bytes = await OpfsChunkStore.readStored(infoHash, index).catch(() => null);
    if (!bytes) continue;
    if (hex(await crypto.subtle.digest('SHA-1', bytes)) === expected) verified.add(index);
  }
  return verified;
}
