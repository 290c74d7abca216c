/**
 * An abstract-chunk-store (the interface webtorrent's `store` option takes) on the
 * origin-private file system: each torrent's pieces in one pack (storage/pack.ts), held open
 * by a worker (storage/pack-worker.ts), keyed by info-hash, never by the torrent's name
 * (names are hostile input). The store lists its pack once when it opens and keeps the set of
 * pieces it holds, so reading a piece that was never written fails without asking the disk:
 * webtorrent's verification pass over a new store costs nothing.
 *
 * Writes behind: `put` (webtorrent's, for a piece it has just verified) answers at once, so
 * that the piece is announced and streamed without waiting for the disk, and the piece is
 * sent to the worker in that task's batch; it stays in memory until it is on disk. What is not
 * on disk yet is never counted as kept: the registry's `unwritten` (store-registry.ts) lists
 * it for the progress the UI shows, the "Seeding" state and the bitfield a torrent is
 * persisted or paused with, and its `watchWrites` says when more has landed (persist again) or when a write failed (the torrent
 * is paused; the piece stays readable in memory while the store lives, and a later put fails
 * with the same error).
 * In a browser without OPFS the same store writes to the page's memory instead
 * (memory-backend.ts, passed as its `backend`).
 */
import { defaultBackend, type FilesCopied, type PieceBackend } from './pack-client.ts';
import type { PieceInRead } from './pack-protocol.ts';
import type { TorrentFiles } from './torrent-bytes.ts';
import { toError } from './storage-errors.ts';
import {
  WRITE_NEWS_MS,
  heldSet,
  pieceWritten,
  storeClosed,
  storeDestroyed,
  storeOpened,
  takePrepared,
  tellWatcher,
} from './store-registry.ts';

export { StorageFullError, isStorageFull } from './storage-errors.ts';

type Callback<T = void> = (err: Error | null, value?: T) => void;

export interface ChunkStoreOptions {
  readonly length?: number;
  readonly torrent?: { readonly infoHash: string };
  /** Where the pieces go (storage/pack-client.ts): the pack worker unless told otherwise. */
  readonly backend?: PieceBackend;
}

/**
 * Bytes of just-written pieces a store keeps in memory for the reads that follow (not when
 * its backend is memory itself).
 */
const RECENT_BYTES = 4 * 1024 * 1024;

/** How far behind the network the disk has been: put → on disk, over every store. */
export const writeLag = { pieces: 0, totalMs: 0, maxMs: 0 };

/**
 * Bytes `[offset, end)` of a piece kept here, for a reader. A part is a view (a seeder reads
 * every 16 KiB block of a piece so): a reader that hands a buffer on (the stream host,
 * transferring it to the service worker) copies a view of part of one first. The whole piece is
 * a copy, which the reader may hand on or change without touching the one kept.
 */
function partOf(piece: Uint8Array, offset: number, end: number): Uint8Array {
  return offset === 0 && end === piece.byteLength ? piece.slice() : piece.subarray(offset, end);
}

export class OpfsChunkStore {
  readonly chunkLength: number;
  private readonly lengthBytes: number;
  private readonly lastChunkLength: number;
  private readonly lastIndex: number;
  private readonly infoHash: string;
  private readonly backend: PieceBackend;
  /** Pieces on disk, listed once when the store opens, then as they are written. */
  private readonly present: Promise<Set<number>>;
  /**
   * The pieces written last, in memory (oldest first, at most RECENT_BYTES): a piece just
   * verified is about to be streamed, and from here that read costs no trip to the worker.
   */
  private readonly recent = new Map<number, Uint8Array>();
  /** Whole-piece reads on their way from the worker (block reads of one piece share one). */
  private readonly reading = new Map<number, Promise<Uint8Array<ArrayBuffer>>>();
  private recentBytes = 0;
  private closed = false;
  /** Put, not yet on disk (a failed write's piece stays here too), with when it was put. */
  private readonly pending = new Map<number, { bytes: Uint8Array; putMs: number }>();
  private inFlight = 0;
  /** The first write behind that failed: every later put fails with it. */
  private failure: Error | null = null;
  /** When the watcher was last told that more pieces are on disk. */
  private lastNewsMs = performance.now();
  /** Called when the writes in flight are done (a close waits for it). */
  private onDrained: (() => void) | null = null;

