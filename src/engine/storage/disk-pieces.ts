/**
 * The pieces a reload may trust of what its pack holds: the proven ones as they are, and the
 * unproven ones (written in the last moments before the page went, torn by a crash, or moved
 * from the old one-file-per-piece layout) only once they hash to the torrent's SHA-1. Those
 * that do are proven in the pack, those that do not are forgotten, so the next reload does
 * not hash them again.
 */
import parseTorrent from 'parse-torrent';
import { sha1Hex } from '../bytes.ts';
import { storeRegistry } from './store-registry.ts';

interface Layout {
  readonly hashes: readonly string[];
  readonly pieceLength: number;
  readonly lastPieceLength: number;
}

async function layoutOf(torrentFile: Uint8Array): Promise<Layout> {
  const parsed = (await parseTorrent(torrentFile)) as {
    pieces?: readonly string[];
    pieceLength?: number;
    lastPieceLength?: number;
  };
  return {
    hashes: parsed.pieces ?? [],
    pieceLength: parsed.pieceLength ?? 0,
    lastPieceLength: parsed.lastPieceLength ?? 0,
  };
}

/** Of `candidates`, the pieces whose stored bytes hash to the torrent's SHA-1 for them. */
async function verifiedOnDisk(
  infoHash: string,
  { hashes, pieceLength, lastPieceLength }: Layout,
  candidates: Iterable<number>,
): Promise<Set<number>> {
  const verified = new Set<number>();
  for (const index of candidates) {
    const expected = hashes[index];
    if (expected === undefined) continue;
    const bytes = await storeRegistry.readStored(infoHash, index);
    const length = index === hashes.length - 1 ? lastPieceLength : pieceLength;
    if (bytes?.byteLength !== length) continue;
    if ((await sha1Hex(bytes)) === expected) verified.add(index);
  }
  return verified;
}

/**
 * The pieces of a torrent a reload may trust: those its pack proves, and those it holds
 * unproven that hash right (settled in the pack either way); and the torrent's piece count.
 */
export async function trustedOnDisk(
  infoHash: string,
  torrentFile: Uint8Array,
): Promise<{ pieces: number[]; pieceCount: number }> {
  const layout = await layoutOf(torrentFile);
  const pieceCount = layout.hashes.length;
  const { held, unproven } = await storeRegistry.stored(infoHash);
  const toCheck = new Set(unproven);
  const good =
    toCheck.size > 0 ? await verifiedOnDisk(infoHash, layout, toCheck) : new Set<number>();
  if (toCheck.size > 0) {
    const bad = [...toCheck].filter((i) => !good.has(i));
    await storeRegistry.settle(infoHash, [...good], bad);
  }
  return {
    pieces: held.filter((i) => i < pieceCount && (!toCheck.has(i) || good.has(i))),
    pieceCount,
  };
}
