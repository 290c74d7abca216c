/** Files (with their folder paths) from a drop, walking dropped folders. */
export async function filesFromDrop(data: DataTransfer): Promise<File[]> {
  const entries = [...data.items]
    .map((item) => (item.kind === 'file' ? item.webkitGetAsEntry() : null))
    .filter((entry): entry is FileSystemEntry => entry !== null);
  if (entries.length === 0) return [...data.files];
  const files: File[] = [];
  for (const entry of entries) files.push(...(await walk(entry)));
  return files;
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
