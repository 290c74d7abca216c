import type { FileReadable } from '../engine/types.ts';

interface SaveFilePickerWindow {
  showSaveFilePicker?: (options: { suggestedName?: string }) => Promise<FileSystemFileHandle>;
}

export type SaveOutcome = 'saved' | 'downloaded' | 'cancelled';

/**
 * Saves a file to disk: through the File System Access picker where the browser has one
 * (streamed, so a large file never sits in memory), otherwise as a download.
 */
export async function saveFile(file: FileReadable, win: Window = window): Promise<SaveOutcome> {
  const picker = (win as SaveFilePickerWindow).showSaveFilePicker;
  if (picker) {
    let handle: FileSystemFileHandle;
    try {
      handle = await picker.call(win, { suggestedName: file.name });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') return 'cancelled';
      throw err;
    }
    const writable = await handle.createWritable();
    await file.stream().pipeTo(writable);
    return 'saved';
  }
  const blob = await new Response(file.stream()).blob();
  const url = URL.createObjectURL(new Blob([blob], { type: file.mimeType }));
  const link = win.document.createElement('a');
  link.href = url;
  link.download = file.name;
  link.rel = 'noopener';
  win.document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 60_000);
  return 'downloaded';
}
