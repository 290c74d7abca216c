/**
 * The page's side of the pack worker (pack-worker.ts): every store's reads and writes go
 * through one worker holding the torrents' packs open. Pieces put in the same task are sent
 * as one batch and answered once, so a download at full rate costs the main thread a few
 * messages a second, not a message and an answer per 16 KiB piece.
 */
import type { PackListing, PackPiece } from './pack.ts';
import { errorOf, type PackAnswer, type PackRequest, type PieceInRead } from './pack-protocol.ts';
import type { TorrentFiles } from './torrent-bytes.ts';
import { taskQueue } from '../../next-task.ts';

/** What a copy of a seed's files wrote: the pieces now on disk, and why not the others. */
export interface FilesCopied {
  readonly written: readonly number[];
  readonly failed: Error | null;
}

/** What a piece store needs of the disk (the worker's client, or a test's stand-in). */
export interface PieceBackend {
  /**
   * Its pieces live in the page's memory (memory-backend.ts), not on disk: nothing of the pack
   * worker or OPFS is touched for them, and none outlives the page.
   */
  readonly inMemory?: boolean;
  /** Opens a torrent's pack (made if missing, moved from the old layout once) and lists it. */
  open(key: string): Promise<PackListing>;
  /** Resolves once the piece is on disk. */
  write(key: string, index: number, bytes: Uint8Array): Promise<void>;
  read(
    key: string,
    index: number,
    offset: number,
    length: number | null,
  ): Promise<Uint8Array<ArrayBuffer>>;
  /** Bytes `[start, end)` of a seed's files, read where the disk is (off the main thread). */
  readFiles(
    key: string,
    files: TorrentFiles,
    start: number,
    end: number,
  ): Promise<Uint8Array<ArrayBuffer>>;
  /** Reads bytes `[start, end)` of a seed's files and writes `pieces` of them, as `write` does. */
  copyFiles(
    key: string,
    files: TorrentFiles,
    start: number,
    end: number,
    pieces: readonly PieceInRead[],
  ): Promise<FilesCopied>;
  /** Proves the unproven pieces that hashed right, and forgets those that did not. */
  settle(key: string, good: readonly number[], bad: readonly number[]): Promise<void>;
  /** Flushes and lets go of a torrent's pack. */
  close(key: string): Promise<void>;
  /** Deletes a torrent's pieces (in either layout). */
  remove(key: string): Promise<void>;
}

/** The browser cannot keep pieces on disk here (no worker, or no OPFS access handles). */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
  constructor(why: string) {
    super(`This browser cannot keep downloads on disk: ${why}`);
  }
}

type Distribute<T> = T extends unknown ? Omit<T, 'id'> : never;
type Body = Distribute<PackRequest>;

interface Waiter {
  readonly resolve: (answer: PackAnswer) => void;
  readonly reject: (err: Error) => void;
}

interface Batch {
  sent: boolean;
  readonly pieces: PackPiece[];
  readonly waiters: Map<number, { resolve: () => void; reject: (err: Error) => void }[]>;
}

function bytesOf(answer: PackAnswer): Uint8Array<ArrayBuffer> {
  if (!('bytes' in answer)) throw new Error('The pack worker answered a read without bytes');
  return answer.bytes;
}

export class WorkerBackend implements PieceBackend {
  private worker: Worker | null = null;
  private broken: Error | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter>();
  private readonly batches = new Map<string, Batch>();
  /** Each batch is sent in a task of its own (see `write`). */
  private readonly soon = taskQueue();

  constructor(private readonly make: () => Worker) {}

  open(key: string): Promise<PackListing> {
    return this.request({ op: 'open', key }).then((answer) => {
      if (!('listing' in answer))
        throw new Error('The pack worker answered an open without a listing');
      return answer.listing;
    });
  }

  write(key: string, index: number, bytes: Uint8Array): Promise<void> {
    let batch = this.batches.get(key);
    if (!batch) {
      const fresh: Batch = { sent: false, pieces: [], waiters: new Map() };
      batch = fresh;
      this.batches.set(key, fresh);
      // A task later: the pieces of every wire message already queued join the batch (more
      // of them the busier the page).
      this.soon(() => {
        this.send(key, fresh);
      });
    }
    // A copy of just these bytes is moved: the store keeps its own for reads until the write
    // lands, and a view's whole buffer would go with it.
    batch.pieces.push({ index, bytes: bytes.slice() });
    const waiters = batch.waiters;
    return new Promise((resolve, reject) => {
      const list = waiters.get(index) ?? [];
      list.push({ resolve, reject });
      waiters.set(index, list);
    });
  }

