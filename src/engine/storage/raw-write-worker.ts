/// <reference lib="webworker" />
/**
 * The storage's physical limit, for write-probe.ts: one OPFS file written through a
 * synchronous access handle in a dedicated worker, sequentially at offsets, one chunk after
 * another with no flush between them (one at the end), then deleted. Nothing of Shoal's own
 * is in the way: what a store on this browser's OPFS could reach at best.
 */
import type { RawWriteAnswer, RawWriteRequest } from './write-probe.ts';

declare const self: DedicatedWorkerGlobalScope;

async function measure({ totalBytes, chunkBytes }: RawWriteRequest): Promise<number> {
  const root = await navigator.storage.getDirectory();
  const name = `shoal-raw-write-${crypto.randomUUID()}`;
  const file = await root.getFileHandle(name, { create: true });
  try {
    const handle = await file.createSyncAccessHandle();
    try {
      // getRandomValues fills at most 64 KiB a call.
      const chunk = new Uint8Array(chunkBytes);
      for (let at = 0; at < chunkBytes; at += 65536)
        crypto.getRandomValues(chunk.subarray(at, at + 65536));
      const startMs = performance.now();
      for (let at = 0; at < totalBytes; at += chunkBytes) {
        const part = chunk.subarray(0, Math.min(chunkBytes, totalBytes - at));
        if (handle.write(part, { at }) !== part.byteLength) throw new Error('A short write');
      }
      handle.flush();
      return performance.now() - startMs;
    } finally {
      handle.close();
    }
  } finally {
    await root.removeEntry(name);
  }
}

self.onmessage = (event: MessageEvent<RawWriteRequest>) => {
  measure(event.data).then(
    (ms) => {
      const answer: RawWriteAnswer = { bytes: event.data.totalBytes, ms };
      self.postMessage(answer);
    },
    (err: unknown) => {
      const answer: RawWriteAnswer = { error: err instanceof Error ? err.message : String(err) };
      self.postMessage(answer);
    },
  );
};
