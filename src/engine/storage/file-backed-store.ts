/**
 * The store of a torrent made from the user's own files: peers are served from the picked
 * `File`s at once, while a background task copies each piece into OPFS so that the torrent
 * survives a reload. A piece not copied yet is read from the files, a block of many at a
 * time (read-ahead.ts); a block read out of order (again, or after a jump) is copied at once;
 * in a seed larger than the blocks kept, a copied piece is read from OPFS unless its block is
 * still in memory. The files are read, and copied, in the pack worker (pack-worker.ts): every
 * read of a file is a synchronous trip to the browser's blob registry (`Blob.slice`, ~0.5 ms
 * here) and a copy of its bytes, which the page's main thread, busy serving peers, does not pay;
 * a copy's bytes never cross to the page at all. Once the user's files cannot be read (moved
 * or changed), copied pieces come from OPFS alone. Pieces written by webtorrent (fetched from
 * peers) go to OPFS.
 * A torrent seeded in place (File System Access handles, in-place.ts) is not copied: its
 * pieces are read from the user's files for as long as it lives.
 */
import { hasPiece } from '../policy/bitfield.ts';
import { pieceLengthAt } from '../policy/seed-layout.ts';
import { OpfsChunkStore, type ChunkStoreOptions } from './opfs-chunk-store.ts';
import { DEFAULT_READ_AHEAD, ReadAhead, type ReadAheadOptions } from './read-ahead.ts';
import type { PieceInRead } from './pack-protocol.ts';
import { torrentFilesOf, type SeedFiles } from './seed-files.ts';
import type { TorrentFiles } from './torrent-bytes.ts';

type Callback<T = void> = (err: Error | null, value?: T) => void;

/** Bytes read from the files per step of the copy. */
const COPY_READ_BYTES = 4 * 1024 * 1024;
/**
 * While the torrent serves someone, the copy rests after the pieces of each read are written,
 * this many times as long as they took (at work a fifth of the time), and at least
 * `COPY_BUSY_MIN_REST_MS`: the pack worker's writes hold up the reads of OPFS that peers and
 * viewers wait for (add → playing and seek were 50–100 ms later with the copy at full speed).
 */
const COPY_BUSY_REST_FACTOR = 4;
const COPY_BUSY_MIN_REST_MS = 10;
/** A read of the store this recent counts as serving someone. */
const COPY_QUIET_MS = 500;

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * How far the copy of a seed's files into OPFS has got, kept by the engine for as long as
 * the page lives (stores come and go with pause and resume; the copy picks up where it was).
 */
export class SeedCopy {
  /** The files, as the pack worker is sent them. */
  readonly torrentFiles: TorrentFiles;
  /** Pieces in OPFS, one bit each, most significant bit first. */
  readonly copied: Uint8Array;
  copiedCount = 0;
  /** Why the copy stopped, if it did before the end. */
  error: Error | null = null;

  /** Resolves when the copy may begin. */
  readonly started: Promise<void>;
  /** Lets the copy begin (at once unless made `deferred`). */
  readonly start: () => void;

  /**
   * Read from the user's files for as long as it lives, nothing copied: seeded in place (from
   * File System Access handles), or with no disk to copy to (pieces kept in memory).
   */
  readonly inPlace: boolean;

  /** Whether the torrent is serving peers now (the engine says: it has connections). */
  serving: () => boolean = () => false;

  /**
   * `deferred`: the copy waits for `start()`, so that it does not compete with making the
   * torrent ready (the magnet waits for that, not for the copy). `inPlace`: the files stay
   * where the user has them and are read from there; there is no copy.
   */
  constructor(
    readonly files: SeedFiles,
    private readonly onChange: () => void = () => undefined,
    { deferred = false, inPlace = false } = {},
  ) {
    this.inPlace = inPlace;
    this.torrentFiles = torrentFilesOf(files);
    this.copied = new Uint8Array(Math.ceil(files.layout.pieceCount / 8));
    let start = (): void => undefined;
    this.started = new Promise((resolve) => {
      start = resolve;
    });
    this.start = start;
    if (!deferred) start();
  }

  get pieceCount(): number {
    return this.files.layout.pieceCount;
  }

  get done(): boolean {
    return this.copiedCount === this.pieceCount;
  }

  has(index: number): boolean {
    return hasPiece(this.copied, index);
  }

