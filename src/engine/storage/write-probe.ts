/**
 * Probes of the piece storage's write rate, for `npm run bench` (bench/storage.ts) and the
 * curious, reached through `window.shoal.probes()` (loaded on demand, never at start):
 *
 * - `storeWriteRate`: a real store (opfs-chunk-store.ts) on a throwaway info-hash, given the
 *   pieces as webtorrent gives them (`put` after `put`, each as its predecessor is answered),
 *   until `flush` says they are all on disk; then the pack is deleted.
 * - `rawWriteRate`: the limit, one file written through a sync access handle in a worker of
 *   its own (raw-write-worker.ts).
 * - `writeLag`: how far behind the network the disk has been in this page (put → on disk).
 */
import { OpfsChunkStore, writeLag } from './opfs-chunk-store.ts';
import { storeRegistry } from './store-registry.ts';

export { writeLag };

/** Bytes written and the milliseconds they took. */
export interface WriteRate {
  readonly bytes: number;
  readonly ms: number;
}

export interface RawWriteRequest {
  readonly totalBytes: number;
  readonly chunkBytes: number;
}

export type RawWriteAnswer = WriteRate | { readonly error: string };

const randomBytes = (length: number): Uint8Array => {
  const bytes = new Uint8Array(length);
  // getRandomValues fills at most 64 KiB a call.
  for (let at = 0; at < length; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return bytes;
};

const throwawayInfoHash = (): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(20)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');

/**
 * Writes `totalBytes` of random pieces of `pieceBytes` through a new store and times the
 * puts and the flush (the pack is opened, and the pieces made, before the clock starts).
 * The page's `writeLag` is left as it was: these pieces are not a download's.
 */
export async function storeWriteRate(totalBytes: number, pieceBytes: number): Promise<WriteRate> {
  const count = Math.ceil(totalBytes / pieceBytes);
  const pieces = Array.from({ length: count }, (_, i) =>
    randomBytes(Math.min(pieceBytes, totalBytes - i * pieceBytes)),
  );
  const infoHash = throwawayInfoHash();
  const lagBefore = { ...writeLag };
  const store = new OpfsChunkStore(pieceBytes, { length: totalBytes, torrent: { infoHash } });
  try {
    await store.storedPieces();
    const startMs = performance.now();
    for (const [index, piece] of pieces.entries()) {
      await new Promise<void>((resolve, reject) => {
        store.put(index, piece, (err) => {
          if (err) reject(err);
          else resolve();
        });
      });
    }
    await store.flush();
    const ms = performance.now() - startMs;
    const unwritten = storeRegistry.unwritten(infoHash).size;
    if (unwritten > 0) throw new Error(`${String(unwritten)} pieces were not written`);
    return { bytes: totalBytes, ms };
  } finally {
    Object.assign(writeLag, lagBefore);
    await new Promise<void>((resolve, reject) => {
      store.destroy((err) => {
        if (err) reject(err);
        else resolve();
      });
    });
  }
}

/** The limit: `totalBytes` written to one OPFS file in `chunkBytes` chunks, in a worker. */
export function rawWriteRate(totalBytes: number, chunkBytes: number): Promise<WriteRate> {
  const worker = new Worker(new URL('./raw-write-worker.ts', import.meta.url), {
    type: 'module',
    name: 'shoal-raw-write',
  });
  return new Promise<WriteRate>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<RawWriteAnswer>) => {
      const answer = event.data;
      if ('error' in answer) reject(new Error(answer.error));
      else resolve(answer);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(event.message || 'The raw write worker failed'));
    };
    const request: RawWriteRequest = { totalBytes, chunkBytes };
    worker.postMessage(request);
  }).finally(() => {
    worker.terminate();
  });
}
