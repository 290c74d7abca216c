/**
 * An abstract-chunk-store (the interface webtorrent's `store` option takes) on the
 * origin-private file system: one file per piece under `shoal-pieces/<infoHash>/`.
 *
 * Keyed by info-hash, never by the torrent's name (names are hostile input). The store
 * lists its folder once when it opens and keeps the set of pieces it holds, so reading a
 * piece that was never written fails without touching the disk: webtorrent's verification
 * pass over a new store costs nothing, instead of a failed file lookup per piece.
 *
 * Writes behind: `put` (webtorrent's, for a piece it has just verified) answers at once and
 * the piece is written in the background, a few at a time, kept in memory until it is on
 * disk. webtorrent says a piece is verified, tells peers and wakes a waiting stream only
 * when `put` answers; waiting for four browser round trips per piece (folder lookup, open,
 * write, close) held every piece of a stream's start back, and the tab's main thread with
 * them (bench, add → playing: 0.50 s writing first, 0.37 s writing behind). What is not on
 * disk yet is never counted as kept: `unwritten` lists it for the bitfield a torrent is
 * persisted or paused with, and `watchWrites` says when the writes have caught up (persist
 * again) or when one failed (the torrent is paused; the piece stays readable in memory
 * while the store lives, and a later put fails with the same error).
 */
import { defaultWriter, type PieceWriter } from './piece-writer.ts';

type Callback<T = void> = (err: Error | null, value?: T) => void;

export interface ChunkStoreOptions {
  readonly length?: number;
  readonly torrent?: { readonly infoHash: string };
  /** Who writes the pieces (piece-writer.ts): a worker unless told otherwise. */
  readonly writer?: PieceWriter;
}

const ROOT_DIR = 'shoal-pieces';
/** Bytes of just-written pieces a store keeps in memory for the reads that follow. */
const RECENT_BYTES = 4 * 1024 * 1024;

/** Folders opened and listed ahead of their store, by info-hash (see `prepare`). */
const prepared = new Map<
  string,
  { dir: Promise<FileSystemDirectoryHandle>; present: Promise<Set<number>> }
>();
/** Prepared folders listed empty (until a store of theirs writes a piece). */
const emptyFolders = new Set<string>();
/** Pieces written behind at once by a store. */
const WRITES_IN_FLIGHT = 4;
/** The open store of each torrent (for `unwritten`). */
const openStores = new Map<string, OpfsChunkStore>();
/** Pieces a closed store was given but could not write (its writes behind failed). */
const leftUnwritten = new Map<string, ReadonlySet<number>>();
/** How often a torrent's watcher hears that more of its pieces are on disk, at most. */
const WRITE_NEWS_MS = 500;
/** Who hears of each torrent's writes behind (see `watchWrites`). */
const writeWatchers = new Map<string, (err: Error | null) => void>();

async function piecesRoot(): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(ROOT_DIR, { create: true });
}

async function listPieces(dir: FileSystemDirectoryHandle): Promise<Set<number>> {
  const indices = new Set<number>();
  for await (const name of dir.keys()) {
    if (/^\d+$/.test(name)) indices.add(Number(name));
  }
  return indices;
}

/** A write refused because this site's browser storage is full. */
export class StorageFullError extends Error {
  override readonly name = 'StorageFullError';
  constructor() {
    super('The browser storage for this site is full.');
  }
}

export const isStorageFull = (err: unknown): boolean =>
  err instanceof StorageFullError ||
  (err instanceof DOMException && err.name === 'QuotaExceededError');

function toError(err: unknown): Error {
  if (isStorageFull(err)) return err instanceof StorageFullError ? err : new StorageFullError();
  return err instanceof Error ? err : new Error(String(err));
}

export class OpfsChunkStore {
  readonly chunkLength: number;
  private readonly lengthBytes: number;
  private readonly lastChunkLength: number;
  private readonly lastIndex: number;
  private readonly infoHash: string;
  private readonly writer: PieceWriter;
  private dir: Promise<FileSystemDirectoryHandle> | null;
  /** Pieces written to disk, listed once when the store opens. */
  private readonly present: Promise<Set<number>>;
  private readonly handles = new Map<number, FileSystemFileHandle>();
  /**
   * The pieces written last, in memory (oldest first, at most RECENT_BYTES): webtorrent
   * says a piece is verified only once it is written, and a stream reads it right then;
   * from here that read costs no trip to the file system.
   */
  private readonly recent = new Map<number, Uint8Array>();
  private recentBytes = 0;
  private closed = false;
  /** Put, not yet on disk (a failed write's piece stays here too). */
  private readonly pending = new Map<number, Uint8Array>();
  /** Pieces waiting for a write slot, in the order they were put. */
  private readonly queue: number[] = [];
  private inFlight = 0;
  /** The first write behind that failed: every later put fails with it. */
  private failure: Error | null = null;
  /** When the watcher was last told that more pieces are on disk. */
  private lastNewsMs = performance.now();
  /** Called when the queue and the writes in flight are done (a close waits for it). */
  private onDrained: (() => void) | null = null;

