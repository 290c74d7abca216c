import { filesOfHandles, type PickedFiles } from './pick-files.ts';

/** Chromium's handle of a dropped item (File System Access; not in TypeScript's DOM lib). */
type HandleOfItem = (this: DataTransferItem) => Promise<FileSystemHandle | null>;

/**
 * Files (with their folder paths) from a drop, walking dropped folders; with their handles
 * where the browser gives them, so that they are seeded where they are. Call it from the
 * drop event itself: the items can be read only then.
 */
export async function filesFromDrop(data: DataTransfer): Promise<PickedFiles> {
  const items = [...data.items].filter((item) => item.kind === 'file');
  const handleOf = (DataTransferItem.prototype as { getAsFileSystemHandle?: HandleOfItem })
    .getAsFileSystemHandle;
  // Both asked for at once: neither can be once the event is over.
  const handles = handleOf ? items.map((item) => handleOf.call(item).catch(() => null)) : [];
  const entries = items
    .map((item) => item.webkitGetAsEntry())
    .filter((entry): entry is FileSystemEntry => entry !== null);
  // Nor can the files list, once it is over.
  const dropped = [...data.files];
  const got = await Promise.all(handles);
  // A drop a page made (no file system behind it) resolves to nothing, not to null.
  const real = got.filter((handle) => handle instanceof FileSystemHandle);
  if (real.length > 0 && real.length === items.length) return filesOfHandles(real);
  if (entries.length === 0) return { files: dropped };
  const files: File[] = [];
  for (const entry of entries) files.push(...(await walk(entry)));
  return { files };
}

async function walk(entry: FileSystemEntry): Promise<File[]> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => {
      (entry as FileSystemFileEntry).file(resolve, reject);
    });
    // create-torrent keeps folder structure from `fullPath`.
    Object.defineProperty(file, 'fullPath', { value: entry.fullPath });
    return [file];
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => {
      reader.readEntries(resolve, reject);
    });
    if (batch.length === 0) break;
    children.push(...batch);
  }
  const nested = await Promise.all(children.map(walk));
  return nested.flat();
}

/** `.torrent` files are opened; anything else dropped is shared. */
export function isTorrentFile(file: File): boolean {
  return /\.torrent$/i.test(file.name) || file.type === 'application/x-bittorrent';
}
