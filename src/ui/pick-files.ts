/**
 * Files to share, with their File System Access handles where the browser has them
 * (Chromium: its file and folder pickers, and drops): a torrent made of them is seeded
 * where the files are, without a copy. Elsewhere the files come without handles.
 */

export interface PickedFiles {
  readonly files: File[];
  /** One per file, in the same order; absent when the browser gave no handles. */
  readonly handles?: FileSystemFileHandle[];
}

/** The pickers of File System Access (not in TypeScript's DOM lib). */
interface Pickers {
  showOpenFilePicker?: (options?: { multiple?: boolean }) => Promise<FileSystemFileHandle[]>;
  showDirectoryPicker?: (options?: { mode?: 'read' }) => Promise<FileSystemDirectoryHandle>;
}

const pickers = (): Pickers => window as unknown as Pickers;

/** Whether "Share files…" and "Share a folder…" can give handles. */
export const canPickInPlace = (): boolean =>
  typeof pickers().showOpenFilePicker === 'function' &&
  typeof pickers().showDirectoryPicker === 'function';

/** A file with the path it has in a picked or dropped folder (create-torrent's `fullPath`). */
function withPath(file: File, fullPath: string | null): File {
  if (fullPath !== null) Object.defineProperty(file, 'fullPath', { value: fullPath });
  return file;
}

const isAbort = (err: unknown): boolean => err instanceof DOMException && err.name === 'AbortError';

/** Files of the picker; null when the user closed it without picking. */
export async function pickFilesInPlace(): Promise<PickedFiles | null> {
  try {
    const handles = (await pickers().showOpenFilePicker?.({ multiple: true })) ?? [];
    return handles.length === 0 ? null : await filesOfHandles(handles);
  } catch (err) {
    if (isAbort(err)) return null;
    throw err;
  }
}

/** A folder of the picker, every file in it; null when the user closed it. */
export async function pickFolderInPlace(): Promise<PickedFiles | null> {
  try {
    const folder = await pickers().showDirectoryPicker?.({ mode: 'read' });
    return folder ? await filesOfHandles([folder]) : null;
  } catch (err) {
    if (isAbort(err)) return null;
    throw err;
  }
}

/**
 * The files of file and folder handles, folders walked (in name order, so the same folder
 * gives the same torrent), each file beside its handle.
 */
export async function filesOfHandles(roots: readonly FileSystemHandle[]): Promise<PickedFiles> {
  const files: File[] = [];
  const handles: FileSystemFileHandle[] = [];
  const walk = async (handle: FileSystemHandle, folderPath: string | null): Promise<void> => {
    if (handle.kind === 'file') {
      const fileHandle = handle as FileSystemFileHandle;
      const path = folderPath === null ? null : `${folderPath}/${handle.name}`;
      files.push(withPath(await fileHandle.getFile(), path));
      handles.push(fileHandle);
      return;
    }
    const children: FileSystemHandle[] = [];
    for await (const child of (handle as FileSystemDirectoryHandle).values()) children.push(child);
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) await walk(child, `${folderPath ?? ''}/${handle.name}`);
  };
  for (const root of roots) await walk(root, null);
  return { files, handles };
}
