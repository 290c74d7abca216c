/**
 * Seeding the user's files where they are (File System Access): a torrent shared from
 * picked file handles keeps the handles, not a copy in OPFS. After a reload the browser may
 * want the user to allow reading them again; a file that was moved, deleted or changed
 * stops the seeding with a message that says so, and no byte that no longer matches its
 * piece hash is served as verified.
 */
import parseTorrent from 'parse-torrent';
import type { SeedLayout } from '../policy/seed-layout.ts';
import { hashPieces, type SeedFiles } from './seed-files.ts';
import type { LinkedFile } from '../types.ts';

export type { LinkedFile };

/** The permission calls of a `FileSystemHandle` (Chromium; not in TypeScript's DOM lib). */
interface PermissionCalls {
  queryPermission?: (d: { mode: 'read' }) => Promise<PermissionState>;
  requestPermission?: (d: { mode: 'read' }) => Promise<PermissionState>;
}

/**
 * Whether every file may be read: 'granted', or the first answer that is not. `ask`: ask the
 * user (needs a click: call it from one), else only look.
 */
export async function readAccess(
  files: readonly LinkedFile[],
  ask: boolean,
): Promise<PermissionState> {
  const calls = files.map(({ handle }) => handle as FileSystemFileHandle & PermissionCalls);
  // A browser with handles but without the calls reads them without asking.
  const granted: PermissionState = 'granted';
  const states = await Promise.all(
    calls.map((h) => h.queryPermission?.call(h, { mode: 'read' }) ?? Promise.resolve(granted)),
  );
  for (const [i, handle] of calls.entries()) {
    if (states[i] === 'granted') continue;
    // Only those not granted are asked for, while the click that asked still counts.
    const state =
      ask && handle.requestPermission
        ? await handle.requestPermission.call(handle, { mode: 'read' })
        : (states[i] ?? 'prompt');
    if (state !== 'granted') return state;
  }
  return 'granted';
}

/** The handles of picked files, with what they held when shared (to notice a change). */
export function linkedFilesOf(
  files: readonly File[],
  handles: readonly FileSystemFileHandle[] | undefined,
): LinkedFile[] | null {
  if (!handles || handles.length !== files.length) return null;
  return handles.map((handle, i) => ({
    handle,
    lengthBytes: files[i]?.size ?? 0,
    lastModifiedMs: files[i]?.lastModified ?? 0,
  }));
}

/** A kept torrent's layout, for a store that reads its bytes from the user's files. */
export async function layoutOfTorrent(torrentFile: Uint8Array): Promise<{
  layout: SeedLayout;
  pieceHashes: Uint8Array;
}> {
  const parsed = await parseTorrent(torrentFile);
  const pieceHashes = new Uint8Array(parsed.pieces.length * 20);
  parsed.pieces.forEach((hex, i) => {
    for (let b = 0; b < 20; b++)
      pieceHashes[i * 20 + b] = parseInt(hex.slice(b * 2, b * 2 + 2), 16);
  });
  return {
    pieceHashes,
    layout: {
      name: parsed.name,
      singleFile: parsed.files.length === 1,
      files: parsed.files.map((file) => ({
        pathParts: file.path.split('/').slice(1),
        offsetBytes: file.offset,
        lengthBytes: file.length,
      })),
      lengthBytes: parsed.length,
      pieceLengthBytes: parsed.pieceLength,
      pieceCount: parsed.pieces.length,
    },
  };
}

const nameOf = (layout: SeedLayout, index: number): string =>
  layout.files[index]?.pathParts.join('/') || layout.name;

export type Opened =
  | { readonly ok: true; readonly files: SeedFiles; readonly linked: LinkedFile[] }
  | { readonly ok: false; readonly message: string };

/**
 * The user's files again, as they are now, checked against the torrent: a file with another
 * size, or gone, is a problem; a file touched since (another modification time) has its
 * pieces hashed again, and must still match. Read access must be granted already.
 */
export async function openLinked(
  linked: readonly LinkedFile[],
  torrentFile: Uint8Array,
): Promise<Opened> {
  const { layout, pieceHashes } = await layoutOfTorrent(torrentFile);
  if (linked.length !== layout.files.length) {
    return { ok: false, message: 'The shared files no longer match this torrent.' };
  }
  const blobs: File[] = [];
  const touched: number[] = [];
  for (const [i, kept] of linked.entries()) {
    let file: File;
    try {
      file = await kept.handle.getFile();
    } catch {
      return {
        ok: false,
        message: `"${nameOf(layout, i)}" was moved or deleted since you shared it, so it cannot be seeded from your files. Share it again, or remove this torrent.`,
      };
    }
    if (file.size !== layout.files[i]?.lengthBytes) {
      return { ok: false, message: changedMessage(nameOf(layout, i)) };
    }
    if (file.lastModified !== kept.lastModifiedMs) touched.push(i);
    blobs.push(file);
  }
  const files: SeedFiles = { layout, blobs };
  for (const i of touched) {
    if (!(await fileStillMatches(files, i, pieceHashes))) {
      return { ok: false, message: changedMessage(nameOf(layout, i)) };
    }
  }
  return {
    ok: true,
    files,
    linked: linked.map((kept, i) => ({ ...kept, lastModifiedMs: blobs[i]?.lastModified ?? 0 })),
  };
}

const changedMessage = (name: string): string =>
  `"${name}" changed since you shared it: its pieces no longer match the torrent, so Shoal stopped seeding it. Share the file again for a new link, or remove this torrent.`;

/** Whether every piece the file lies in still hashes as the torrent says. */
async function fileStillMatches(
  files: SeedFiles,
  index: number,
  pieceHashes: Uint8Array,
): Promise<boolean> {
  const { layout } = files;
  const file = layout.files[index];
  if (!file || file.lengthBytes === 0) return true;
  const first = Math.floor(file.offsetBytes / layout.pieceLengthBytes);
  const end = Math.floor((file.offsetBytes + file.lengthBytes - 1) / layout.pieceLengthBytes) + 1;
  const hashes = await hashPieces(files, { pieces: { first, end } });
  for (let at = first * 20; at < end * 20; at++) {
    if (hashes[at] !== pieceHashes[at]) return false;
  }
  return true;
}

/** What a torrent seeded from the user's files says while it may not read them. */
export const needsAccessWarning = (name: string, state: PermissionState): string =>
  state === 'denied'
    ? `Shoal may not read the files of "${name}": allow access to seed it again from your files.`
    : `Seeding "${name}" from your files needs your permission again: allow access to go on.`;

export type Reopened =
  Opened | { readonly ok: false; readonly needsAccess: true; readonly message: string };

/**
 * A torrent seeded in place, after a reload or a click on "Allow access": its files, once
 * the browser lets them be read (`ask`: ask the user, from a click) and they still match.
 */
export async function reopenInPlace(
  linked: readonly LinkedFile[],
  torrentFile: Uint8Array,
  name: string,
  ask: boolean,
): Promise<Reopened> {
  const access = await readAccess(linked, ask).catch((): PermissionState => 'prompt');
  if (access !== 'granted') {
    return { ok: false, needsAccess: true, message: needsAccessWarning(name, access) };
  }
  return openLinked(linked, torrentFile);
}
