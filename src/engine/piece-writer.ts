/**
 * Where a piece store's writes go.
 *
 * A piece written from the page costs four browser round trips on its main thread (open the
 * file, create a writable with its swap file, write, close) and a task for each. A viewer
 * writes every piece it downloads, a seeder copies every piece of the files it shares, and
 * those tasks delayed the messages a stream waited for: in bench traces a seeder copying a
 * 23 MB video into OPFS answered a viewer's first requests and its seek 50–100 ms late
 * (`npm run bench -- --only stream`: add → playing 0.29 s with the copy running, 0.20 s
 * without). The worker writer (piece-writer-worker.ts) writes each piece in a dedicated
 * worker with a synchronous access handle; the page posts the bytes and hears back once.
 * Where no worker can be made, the page writes them itself.
 */
import { openFolder, writePieceFile } from './piece-file.ts';

export interface PieceWriter {
  /** Writes `bytes` as file `name` in the OPFS folder `path` (made if missing). */
  write(path: readonly string[], name: string, bytes: Uint8Array): Promise<void>;
}

/** Page → worker. */
export interface WriteRequest {
  readonly id: number;
  readonly path: readonly string[];
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Worker → page. */
export interface WriteAnswer {
  readonly id: number;
  readonly error: { readonly name: string; readonly message: string } | null;
}

/** Writes from the page's own thread (a writable per piece). */
export const pageWriter: PieceWriter = {
  async write(path, name, bytes) {
    await writePieceFile(await openFolder(path), name, async (handle) => {
      const writable = await handle.createWritable();
      try {
        await writable.write(bytes as Uint8Array<ArrayBuffer>);
        await writable.close();
      } catch (err) {
        await writable.abort().catch(() => undefined);
        throw err;
      }
    });
  },
};

/** The worker's error as the page would have seen it (a quota error stays one). */
export function errorOf(answer: NonNullable<WriteAnswer['error']>): Error {
  return new DOMException(answer.message, answer.name);
}

/** Writes in a dedicated worker; falls back to the page if the worker cannot start. */
export class WorkerWriter implements PieceWriter {
  private worker: Worker | null = null;
  private failed = false;
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    {
      readonly path: readonly string[];
      readonly name: string;
      readonly bytes: Uint8Array;
      readonly resolve: () => void;
      readonly reject: (e: Error) => void;
    }
  >();

  constructor(private readonly make: () => Worker) {}

  write(path: readonly string[], name: string, bytes: Uint8Array): Promise<void> {
    const worker = this.started();
    if (!worker) return pageWriter.write(path, name, bytes);
    const id = this.nextId++;
    // A copy of just these bytes, handed over: the store keeps its own for reads until the
    // write lands, and a view's whole buffer (a 4 MiB read of the files, for a copied piece)
    // would be cloned with it.
    const own = bytes.slice();
    const request: WriteRequest = { id, path, name, bytes: own };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { path, name, bytes, resolve, reject });
      worker.postMessage(request, [own.buffer]);
    });
  }

  private started(): Worker | null {
    if (this.failed) return null;
    if (this.worker) return this.worker;
    try {
      const worker = this.make();
      worker.onmessage = (event: MessageEvent<WriteAnswer>) => {
        const { id, error } = event.data;
        const waiter = this.waiting.get(id);
        this.waiting.delete(id);
        if (error) waiter?.reject(errorOf(error));
        else waiter?.resolve();
      };
      // A worker that failed to load or broke: the page writes what it was asked, and all after.
      worker.onerror = (event) => {
        event.preventDefault();
        this.failed = true;
        this.worker = null;
        worker.terminate();
        const waiters = [...this.waiting.values()];
        this.waiting.clear();
        for (const waiter of waiters)
          pageWriter
            .write(waiter.path, waiter.name, waiter.bytes)
            .then(waiter.resolve, waiter.reject);
      };
      this.worker = worker;
      return worker;
    } catch {
      this.failed = true;
      return null;
    }
  }
}

let shared: PieceWriter | null = null;

/** The writer stores use unless told otherwise: the worker, where the browser has one. */
export function defaultWriter(): PieceWriter {
  shared ??=
    typeof Worker === 'function'
      ? new WorkerWriter(
          () =>
            new Worker(new URL('./piece-writer-worker.ts', import.meta.url), {
              type: 'module',
              name: 'shoal-piece-writer',
            }),
        )
      : pageWriter;
  return shared;
}
