/// <reference lib="webworker" />
/**
 * Holds every open torrent's pack (pack.ts) in a dedicated worker, the only place OPFS
 * synchronous access handles may be opened: writes, reads, checkpoints and removal all
 * happen here, off the page's main thread, one torrent's requests in the order they came.
 * A seed's picked files are read here too (each read of a file is a synchronous trip to the
 * browser's blob registry, ~0.5 ms, and a copy of the bytes: the page pays neither).
 */
import { Pack, type PackPiece } from './pack.ts';
import {
  LEGACY_DIR,
  PACK_DIR,
  packErrorOf,
  type PackAnswer,
  type PackError,
  type PackRequest,
} from './pack-protocol.ts';
import { readTorrentBytes } from './torrent-bytes.ts';
import { drained, taskQueue } from '../../next-task.ts';

declare const self: DedicatedWorkerGlobalScope;

/** Data written is flushed and marked proven this long after the first unproven write. */
const CHECKPOINT_MS = 1000;
/**
 * A reload's new worker may find the old page's handles still open for a moment (they close
 * when that worker ends): opening is tried again this often, for this long.
 */
const LOCKED_RETRY_MS = 50;
const LOCKED_GIVE_UP_MS = 5000;

interface Open {
  readonly pack: Pack;
  readonly handles: readonly FileSystemSyncAccessHandle[];
  checkpointTimer: ReturnType<typeof setTimeout> | null;
}

type WriteRequest = Extract<PackRequest, { op: 'write' }>;

const packs = new Map<string, Promise<Open>>();
/** Each torrent's requests, one after another. */
const queues = new Map<string, Promise<unknown>>();

const sleep = (ms: number) =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

async function root(): Promise<FileSystemDirectoryHandle> {
  return navigator.storage.getDirectory();
}

async function accessHandle(
  dir: FileSystemDirectoryHandle,
  name: string,
): Promise<FileSystemSyncAccessHandle> {
  const file = await dir.getFileHandle(name, { create: true });
  const started = performance.now();
  for (;;) {
    try {
      return await file.createSyncAccessHandle();
    } catch (err) {
      const locked = err instanceof DOMException && err.name === 'NoModificationAllowedError';
      if (!locked || performance.now() - started > LOCKED_GIVE_UP_MS) throw err;
      await sleep(LOCKED_RETRY_MS);
    }
  }
}

async function legacyFolder(key: string): Promise<FileSystemDirectoryHandle | null> {
  try {
    return await (await (await root()).getDirectoryHandle(LEGACY_DIR)).getDirectoryHandle(key);
  } catch (err) {
    if (err instanceof DOMException && err.name === 'NotFoundError') return null;
    throw err;
  }
}

/**
 * Moves a torrent kept in the file-per-piece layout into its pack, once: each piece is
 * appended unproven (a file of that layout could be torn by a crash), so the next restore
 * hashes it before trusting it. The old folder goes once its pieces are in.
 */
async function migrate(key: string, pack: Pack): Promise<void> {
  const old = await legacyFolder(key);
  if (!old) return;
  for await (const [name, handle] of old.entries()) {
    if (!/^\d+$/.test(name) || handle.kind !== 'file' || pack.has(Number(name))) continue;
    const bytes = new Uint8Array(await (await handle.getFile()).arrayBuffer());
    if (bytes.byteLength === 0) continue;
    // Unproven: a restore proves each after hashing it (settle).
    const { error } = pack.write([{ index: Number(name), bytes }], false);
    if (error) throw error;
  }
  await (await root()).getDirectoryHandle(LEGACY_DIR).then(
    (dir) => dir.removeEntry(key, { recursive: true }),
    () => undefined,
  );
}

async function openPack(key: string): Promise<Open> {
  const dir = await (
    await (await root()).getDirectoryHandle(PACK_DIR, { create: true })
  ).getDirectoryHandle(key, { create: true });
  const data = await accessHandle(dir, 'data');
  let index: FileSystemSyncAccessHandle;
  try {
    index = await accessHandle(dir, 'index');
  } catch (err) {
    data.close();
    throw err;
  }
  const open: Open = {
    pack: Pack.open(data, index),
    handles: [data, index],
    checkpointTimer: null,
  };
  try {
    await migrate(key, open.pack);
  } catch (err) {
    closeHandles(open);
    throw err;
  }
  return open;
}

function opened(key: string): Promise<Open> {
  let open = packs.get(key);
  if (!open) {
    open = openPack(key);
    // A pack that failed to open is tried afresh next time.
    open.catch(() => {
      if (packs.get(key) === open) packs.delete(key);
    });
    packs.set(key, open);
  }
  return open;
}

function closeHandles(open: Open): void {
  if (open.checkpointTimer !== null) clearTimeout(open.checkpointTimer);
  open.checkpointTimer = null;
  for (const handle of open.handles) handle.close();
}

function scheduleCheckpoint(open: Open): void {
  if (open.checkpointTimer !== null || !open.pack.dirty) return;
  open.checkpointTimer = setTimeout(() => {
    open.checkpointTimer = null;
    try {
      open.pack.checkpoint();
    } catch {
      // Left unproven: the next restore hashes those pieces.
    }
  }, CHECKPOINT_MS);
}