  mark(index: number): void {
    if (this.has(index)) return;
    this.copied[index >> 3] = (this.copied[index >> 3] ?? 0) | (0x80 >> (index & 7));
    this.copiedCount++;
  }

  /** Says that the copy moved on, finished or stopped. */
  changed(): void {
    this.onChange();
  }
}

export interface FileBackedStoreOptions extends ChunkStoreOptions {
  /** Absent (a torrent restored after a reload): the store is OPFS only. */
  readonly seedCopy?: SeedCopy;
  /** How the picked files are read (blocks of at least a piece each way). */
  readonly readAhead?: ReadAheadOptions;
}

/**
 * The pieces wholly within the torrent's bytes `[startBytes, endBytes)` that `wanted` takes,
 * placed in a read that starts at the first of them; the read's bounds beside them.
 */
function piecesWithin(
  layout: SeedFiles['layout'],
  startBytes: number,
  endBytes: number,
  wanted: (index: number) => boolean,
): { pieces: PieceInRead[]; start: number; end: number } | null {
  const size = layout.pieceLengthBytes;
  const indices: number[] = [];
  for (let index = Math.ceil(startBytes / size); index < layout.pieceCount; index++) {
    if (index * size + pieceLengthAt(layout, index) > endBytes) break;
    if (wanted(index)) indices.push(index);
  }
  const first = indices[0];
  const last = indices[indices.length - 1];
  if (first === undefined || last === undefined) return null;
  const start = first * size;
  const pieces = indices.map((index) => ({
    index,
    at: index * size - start,
    length: pieceLengthAt(layout, index),
  }));
  return { pieces, start, end: last * size + pieceLengthAt(layout, last) };
}

export class FileBackedStore {
  readonly chunkLength: number;
  private readonly opfs: OpfsChunkStore;
  private readonly copy: SeedCopy | null;
  private closed = false;
  /** Reads of the picked files, a block of pieces at a time. */
  private readonly readAhead: ReadAhead | null;
  private lastReadMs = -Infinity;
  /** A read of the picked files failed: copied pieces come from OPFS only. */
  private filesFailed = false;
  /** The background copy; settles when it ends, stops or the store closes. */
  readonly copying: Promise<void>;

  constructor(chunkLength: number, opts: FileBackedStoreOptions = {}) {
    this.chunkLength = chunkLength;
    this.opfs = new OpfsChunkStore(chunkLength, opts);
    this.copy = opts.seedCopy ?? null;
    if (this.copy && this.copy.files.layout.pieceLengthBytes !== chunkLength) {
      throw new Error('FileBackedStore: the files were hashed with another piece length');
    }
    const copy = this.copy;
    const reads = opts.readAhead ?? DEFAULT_READ_AHEAD;
    this.readAhead = copy
      ? new ReadAhead(
          (start, end) => this.opfs.readFiles(copy.torrentFiles, start, end),
          copy.files.layout.lengthBytes,
          // Blocks of whole pieces (both are powers of two), so that each read can be copied.
          {
            ...reads,
            blockBytes: Math.max(reads.blockBytes, copy.files.layout.pieceLengthBytes),
          },
          (startBytes, bytes) => {
            this.copyBlock(startBytes, bytes);
          },
        )
      : null;
    this.copying = this.copy ? this.copyFiles(this.copy) : Promise.resolve();
  }

  /** Pieces a read of the files is copying into OPFS now. */
  private readonly copyingRead = new Set<number>();

  /**
   * Copies the pieces of a block random access just read from the files that OPFS does not
   * have yet. Not every block read: a viewer moving forward reads each once, and writing as it plays
   * held the pack worker (OPFS writes of an off-the-record tab, 50–100 ms each on this
   * machine) in front of the reads of other viewers. The worker reads them again from the
   * files (the page does not send it the bytes it has): one more read there costs the page
   * nothing, sending them would cost it a copy.
   */
  private copyBlock(startBytes: number, bytes: Uint8Array): void {
    const copy = this.copy;
    if (!copy || copy.inPlace || this.closed) return;
    const within = piecesWithin(
      copy.files.layout,
      startBytes,
      startBytes + bytes.byteLength,
      (index) => !copy.has(index) && !this.copyingRead.has(index),
    );
    if (!within) return;
    const { pieces, start, end } = within;
    for (const { index } of pieces) this.copyingRead.add(index);
    // A failed write (a full disk, a closed store) leaves the piece to the background copy,
    // which reports the failure.
    void this.opfs
      .copyFiles(copy.torrentFiles, start, end, pieces)
      .then(
        ({ written }) => {
          for (const index of written) copy.mark(index);
        },
        () => undefined,
      )
      .finally(() => {
        for (const { index } of pieces) this.copyingRead.delete(index);
        if (!this.closed) copy.changed();
      });
  }