  constructor(chunkLength: number, opts: ChunkStoreOptions = {}) {
    const infoHash = opts.torrent?.infoHash;
    if (infoHash === undefined || !/^[0-9a-f]{40}$/.test(infoHash)) {
      throw new Error('OpfsChunkStore needs the torrent (with its info-hash)');
    }
    this.chunkLength = chunkLength;
    this.infoHash = infoHash;
    this.writer = opts.writer ?? defaultWriter();
    this.lengthBytes = opts.length ?? Infinity;
    this.lastIndex = Math.ceil(this.lengthBytes / chunkLength) - 1;
    this.lastChunkLength = this.lengthBytes - this.lastIndex * chunkLength;
    const early = prepared.get(infoHash);
    prepared.delete(infoHash);
    const dir =
      early?.dir ??
      piecesRoot().then((root) => root.getDirectoryHandle(infoHash, { create: true }));
    this.dir = dir;
    this.present = early?.present ?? dir.then(listPieces);
    // Errors surface on the first put/get.
    this.present.catch(() => undefined);
    openStores.set(infoHash, this);
    leftUnwritten.delete(infoHash);
  }

  /**
   * Pieces of a torrent put in its store but not (yet) on disk: not to be counted as kept.
   * Once the store is closed (its writes done) these are the pieces whose write failed.
   */
  static unwritten(infoHash: string): ReadonlySet<number> {
    const open = openStores.get(infoHash);
    return open ? new Set(open.pending.keys()) : (leftUnwritten.get(infoHash) ?? new Set());
  }

  /**
   * Hears of a torrent's writes behind: `null` when more pieces are on disk than it was last
   * told of (at most every `WRITE_NEWS_MS` while writes land, and when they have caught up:
   * nothing put is left unwritten), an error when one failed. One watcher per torrent (a
   * later one replaces it); call the returned function to stop.
   */
  static watchWrites(infoHash: string, watcher: (err: Error | null) => void): () => void {
    writeWatchers.set(infoHash, watcher);
    return () => {
      if (writeWatchers.get(infoHash) === watcher) writeWatchers.delete(infoHash);
    };
  }

  /**
   * Opens and lists a torrent's folder before its store exists, for the next store made for
   * it: a magnet's store is made when its metadata arrives, and webtorrent then asks it for
   * every piece before the torrent is ready (each answered at once from the listing, once
   * there is one). Opening the folder while the metadata is fetched takes those browser
   * round trips off the stream's start.
   */
  static prepare(infoHash: string): void {
    if (prepared.has(infoHash)) return;
    const dir = piecesRoot().then((root) => root.getDirectoryHandle(infoHash, { create: true }));
    const present = dir.then(listPieces);
    // Errors surface on the store's first put/get, as they do for one opened later.
    present.then(
      (pieces) => {
        if (pieces.size === 0) emptyFolders.add(infoHash);
      },
      () => undefined,
    );
    prepared.set(infoHash, { dir, present });
  }

  /** Whether `prepare` found the torrent's folder empty (known only once it was listed). */
  static knownEmpty(infoHash: string): boolean {
    return emptyFolders.has(infoHash);
  }

  /** The pieces stored for a torrent (empty when it has none). */
  static async storedPieces(infoHash: string): Promise<Set<number>> {
    const root = await piecesRoot();
    try {
      return await listPieces(await root.getDirectoryHandle(infoHash));
    } catch (err) {
      if (err instanceof DOMException && err.name === 'NotFoundError') return new Set();
      throw err;
    }
  }

  /** A stored piece's bytes, or null when it is not on disk. */
  static async readStored(
    infoHash: string,
    index: number,
  ): Promise<Uint8Array<ArrayBuffer> | null> {
    try {
      const dir = await (await piecesRoot()).getDirectoryHandle(infoHash);
      const file = await (await dir.getFileHandle(String(index))).getFile();
      return new Uint8Array(await file.arrayBuffer());
    } catch (err) {
      if (err instanceof DOMException && err.name === 'NotFoundError') return null;
      throw err;
    }
  }

  /** Deletes the stored pieces of a torrent that is not open in any store. */
  static async destroyFor(infoHash: string): Promise<void> {
    const root = await piecesRoot();
    await root.removeEntry(infoHash, { recursive: true }).catch((err: unknown) => {
      if (!(err instanceof DOMException && err.name === 'NotFoundError')) throw err;
    });
  }

  /** The pieces this store holds (listed when it opened, then as they are written). */
  storedPieces(): Promise<ReadonlySet<number>> {
    return this.present;
  }

  private expectedLength(index: number): number {
    return index === this.lastIndex ? this.lastChunkLength : this.chunkLength;
  }

  /** Keeps a verified piece and answers at once; it is written behind (see above). */
  put(index: number, buf: Uint8Array, cb: Callback = () => undefined): void {
    const failed =
      this.closed || this.dir === null
        ? new Error('Storage is closed')
        : buf.byteLength !== this.expectedLength(index)
          ? new Error(`Chunk length must be ${String(this.expectedLength(index))}`)
          : this.failure;
    if (failed) {
      queueMicrotask(() => {
        cb(failed);
      });
      return;
    }
    if (!this.pending.has(index)) this.queue.push(index);
    this.pending.set(index, buf);
    emptyFolders.delete(this.infoHash);
    this.pump();
    queueMicrotask(() => {
      cb(null);
    });
  }