  constructor(chunkLength: number, opts: ChunkStoreOptions = {}) {
    const infoHash = opts.torrent?.infoHash;
    if (infoHash === undefined || !/^[0-9a-f]{40}$/.test(infoHash)) {
      throw new Error('OpfsChunkStore needs the torrent (with its info-hash)');
    }
    this.chunkLength = chunkLength;
    this.infoHash = infoHash;
    this.backend = opts.backend ?? defaultBackend();
    this.lengthBytes = opts.length ?? Infinity;
    this.lastIndex = Math.ceil(this.lengthBytes / chunkLength) - 1;
    this.lastChunkLength = this.lengthBytes - this.lastIndex * chunkLength;
    // A pack `prepare` opened is taken either way; a store with its own backend does not use it.
    const early = takePrepared(infoHash);
    this.present = (opts.backend ? undefined : early) ?? heldSet(this.backend.open(infoHash));
    // Errors surface on the first put/get.
    this.present.catch(() => undefined);
    storeOpened(infoHash, this.pending);
  }

  /** The pieces this store holds (listed when it opened, then as they are written). */
  storedPieces(): Promise<ReadonlySet<number>> {
    return this.present;
  }

  private expectedLength(index: number): number {
    return index === this.lastIndex ? this.lastChunkLength : this.chunkLength;
  }

  private refusal(index: number, buf: Uint8Array): Error | null {
    if (this.closed) return new Error('Storage is closed');
    if (buf.byteLength !== this.expectedLength(index))
      return new Error(`Chunk length must be ${String(this.expectedLength(index))}`);
    return null;
  }

  /** Keeps a verified piece and answers at once; it is written behind (see above). */
  put(index: number, buf: Uint8Array, cb: Callback = () => undefined): void {
    const failed = this.refusal(index, buf) ?? this.failure;
    if (failed) {
      queueMicrotask(() => {
        cb(failed);
      });
      return;
    }
    const entry = { bytes: buf, putMs: performance.now() };
    this.pending.set(index, entry);
    pieceWritten(this.infoHash);
    this.inFlight++;
    this.toDisk(index, buf).then(
      () => {
        if (this.pending.get(index) === entry) {
          this.pending.delete(index);
          const lagMs = performance.now() - entry.putMs;
          writeLag.pieces++;
          writeLag.totalMs += lagMs;
          writeLag.maxMs = Math.max(writeLag.maxMs, lagMs);
        }
        this.landed(null);
      },
      (err: unknown) => {
        this.landed(toError(err));
      },
    );
    queueMicrotask(() => {
      cb(null);
    });
  }

  private async toDisk(index: number, buf: Uint8Array): Promise<void> {
    const present = await this.present;
    // Destroyed meanwhile: a write now would make the torrent's pack again.
    if (this.closed) throw new Error('Storage is closed');
    await this.backend.write(this.infoHash, index, buf);
    present.add(index);
    this.remember(index, buf);
  }

  private landed(err: Error | null): void {
    this.inFlight--;
    if (err) {
      this.failure ??= err;
      if (!this.closed) tellWatcher(this.infoHash, err);
    }
    const caughtUp = this.inFlight === 0;
    // News while writes land, not only at the end: a reload before they catch up keeps only
    // the pieces known at the last news.
    const now = performance.now();
    if (
      !err &&
      !this.closed &&
      ((caughtUp && this.pending.size === 0) || now - this.lastNewsMs >= WRITE_NEWS_MS)
    ) {
      this.lastNewsMs = now;
      tellWatcher(this.infoHash, null);
    }
    if (caughtUp) {
      const drained = this.onDrained;
      this.onDrained = null;
      drained?.();
    }
  }

  /**
   * Writes a piece through (the callback once it is on disk), for a copy of the user's files
   * that counts a piece as copied only then; it is not kept in memory for reads.
   */
  write(index: number, buf: Uint8Array, cb: Callback): void {
    const failed = this.refusal(index, buf);
    if (failed) {
      cb(failed);
      return;
    }
    void (async () => {
      const present = await this.present;
      await this.backend.write(this.infoHash, index, buf);
      present.add(index);
      pieceWritten(this.infoHash);
    })().then(
      () => {
        cb(null);
      },
      (err: unknown) => {
        cb(toError(err));
      },
    );
  }