  private send(key: string, batch: Batch): void {
    if (batch.sent) return;
    batch.sent = true;
    if (this.batches.get(key) === batch) this.batches.delete(key);
    const settle = (written: ReadonlySet<number>, failure: Error) => {
      for (const [index, list] of batch.waiters)
        for (const waiter of list) {
          if (written.has(index)) waiter.resolve();
          else waiter.reject(failure);
        }
    };
    this.request(
      { op: 'write', key, pieces: batch.pieces },
      batch.pieces.map((piece) => piece.bytes.buffer as ArrayBuffer),
    ).then(
      (answer) => {
        if (!('written' in answer))
          throw new Error('The pack worker answered a write without a count');
        settle(
          new Set(answer.written),
          answer.failed ? errorOf(answer.failed) : new Error('The piece was not written'),
        );
      },
      (err: unknown) => {
        settle(new Set(), err instanceof Error ? err : new Error(String(err)));
      },
    );
  }

  read(
    key: string,
    index: number,
    offset: number,
    length: number | null,
  ): Promise<Uint8Array<ArrayBuffer>> {
    return this.request({ op: 'read', key, index, offset, length }).then(bytesOf);
  }

  readFiles(
    key: string,
    files: TorrentFiles,
    start: number,
    end: number,
  ): Promise<Uint8Array<ArrayBuffer>> {
    return this.request({ op: 'readFiles', key, files, start, end }).then(bytesOf);
  }

  copyFiles(
    key: string,
    files: TorrentFiles,
    start: number,
    end: number,
    pieces: readonly PieceInRead[],
  ): Promise<FilesCopied> {
    return this.request({ op: 'copyFiles', key, files, start, end, pieces }).then((answer) => {
      if (!('written' in answer))
        throw new Error('The pack worker answered a copy without a count');
      return {
        written: answer.written,
        failed: answer.failed ? errorOf(answer.failed) : null,
      };
    });
  }

  async settle(key: string, good: readonly number[], bad: readonly number[]): Promise<void> {
    await this.request({ op: 'settle', key, good, bad });
  }

  async close(key: string): Promise<void> {
    // The batch put last goes first: requests of one torrent are handled in order.
    const batch = this.batches.get(key);
    if (batch) this.send(key, batch);
    await this.request({ op: 'close', key });
  }

  async remove(key: string): Promise<void> {
    // Pieces not sent yet are dropped with the torrent (sent later, they would make it again).
    const batch = this.batches.get(key);
    this.batches.delete(key);
    if (batch) {
      batch.sent = true;
      const gone = new Error('The torrent was removed');
      for (const list of batch.waiters.values()) for (const waiter of list) waiter.reject(gone);
    }
    await this.request({ op: 'remove', key });
  }

  private request(body: Body, transfer: Transferable[] = []): Promise<PackAnswer> {
    const worker = this.started();
    if (!worker) return Promise.reject(this.broken ?? new StorageUnavailableError('no worker'));
    const id = this.nextId++;
    return new Promise<PackAnswer>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ ...body, id }, transfer);
    }).then((answer) => {
      if (answer.error) throw errorOf(answer.error);
      return answer;
    });
  }

  private started(): Worker | null {
    if (this.broken) return null;
    if (this.worker) return this.worker;
    try {
      const worker = this.make();
      worker.onmessage = (event: MessageEvent<PackAnswer>) => {
        const waiter = this.waiting.get(event.data.id);
        this.waiting.delete(event.data.id);
        waiter?.resolve(event.data);
      };
      // A worker that failed to load or broke: what it was asked fails, and all after.
      worker.onerror = (event) => {
        event.preventDefault();
        this.fail(new StorageUnavailableError(event.message || 'its storage worker failed'));
        worker.terminate();
      };
      this.worker = worker;
      return worker;
    } catch (err) {
      this.fail(new StorageUnavailableError(err instanceof Error ? err.message : String(err)));
      return null;
    }
  }

  private fail(err: Error): void {
    this.broken = err;
    this.worker = null;
    const waiters = [...this.waiting.values()];
    this.waiting.clear();
    for (const waiter of waiters) waiter.reject(err);
  }
}

let shared: PieceBackend | null = null;

/** The backend stores use unless told otherwise: one worker for the page. */
export function defaultBackend(): PieceBackend {
  shared ??= new WorkerBackend(
    () =>
      new Worker(new URL('./pack-worker.ts', import.meta.url), {
        type: 'module',
        name: 'shoal-pack',
      }),
  );
  return shared;
}
