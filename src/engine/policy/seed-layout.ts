/**
 * How picked files become a torrent's layout: its name, each file's path inside it and
 * where its bytes start, and the piece length. The same rules as create-torrent (stock
 * WebTorrent's seeding), so the same files give the same info-hash in Shoal and in stock,
 * but for the name of several files that are not one folder's: create-torrent names them
 * after the first file ("a.mp4", a folder holding "a.mp4"); Shoal says "3 files".
 */

export interface PickedEntry {
  /** The picked file's path: its name, or its folder path ('/'-separated) for a folder. */
  readonly path: string;
  readonly lengthBytes: number;
}

export interface LayoutFile {
  /** Path inside the torrent, without the torrent's name (one part for a single file). */
  readonly pathParts: readonly string[];
  /** Where the file starts in the torrent's bytes. */
  readonly offsetBytes: number;
  readonly lengthBytes: number;
}

export interface SeedLayout {
  readonly name: string;
  /** One file given alone: the torrent has no folder. */
  readonly singleFile: boolean;
  readonly files: readonly LayoutFile[];
  readonly lengthBytes: number;
  readonly pieceLengthBytes: number;
  readonly pieceCount: number;
}

/** create-torrent's bound on the piece length it picks. */
export const MAX_SEED_PIECE_LENGTH_BYTES = 4 * 1024 * 1024;

/**
 * The piece length stock picks (the `piece-length` package): the power of two nearest to
 * size / 1024, at least 16 KiB, at most 4 MiB.
 */
export function seedPieceLengthBytes(totalBytes: number): number {
  const exponent = Math.floor(Math.log2(totalBytes < 1024 ? 1 : totalBytes / 1024) + 0.5);
  return Math.min(MAX_SEED_PIECE_LENGTH_BYTES, Math.max(16384, 2 ** exponent));
}

/**
 * The name of a torrent of `fileCount` files: one file's name; the folder they were
 * picked from (`folder`, their common first path part); else how many files ("3 files").
 */
export function seedName(fileCount: number, folder: string | null, firstName: string): string {
  if (fileCount === 1) return firstName;
  return folder ?? `${String(fileCount)} files`;
}

/**
 * A name the user gave a torrent of several files, as it can stand in the metadata: one path
 * part (a slash would read as a folder in every client), no control characters, trimmed.
 * Null when nothing is left of it.
 */
export function cleanSeedName(name: string): string | null {
  const clean = name
    // eslint-disable-next-line no-control-regex -- the control characters are what is removed
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/[/\\]/g, '-')
    .trim();
  return clean === '' || clean === '.' || clean === '..' ? null : clean;
}

/**
 * The layout of a torrent made of `entries`, in the order given. A folder's common first
 * part becomes the torrent's name (as create-torrent does); one file is named after itself;
 * several loose files are "N files" (`seedName`). Several files take the user's `name`
 * instead, when one is given (cleaned: `cleanSeedName`); one file keeps its own.
 * Returns null when there is nothing to hash (no files, or only empty ones).
 */
export function planSeedLayout(entries: readonly PickedEntry[], name?: string): SeedLayout | null {
  const parts = entries.map((entry, i) => {
    const split = entry.path.split('/').filter((part) => part !== '' && part !== '.');
    return split.length > 0 ? split : [`Unknown File ${String(i + 1)}`];
  });
  const first = parts[0]?.[0];
  const commonPrefix =
    entries.length > 1 && first !== undefined && parts.every((p) => p.length > 1 && p[0] === first)
      ? first
      : null;
  const lengthBytes = entries.reduce((sum, e) => sum + e.lengthBytes, 0);
  if (lengthBytes === 0) return null;
  let offsetBytes = 0;
  const files = entries.map((entry, i) => {
    const path = parts[i] ?? [];
    const file = {
      pathParts: commonPrefix === null ? path : path.slice(1),
      offsetBytes,
      lengthBytes: entry.lengthBytes,
    };
    offsetBytes += entry.lengthBytes;
    return file;
  });
  const given = entries.length > 1 && name !== undefined ? cleanSeedName(name) : null;
  const pieceLengthBytes = seedPieceLengthBytes(lengthBytes);
  return {
    name: given ?? seedName(entries.length, commonPrefix, parts[0]?.at(-1) ?? 'Unnamed'),
    singleFile: entries.length === 1,
    files,
    lengthBytes,
    pieceLengthBytes,
    pieceCount: Math.ceil(lengthBytes / pieceLengthBytes),
  };
}

/** The length of piece `index` (the last one may be shorter). */
export function pieceLengthAt(layout: SeedLayout, index: number): number {
  return Math.min(layout.pieceLengthBytes, layout.lengthBytes - index * layout.pieceLengthBytes);
}