  /** Bytes `[start, end)` of the seed's files, read where the disk is (file-backed-store.ts). */
  readFiles(files: TorrentFiles, start: number, end: number): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new Error('Storage is closed'));
    return this.backend.readFiles(this.infoHash, files, start, end);
  }

  /**
   * Copies `pieces` of the seed's bytes `[start, end)` from its files to disk, without them
   * crossing the page: each counts as held once written, as a `write` does.
   */
  async copyFiles(
    files: TorrentFiles,
    start: number,
    end: number,
    pieces: readonly PieceInRead[],
  ): Promise<FilesCopied> {
    const present = await this.present;
    // Destroyed meanwhile: a write now would make the torrent's pack again.
    if (this.closed) throw new Error('Storage is closed');
    const copied = await this.backend.copyFiles(this.infoHash, files, start, end, pieces);
    for (const index of copied.written) {
      present.add(index);
      pieceWritten(this.infoHash);
    }
    return copied.failed ? { ...copied, failed: toError(copied.failed) } : copied;
  }

  private remember(index: number, bytes: Uint8Array): void {
    // In memory the backend already holds every piece: a cache would be a second copy.
    if (this.closed || this.backend.inMemory) return;
    const before = this.recent.get(index);
    if (before) this.recentBytes -= before.byteLength;
    this.recent.delete(index);
    this.recent.set(index, bytes);
    this.recentBytes += bytes.byteLength;
    for (const [oldest, old] of this.recent) {
      if (this.recentBytes <= RECENT_BYTES) break;
      this.recent.delete(oldest);
      this.recentBytes -= old.byteLength;
    }
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
    if (this.closed) {
      done(new Error('Storage is closed'));
      return;
    }
    const offset = opts?.offset ?? 0;
    const cached = this.pending.get(index)?.bytes ?? this.recent.get(index);
    if (cached) {
      const end = opts?.length === undefined ? cached.byteLength : offset + opts.length;
      const bytes = end <= cached.byteLength ? partOf(cached, offset, end) : null;
      queueMicrotask(() => {
        if (bytes) done(null, bytes);
        else done(new Error(`Piece ${String(index)} is incomplete`));
      });
      return;
    }
    void (async () => {
      if (!(await this.present).has(index)) throw new Error(`Piece ${String(index)} is not stored`);
      // In memory a read costs no trip: just the bytes asked for, no copy of the whole piece.
      if (this.backend.inMemory)
        return this.backend.read(this.infoHash, index, offset, opts?.length ?? null);
      // The whole piece, read in one trip to the worker. Asked for whole (webtorrent's cache
      // in front of its store asks so, and keeps it for the next blocks a peer asks for), it is
      // handed over as it came; asked for a block (a stream), it is kept here for the next.
      if (offset === 0 && opts?.length === undefined)
        return this.backend.read(this.infoHash, index, 0, null);
      // A peer asks for a piece's blocks at once: they share that one trip.
      let reading = this.reading.get(index);
      if (!reading) {
        const read = this.backend.read(this.infoHash, index, 0, null);
        reading = read;
        this.reading.set(index, read);
        const forget = (): void => {
          if (this.reading.get(index) === read) this.reading.delete(index);
        };
        read.then(forget, forget);
      }
      const whole = await reading;
      const end = opts?.length === undefined ? whole.byteLength : offset + opts.length;
      if (end > whole.byteLength) throw new Error(`Piece ${String(index)} is incomplete`);
      this.remember(index, whole);
      return partOf(whole, offset, end);
    })().then(
      (bytes) => {
        done(null, bytes);
      },
      (err: unknown) => {
        done(toError(err));
      },
    );
  }

  /** Resolves once the pieces put so far are written (or failed to be). */
  flush(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const before = this.onDrained;
      this.onDrained = () => {
        before?.();
        resolve();
      };
    });
  }

  /** Closes once the pieces put so far are written (or failed to be). */
  close(cb: Callback = () => undefined): void {
    void this.flush().then(async () => {
      this.closed = true;
      this.recent.clear();
      storeClosed(this.infoHash, this.pending);
      // Flushed and marked proven: a reload trusts all of it without hashing.
      const err = await this.backend.close(this.infoHash).then(
        () => null,
        (e: unknown) => toError(e),
      );
      cb(err);
    });
  }

  destroy(cb: Callback = () => undefined): void {
    this.closed = true;
    this.recent.clear();
    this.pending.clear();
    storeDestroyed(this.infoHash, this.pending);
    // The worker handles this torrent's requests in order: the writes sent go first.
    this.backend.remove(this.infoHash).then(
      () => {
        cb(null);
      },
      (err: unknown) => {
        cb(toError(err));
      },
    );
  }
}