  private async copyFiles(copy: SeedCopy): Promise<void> {
    try {
      await copy.started;
      for (const index of await this.opfs.storedPieces()) copy.mark(index);
      copy.error = null;
      copy.changed();
      if (copy.inPlace) return;
      const { layout } = copy.files;
      const perRead = Math.max(1, Math.floor(COPY_READ_BYTES / layout.pieceLengthBytes));
      let next = 0;
      /** Copied, or being copied by a read of the files. */
      const skip = (index: number): boolean => copy.has(index) || this.copyingRead.has(index);
      while (!this.closed && !copy.done) {
        while (next < layout.pieceCount && skip(next)) next++;
        if (next >= layout.pieceCount) {
          // What is left is being copied by reads of the files: wait for them.
          await sleep(COPY_BUSY_MIN_REST_MS * 10);
          next = 0;
          continue;
        }
        const first = next;
        while (next < layout.pieceCount && next - first < perRead && !skip(next)) next++;
        const within = piecesWithin(
          layout,
          first * layout.pieceLengthBytes,
          Math.min(layout.lengthBytes, next * layout.pieceLengthBytes),
          () => true,
        );
        if (!within) throw new Error('No whole piece to copy');
        const began = performance.now();
        // Read and written in the pack worker: the bytes never cross to the page. After a
        // close, the copy fails and ends (see the catch).
        const { written, failed } = await this.opfs.copyFiles(
          copy.torrentFiles,
          within.start,
          within.end,
          within.pieces,
        );
        for (const index of written) copy.mark(index);
        if (failed) throw failed;
        copy.changed();
        if (copy.serving() || performance.now() - this.lastReadMs < COPY_QUIET_MS)
          await sleep(
            Math.max(COPY_BUSY_MIN_REST_MS, (performance.now() - began) * COPY_BUSY_REST_FACTOR),
          );
      }
    } catch (err) {
      if (this.closed) return;
      copy.error = err instanceof Error ? err : new Error(String(err));
      copy.changed();
    }
  }

  /** Written through (not behind): the copy counts a piece as kept once it is on disk. */
  put(index: number, buf: Uint8Array, cb: Callback = () => undefined): void {
    this.opfs.write(index, buf, (err) => {
      if (!err) this.copy?.mark(index);
      cb(err);
    });
  }

  get(
    index: number,
    opts: { offset?: number; length?: number } | null | Callback<Uint8Array>,
    cb?: Callback<Uint8Array>,
  ): void {
    if (typeof opts === 'function') {
      this.get(index, null, opts);
      return;
    }
    const done = cb ?? (() => undefined);
    this.lastReadMs = performance.now();
    const copy = this.copy;
    const readAhead = this.readAhead;
    if (!copy || !readAhead || this.closed || (this.filesFailed && copy.has(index))) {
      this.opfs.get(index, opts, done);
      return;
    }
    const { layout } = copy.files;
    const offset = opts?.offset ?? 0;
    const length = opts?.length ?? pieceLengthAt(layout, index) - offset;
    const start = index * layout.pieceLengthBytes + offset;
    // A seed that fits in the blocks kept is read from the files (once per block): reads of
    // OPFS wait behind the copy's writes in the pack worker.
    if (copy.has(index) && !readAhead.keepsAll && !readAhead.holds(start, start + length)) {
      this.opfs.get(index, opts, done);
      return;
    }
    readAhead.get(start, start + length).then(
      (bytes) => {
        done(null, bytes);
      },
      (err: unknown) => {
        // The user moved or changed a file since picking it (the browser refuses to read a
        // picked file that changed): what was copied is read from OPFS from now on.
        if (copy.has(index) && !this.closed) {
          this.filesFailed = true;
          readAhead.clear();
          this.opfs.get(index, opts, done);
        } else done(err instanceof Error ? err : new Error(String(err)));
      },
    );
  }

  close(cb: Callback = () => undefined): void {
    this.closed = true;
    this.readAhead?.clear();
    this.opfs.close(cb);
  }

  destroy(cb: Callback = () => undefined): void {
    this.closed = true;
    this.readAhead?.clear();
    this.opfs.destroy(cb);
  }
}
