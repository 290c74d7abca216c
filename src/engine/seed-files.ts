/**
 * Seeding the user's files without copying them first: read the picked files once, hash
 * their pieces with WebCrypto (many in flight), and build the .torrent from those hashes.
 * The magnet exists as soon as the last piece is hashed; the copy into OPFS comes after,
 * in the background (file-backed-store.ts).
 */
import parseTorrent, { toTorrentFile } from 'parse-torrent';
import { planSeedLayout, pieceLengthAt, type SeedLayout } from './policy/seed-layout.ts';
import { EngineError } from './types.ts';

/** The picked files, in the torrent's order, beside the layout made of them. */
export interface SeedFiles {
  readonly layout: SeedLayout;
  readonly blobs: readonly Blob[];
}

export interface PreparedSeed extends SeedFiles {
  readonly infoHash: string;
  readonly torrentFile: Uint8Array;
}

/** Bytes read from the files at once while hashing: many pieces, few reads. */
const READ_BYTES = 8 * 1024 * 1024;
/** Reads ahead of the hashing: one being hashed, one being read. */
const READS_IN_FLIGHT = 2;

/** Where a picked file sits in a folder the user picked or dropped, else its name. */
function pickedPath(file: File): string {
  const fullPath = (file as File & { fullPath?: unknown }).fullPath;
  if (typeof fullPath === 'string' && fullPath !== '') return fullPath;
  return file.webkitRelativePath || file.name;
}

export function seedFilesOf(files: readonly File[]): SeedFiles {
  if (files.length === 0) throw new EngineError('Choose at least one file to share.');
  const layout = planSeedLayout(files.map((f) => ({ path: pickedPath(f), lengthBytes: f.size })));
  if (layout === null) throw new EngineError('Nothing to share: the files you chose are empty.');
  return { layout, blobs: files };
}

/** Bytes `[startBytes, endBytes)` of the torrent, read from the picked files. */
export async function readTorrentBytes(
  { layout, blobs }: SeedFiles,
  startBytes: number,
  endBytes: number,
): Promise<Uint8Array> {
  const parts: Promise<ArrayBuffer>[] = [];
  layout.files.forEach((file, i) => {
    const from = Math.max(startBytes, file.offsetBytes);
    const to = Math.min(endBytes, file.offsetBytes + file.lengthBytes);
    const blob = blobs[i];
    if (to > from && blob) {
      parts.push(blob.slice(from - file.offsetBytes, to - file.offsetBytes).arrayBuffer());
    }
  });
  const buffers = await Promise.all(parts);
  const single = buffers.length === 1 ? buffers[0] : undefined;
  if (single?.byteLength === endBytes - startBytes) return new Uint8Array(single);
  const out = new Uint8Array(endBytes - startBytes);
  let at = 0;
  for (const buffer of buffers) {
    out.set(new Uint8Array(buffer), at);
    at += buffer.byteLength;
  }
  if (at !== out.length) throw new EngineError('A shared file changed or could not be read.');
  return out;
}

/**
 * The SHA-1 of every piece, 20 bytes each, in order: the files are read in large slices,
 * the next one while the current one's pieces are hashed, all of them at once.
 */
export async function hashPieces(files: SeedFiles): Promise<Uint8Array> {
  const { layout } = files;
  const pieceBytes = layout.pieceLengthBytes;
  const piecesPerRead = Math.max(1, Math.floor(READ_BYTES / pieceBytes));
  const hashes = new Uint8Array(layout.pieceCount * 20);
  const reads: { first: number; bytes: Promise<Uint8Array> }[] = [];
  let nextPiece = 0;
  const readMore = (): void => {
    while (reads.length < READS_IN_FLIGHT && nextPiece < layout.pieceCount) {
      const first = nextPiece;
      const last = Math.min(layout.pieceCount, first + piecesPerRead);
      const end = Math.min(layout.lengthBytes, last * pieceBytes);
      const bytes = readTorrentBytes(files, first * pieceBytes, end);
      bytes.catch(() => undefined);
      reads.push({ first, bytes });
      nextPiece = last;
    }
  };
  readMore();
  for (let read = reads.shift(); read; read = reads.shift()) {
    const bytes = await read.bytes;
    readMore();
    const digests: Promise<void>[] = [];
    for (let offset = 0, index = read.first; offset < bytes.length; index++) {
      const length = pieceLengthAt(layout, index);
      const at = index * 20;
      const piece = bytes.subarray(offset, offset + length);
      digests.push(
        crypto.subtle.digest('SHA-1', piece as Uint8Array<ArrayBuffer>).then((digest) => {
          hashes.set(new Uint8Array(digest), at);
        }),
      );
      offset += length;
    }
    await Promise.all(digests);
  }
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
): Promise<PreparedSeed> {
  const seedFiles = seedFilesOf(files);
  try {
    const hashes = await hashPieces(seedFiles);
    return { ...seedFiles, ...(await torrentFileOf(seedFiles.layout, hashes, announce)) };
  } catch (err) {
    if (err instanceof EngineError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new EngineError(`Could not share these files: ${reason}`);
  }
}
