/**
 * Seeding the user's files without copying them first: read the picked files once, hash
 * their pieces with WebCrypto (many in flight), and build the .torrent from those hashes.
 * The magnet exists as soon as the last piece is hashed; the copy into OPFS comes after,
 * in the background (file-backed-store.ts).
 */
import parseTorrent, { toTorrentFile } from 'parse-torrent';
import { planSeedLayout, pieceLengthAt, type SeedLayout } from '../policy/seed-layout.ts';
import { EngineError } from '../types.ts';
import { readTorrentBytes, type TorrentFiles } from './torrent-bytes.ts';

/** The picked files, in the torrent's order, beside the layout made of them. */
export interface SeedFiles {
  readonly layout: SeedLayout;
  readonly blobs: readonly Blob[];
}

/** The picked files as the pack worker is sent them. */
export function torrentFilesOf({ layout, blobs }: SeedFiles): TorrentFiles {
  return {
    spans: layout.files.map(({ offsetBytes, lengthBytes }) => ({ offsetBytes, lengthBytes })),
    blobs,
  };
}

export interface PreparedSeed extends SeedFiles {
  readonly infoHash: string;
  readonly torrentFile: Uint8Array;
}

/** Where a picked file sits in a folder the user picked or dropped, else its name. */
function pickedPath(file: File): string {
  const fullPath = (file as File & { fullPath?: unknown }).fullPath;
  if (typeof fullPath === 'string' && fullPath !== '') return fullPath;
  return file.webkitRelativePath || file.name;
}

/** The files to share, laid out as a torrent named `name` (several files only: seed-layout.ts). */
export function seedFilesOf(files: readonly File[], name?: string): SeedFiles {
  if (files.length === 0) throw new EngineError('Choose at least one file to share.');
  const layout = planSeedLayout(
    files.map((f) => ({ path: pickedPath(f), lengthBytes: f.size })),
    name,
  );
  if (layout === null) throw new EngineError('Nothing to share: the files you chose are empty.');
  return { layout, blobs: files };
}

/** Bytes read from the files at once while hashing: many pieces per read. */
const READ_BYTES = 32 * 1024 * 1024;
/** Reads being made or hashed at once: with READ_BYTES, what bounds the memory it takes. */
const READS_IN_FLIGHT = 2;

/**
 * The SHA-1 of every piece, 20 bytes each, in order. The files are read in large slices,
 * several at once, and every piece of a slice is handed to WebCrypto at once: each read
 * and each digest is a hop to another thread, and on a busy machine the hops, not the
 * bytes, are what costs (a stream's chunks, or a piece at a time, were 2–5× slower on a loaded 2-core machine).
 */
export async function hashPieces(
  files: SeedFiles,
  {
    readBytes = READ_BYTES,
    readsInFlight = READS_IN_FLIGHT,
    pieces = { first: 0, end: files.layout.pieceCount },
  }: {
    readBytes?: number;
    readsInFlight?: number;
    /** Only these pieces, `[first, end)`; the other hashes are left zero. */
    pieces?: { first: number; end: number };
  } = {},
): Promise<Uint8Array> {
  const { layout } = files;
  const pieceBytes = layout.pieceLengthBytes;
  const perRead = Math.max(1, Math.floor(readBytes / pieceBytes));
  const hashes = new Uint8Array(layout.pieceCount * 20);
  const source = torrentFilesOf(files);
  const hashRead = async (first: number): Promise<void> => {
    const last = Math.min(pieces.end, first + perRead);
    const start = first * pieceBytes;
    const bytes = await readTorrentBytes(
      source,
      start,
      Math.min(layout.lengthBytes, last * pieceBytes),
    );
    const digests: Promise<void>[] = [];
    for (let index = first; index < last; index++) {
      const at = index * pieceBytes - start;
      const piece = bytes.subarray(at, at + pieceLengthAt(layout, index));
      digests.push(
        crypto.subtle.digest('SHA-1', piece).then((digest) => {
          hashes.set(new Uint8Array(digest), index * 20);
        }),
      );
    }
    await Promise.all(digests);
  };
  let next = pieces.first;
  const worker = async (): Promise<void> => {
    while (next < pieces.end) {
      const first = next;
      next += perRead;
      await hashRead(first);
    }
  };
  await Promise.all(Array.from({ length: readsInFlight }, worker));
  return hashes;
}

/** The .torrent of a layout whose pieces are hashed, encoded by parse-torrent (bencode). */
export async function torrentFileOf(
  layout: SeedLayout,
  pieceHashes: Uint8Array,
  announce: readonly string[],
): Promise<{ infoHash: string; torrentFile: Uint8Array }> {
  const encoder = new TextEncoder();
  const info: Record<string, unknown> = {
    name: encoder.encode(layout.name),
    'piece length': layout.pieceLengthBytes,
    pieces: pieceHashes,
  };
  if (layout.singleFile) info.length = layout.lengthBytes;
  else
    info.files = layout.files.map((f) => ({
      length: f.lengthBytes,
      path: f.pathParts.map((part) => encoder.encode(part)),
    }));
  const torrentFile = toTorrentFile({
    info,
    announce: [...announce],
    createdBy: 'Shoal',
    created: new Date(),
  });
  // parse-torrent hashes the info dictionary as the engine will.
  const { infoHash } = await parseTorrent(torrentFile);
  return { infoHash, torrentFile };
}

/** Hashes the picked files and builds their torrent: everything the magnet needs. */
export async function prepareSeed(
  files: readonly File[],
  announce: readonly string[],
  name?: string,
): Promise<PreparedSeed> {
  const seedFiles = seedFilesOf(files, name);
  try {
    const hashes = await hashPieces(seedFiles);
    return { ...seedFiles, ...(await torrentFileOf(seedFiles.layout, hashes, announce)) };
  } catch (err) {
    if (err instanceof EngineError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new EngineError(`Could not share these files: ${reason}`);
  }
}

/**
 * The name a share of `files` gets unless the user changes it (the folder's, or "N files"),
 * or null when there is none to change: one file is named after itself, and nothing to
 * share has no name.
 */
export function shareNameOf(files: readonly File[]): string | null {
  if (files.length < 2) return null;
  const layout = planSeedLayout(files.map((f) => ({ path: pickedPath(f), lengthBytes: f.size })));
  return layout?.name ?? null;
}