async function close(key: string): Promise<void> {
  const open = packs.get(key);
  if (!open) return;
  packs.delete(key);
  const pack = await open.catch(() => null);
  if (!pack) return;
  try {
    pack.pack.checkpoint();
  } finally {
    closeHandles(pack);
  }
}

async function remove(key: string): Promise<void> {
  const open = packs.get(key);
  packs.delete(key);
  const pack = await open?.catch(() => null);
  if (pack) closeHandles(pack);
  const top = await root();
  for (const folder of [PACK_DIR, LEGACY_DIR]) {
    await top
      .getDirectoryHandle(folder)
      .then((dir) => dir.removeEntry(key, { recursive: true }))
      .catch((err: unknown) => {
        if (!(err instanceof DOMException && err.name === 'NotFoundError')) throw err;
      });
  }
}

/** Writes pieces to the torrent's pack, its checkpoint due after them. */
async function writePieces(
  key: string,
  pieces: readonly PackPiece[],
): Promise<{ written: number[]; failed: PackError | null }> {
  const open = await opened(key);
  const { written, error } = open.pack.write(pieces);
  scheduleCheckpoint(open);
  return { written, failed: error ? packErrorOf(error) : null };
}

async function handle(request: Exclude<PackRequest, WriteRequest>): Promise<PackAnswer> {
  const { id, key } = request;
  switch (request.op) {
    case 'open':
      return { id, error: null, listing: (await opened(key)).pack.listing() };
    case 'read': {
      const bytes = (await opened(key)).pack.read(request.index, request.offset, request.length);
      return { id, error: null, bytes };
    }
    case 'readFiles':
      return {
        id,
        error: null,
        bytes: await readTorrentBytes(request.files, request.start, request.end),
      };
    case 'copyFiles': {
      const read = await readTorrentBytes(request.files, request.start, request.end);
      const { written, failed } = await writePieces(
        key,
        request.pieces.map(({ index, at, length }) => ({
          index,
          bytes: read.subarray(at, at + length),
        })),
      );
      return { id, error: null, written, failed };
    }
    case 'settle':
      (await opened(key)).pack.settle(request.good, request.bad);
      return { id, error: null };
    case 'close':
      await close(key);
      return { id, error: null };
    case 'remove':
      await remove(key);
      return { id, error: null };
  }
}

/** Each torrent's writes that came while it was busy, to be written as one (see below). */
const openWrites = new Map<string, WriteRequest[]>();
/** Runs behind the messages already waiting for this worker. */
const later = taskQueue();

/**
 * The writes that came for a torrent before its turn, in one write to the pack: one data
 * write and one index write however many batches there are (under OPFS each write is a call
 * into the browser, and in an off-the-record profile a round trip to it, ~5 ms whatever its
 * size: at a 128 MiB download's rate the worker spent most of its time in those calls, the
 * writes queued behind each other and a piece waited ~120 ms to be on disk).
 */
async function writeTogether(
  key: string,
  requests: readonly WriteRequest[],
): Promise<PackAnswer[]> {
  const { written, failed } = await writePieces(
    key,
    requests.flatMap((request) => request.pieces),
  );
  const done = new Set(written);
  return requests.map((request) => ({
    id: request.id,
    error: null,
    written: request.pieces.map((piece) => piece.index).filter((index) => done.has(index)),
    failed,
  }));
}

/** Runs `work` after the torrent's requests before it, and sends its answers. */
function enqueue(
  key: string,
  ids: () => readonly number[],
  work: () => Promise<PackAnswer[]>,
): void {
  const before = queues.get(key) ?? Promise.resolve();
  const done = before.then(work).then(
    (answers) => {
      for (const answer of answers) {
        const transfer = 'bytes' in answer ? [answer.bytes.buffer] : [];
        self.postMessage(answer, transfer);
      }
    },
    (err: unknown) => {
      for (const id of ids()) {
        const answer: PackAnswer = { id, error: packErrorOf(err) };
        self.postMessage(answer);
      }
    },
  );
  queues.set(key, done);
  void done.then(() => {
    if (queues.get(key) === done) queues.delete(key);
  });
}

self.onmessage = (event: MessageEvent<PackRequest>) => {
  const request = event.data;
  const { key } = request;
  if (request.op !== 'write') {
    // Writes after this request wait for it: they are not joined to those before it.
    openWrites.delete(key);
    enqueue(
      key,
      () => [request.id],
      async () => [await handle(request)],
    );
    return;
  }
  const joining = openWrites.get(key);
  if (joining) {
    joining.push(request);
    return;
  }
  const group = [request];
  openWrites.set(key, group);
  enqueue(
    key,
    () => group.map((r) => r.id),
    async () => {
      // The writes already waiting for this worker are received (and joined) first.
      await drained(later);
      if (openWrites.get(key) === group) openWrites.delete(key);
      return writeTogether(key, group);
    },
  );
};