  private pump(): void {
    while (this.inFlight < WRITES_IN_FLIGHT && this.queue.length > 0) {
      const index = this.queue.shift() as number;
      const bytes = this.pending.get(index);
      if (!bytes) continue;
      this.inFlight++;
      this.write(
        index,
        bytes,
        (err) => {
          this.inFlight--;
          if (err) {
            this.failure ??= err;
            if (!this.closed) writeWatchers.get(this.infoHash)?.(err);
          } else if (this.pending.get(index) === bytes) {
            this.pending.delete(index);
          }
          this.pump();
          const caughtUp = this.inFlight === 0 && this.queue.length === 0;
          // News while writes land, not only at the end: a download outruns its writes
          // (a file created per piece) and a reload before they catch up kept only the
          // pieces known at the last news (bench: half of 16 MiB fetched again).
          const now = performance.now();
          if (
            !err &&
            !this.closed &&
            ((caughtUp && this.pending.size === 0) || now - this.lastNewsMs >= WRITE_NEWS_MS)
          ) {
            this.lastNewsMs = now;
            writeWatchers.get(this.infoHash)?.(null);
          }
          if (caughtUp) {
            const drained = this.onDrained;
            this.onDrained = null;
            drained?.();
          }
        },
        true,
      );
    }
  }

  /**
   * Writes a piece; `remember`: keep it in memory for the reads that follow (a piece just
   * verified is about to be streamed; one copied from the user's files is not).
   */
  write(index: number, buf: Uint8Array, cb: Callback, remember = false): void {
    if (this.closed || this.dir === null) {
      cb(new Error('Storage is closed'));
      return;
    }
    if (buf.byteLength !== this.expectedLength(index)) {
      cb(new Error(`Chunk length must be ${String(this.expectedLength(index))}`));
      return;
    }
    const dir = this.dir;
    void (async () => {
      const present = await this.present;
      // The folder exists (the writer would make it otherwise, but this store lists it).
      await dir;
      await this.writer.write([ROOT_DIR, this.infoHash], String(index), buf);
      present.add(index);
      emptyFolders.delete(this.infoHash);
      if (remember) this.remember(index, buf);
    })().then(
      () => {
        cb(null);
      },
      (err: unknown) => {
        cb(toError(err));
      },
    );
  }

  private remember(index: number, bytes: Uint8Array): void {
    if (this.closed) return;
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
    if (this.closed || this.dir === null) {
      done(new Error('Storage is closed'));
      return;
    }
    const dir = this.dir;
    const offset = opts?.offset ?? 0;
    const cached = this.pending.get(index) ?? this.recent.get(index);
    if (cached) {
      const end = opts?.length === undefined ? cached.byteLength : offset + opts.length;
      // A copy: the reader may hand its buffer on (transfer it to the service worker).
      const bytes = end <= cached.byteLength ? cached.slice(offset, end) : null;
      queueMicrotask(() => {
        if (bytes) done(null, bytes);
        else done(new Error(`Piece ${String(index)} is incomplete`));
      });
      return;
    }
    void (async () => {
      if (!(await this.present).has(index)) throw new Error(`Piece ${String(index)} is not stored`);
      const handle = this.handles.get(index) ?? (await (await dir).getFileHandle(String(index)));
      this.handles.set(index, handle);
      const file = await handle.getFile();
      const end = opts?.length === undefined ? file.size : offset + opts.length;
      if (file.size < end || file.size === 0)
        throw new Error(`Piece ${String(index)} is incomplete`);
      // The whole piece (what seeding and verifying ask for) needs no slice: a Blob slice
      // was a quarter of a seeding tab's main thread in the bench profiles.
      const whole = offset === 0 && end === file.size;
      return new Uint8Array(await (whole ? file : file.slice(offset, end)).arrayBuffer());
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
    if (this.inFlight === 0 && this.queue.length === 0) return Promise.resolve();
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
    void this.flush().then(() => {
      this.closed = true;
      this.dir = null;
      this.recent.clear();
      if (openStores.get(this.infoHash) === this && this.pending.size > 0) {
        leftUnwritten.set(this.infoHash, new Set(this.pending.keys()));
      }
      this.forget();
      cb(null);
    });
  }

  private forget(): void {
    if (openStores.get(this.infoHash) === this) openStores.delete(this.infoHash);
  }

  destroy(cb: Callback = () => undefined): void {
    this.closed = true;
    this.dir = null;
    this.recent.clear();
    this.queue.length = 0;
    this.pending.clear();
    leftUnwritten.delete(this.infoHash);
    this.forget();
    // A write still open would keep its file (and refuse the folder's removal).
    void this.flush().then(() => {
      OpfsChunkStore.destroyFor(this.infoHash).then(
        () => {
          cb(null);
        },
        (err: unknown) => {
          cb(toError(err));
        },
      );
    });
  }
}
