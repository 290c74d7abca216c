/**
 * A file's bytes as a ReadableStream that hands over, on each pull, every verified piece
 * from the read position on (up to `maxChunkBytes`), read from the store in parallel.
 *
 * webtorrent's own file stream yields one piece per pull and reads pieces one at a time.
 * A media element fed through our service worker pays a worker → tab → worker round trip
 * per pull, and a tab busy downloading answers each one late: with 16 KiB pieces, a
 * streaming tab delivered ~170 ms per piece while it had megabytes verified and waiting
 * (`npm run bench -- --only stream`). Here a pull takes everything that is ready; only when
 * the next piece is missing does it mark it critical and wait for it.
 *
 * Like webtorrent's stream, it holds a stream selection over its range (so the pieces are
 * wanted) and releases it, exactly, when it ends or is cancelled.
 */
import { concatBytes } from '../bytes.ts';

type Callback<T> = (err: Error | null, value?: T) => void;

/** The members of a webtorrent torrent this reads (the adapter hands the torrent in). */
export interface PieceSource {
  readonly destroyed: boolean;
  readonly pieceLength: number;
  readonly bitfield?: { get(index: number): boolean };
  readonly store: {
    get(index: number, opts: { offset: number; length: number }, cb: Callback<Uint8Array>): void;
  } | null;
  critical(from: number, to: number): void;
  _select(from: number, to: number, priority: number, notify: null, isStream: true): void;
  _deselect(from: number, to: number, isStream: true): void;
  on(event: 'verified', cb: (index: number) => void): unknown;
  on(event: 'close', cb: () => void): unknown;
  removeListener(event: 'verified', cb: (index: number) => void): unknown;
  removeListener(event: 'close', cb: () => void): unknown;
}

export interface FileSpan {
  /** Byte offset of the file in the torrent. */
  readonly offset: number;
  readonly length: number;
}

export interface PieceStreamOptions {
  /** Most bytes one pull hands over. */
  readonly maxChunkBytes: number;
  /** Pieces read from the store at once. */
  readonly parallelReads: number;
  /**
   * Whether a missing piece the read waits for is marked critical now (always, unless told).
   * A read nobody plays from (an older request a media element keeps open after a seek)
   * waits for its pieces in their turn instead of taking the bandwidth from the seek.
   */
  readonly urgent?: () => boolean;
}

export const DEFAULT_PIECE_STREAM: PieceStreamOptions = {
  maxChunkBytes: 1024 * 1024,
  parallelReads: 16,
};

function readPiece(
  source: PieceSource,
  index: number,
  offset: number,
  length: number,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const store = source.store;
    if (!store || source.destroyed) {
      reject(new Error('The torrent was closed while it was being read.'));
      return;
    }
    store.get(index, { offset, length }, (err, bytes) => {
      if (err || !bytes) reject(err ?? new Error(`Piece ${String(index)} could not be read`));
      else resolve(bytes);
    });
  });
}

/** Resolves once `index` is verified; false if the torrent closes first. */
function whenVerified(source: PieceSource, index: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onVerified = (i: number): void => {
      if (i !== index) return;
      done(true);
    };
    const onClose = (): void => {
      done(false);
    };
    const done = (ok: boolean): void => {
      source.removeListener('verified', onVerified);
      source.removeListener('close', onClose);
      resolve(ok);
    };
    source.on('verified', onVerified);
    source.on('close', onClose);
    if (source.bitfield?.get(index) === true) done(true);
  });
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Bytes `start`…`end` (inclusive) of `file`, as they are verified. */
export function pieceStream(
  source: PieceSource,
  file: FileSpan,
  range: { start: number; end: number } | undefined,
  options: PieceStreamOptions = DEFAULT_PIECE_STREAM,
): ReadableStream<Uint8Array> {
  const start = range?.start ?? 0;
  const end = Math.min(range?.end ?? file.length - 1, file.length - 1);
  const pieceLength = source.pieceLength;
  const firstPiece = Math.floor((file.offset + start) / pieceLength);
  const lastPiece = Math.floor((file.offset + Math.max(end, start)) / pieceLength);
  /** Next byte of the file to hand over. */
  let position = start;
  let selected = false;
  const release = (): void => {
    if (!selected) return;
    selected = false;
    if (!source.destroyed) source._deselect(firstPiece, lastPiece, true);
  };
  const has = (index: number): boolean => source.bitfield?.get(index) === true;

  return new ReadableStream<Uint8Array>(
    {
      start() {
        if (end < start || source.destroyed) return;
        source._select(firstPiece, lastPiece, 1, null, true);
        selected = true;
      },
      async pull(controller) {
        if (position > end || source.destroyed) {
          release();
          if (position > end) controller.close();
          else controller.error(new Error('The torrent was closed while it was being read.'));
          return;
        }
        const first = Math.floor((file.offset + position) / pieceLength);
        if (!has(first)) {
          if (options.urgent?.() ?? true) source.critical(first, Math.min(first + 1, lastPiece));
          if (!(await whenVerified(source, first))) {
            release();
            controller.error(new Error('The torrent was closed while it was being read.'));
            return;
          }
        }
        // Every verified piece from here on, up to the chunk limit.
        const parts: { index: number; offset: number; length: number }[] = [];
        let bytes = 0;
        for (let index = first; index <= lastPiece && has(index); index++) {
          const absolute = file.offset + position + bytes;
          const offset = absolute - index * pieceLength;
          const length = Math.min(pieceLength - offset, end - (position + bytes) + 1);
          if (length <= 0) break;
          if (bytes > 0 && bytes + length > options.maxChunkBytes) break;
          parts.push({ index, offset, length });
          bytes += length;
          if (bytes >= options.maxChunkBytes) break;
        }
        try {
          const pieces = await mapLimited(parts, options.parallelReads, (p) =>
            readPiece(source, p.index, p.offset, p.length),
          );
          if (pieces.length === 0) throw new Error('nothing read');
          // Always a buffer of its own, even for one piece (the store may hand out one it
          // keeps): the reader transfers it to the service worker without copying it again.
          const chunk = concatBytes(pieces, bytes);
          position += chunk.byteLength;
          controller.enqueue(chunk);
        } catch (err) {
          release();
          controller.error(err);
        }
      },
      cancel() {
        release();
      },
    },
    { highWaterMark: 0 },
  );
}
