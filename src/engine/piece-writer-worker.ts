/// <reference lib="webworker" />
/**
 * Writes pieces into OPFS off the page's main thread (see piece-writer.ts): each with a
 * synchronous access handle, which only a dedicated worker may open. One message per piece,
 * answered once the piece is on disk or failed.
 */
import { openFolder, writePieceFile } from './piece-file.ts';
import type { WriteAnswer, WriteRequest } from './piece-writer.ts';

declare const self: DedicatedWorkerGlobalScope;

const folders = new Map<string, Promise<FileSystemDirectoryHandle>>();

function folder(path: readonly string[]): Promise<FileSystemDirectoryHandle> {
  const key = path.join('/');
  let dir = folders.get(key);
  if (!dir) {
    dir = openFolder(path);
    // A folder removed (the torrent deleted) is looked up again next time.
    dir.catch(() => folders.delete(key));
    folders.set(key, dir);
  }
  return dir;
}

async function write(request: WriteRequest): Promise<void> {
  const key = request.path.join('/');
  const cached = folders.has(key);
  try {
    await writeOnce(request);
  } catch (err) {
    folders.delete(key);
    // A folder looked up before may have been removed (and made again) since: once more.
    if (!cached) throw err;
    await writeOnce(request);
  }
}

async function writeOnce({ path, name, bytes }: WriteRequest): Promise<void> {
  await writePieceFile(await folder(path), name, async (handle) => {
    const access = await handle.createSyncAccessHandle();
    try {
      const written = access.write(bytes, { at: 0 });
      // Chromium writes what fits in the site's quota and says how much: a short write is a
      // full disk (the page's writable throws QuotaExceededError for the same write).
      if (written !== bytes.byteLength)
        throw new DOMException(`Piece file ${name}: storage full`, 'QuotaExceededError');
      access.truncate(bytes.byteLength);
      // No flush: close() persists the file, and a flush per piece is a disk sync each.
    } finally {
      access.close();
    }
  });
}

self.onmessage = (event: MessageEvent<WriteRequest>) => {
  const request = event.data;
  write(request).then(
    () => {
      const answer: WriteAnswer = { id: request.id, error: null };
      self.postMessage(answer);
    },
    (err: unknown) => {
      const answer: WriteAnswer = {
        id: request.id,
        error: {
          name: err instanceof Error ? err.name : 'Error',
          message: err instanceof Error ? err.message : String(err),
        },
      };
      self.postMessage(answer);
    },
  );
};
