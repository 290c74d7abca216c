/**
 * One piece's OPFS file, shared by the page's writer (piece-writer.ts) and the worker's
 * (piece-writer-worker.ts): the folder lookup, and a write that leaves no new file behind
 * when it fails (a reload would list it as a piece held).
 */

/** The OPFS folder at `path`, made where missing. */
export async function openFolder(path: readonly string[]): Promise<FileSystemDirectoryHandle> {
  let at = await navigator.storage.getDirectory();
  for (const name of path) at = await at.getDirectoryHandle(name, { create: true });
  return at;
}

/**
 * Opens (or creates) file `name` in `dir` and hands it to `put`; if `put` fails, a file that
 * was not there before is removed again and the error passes on.
 */
export async function writePieceFile(
  dir: FileSystemDirectoryHandle,
  name: string,
  put: (handle: FileSystemFileHandle) => Promise<void>,
): Promise<void> {
  const [handle, existed] = await dir.getFileHandle(name).then(
    (found) => [found, true] as const,
    async (err: unknown) => {
      if (!(err instanceof DOMException && err.name === 'NotFoundError')) throw err;
      return [await dir.getFileHandle(name, { create: true }), false] as const;
    },
  );
  try {
    await put(handle);
  } catch (err) {
    if (!existed) await dir.removeEntry(name).catch(() => undefined);
    throw err;
  }
}
