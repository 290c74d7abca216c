/**
 * Each torrent's piece store (opfs-chunk-store.ts) seen from outside it, by info-hash: its
 * pack opened ahead of the store (`prepare`, `knownEmpty`), the pieces put but not yet on
 * disk (`unwritten`) and who hears of its writes behind (`watchWrites`), and what is stored
 * for a torrent whether or not a store is open (`stored`, `storedPieces`, `settle`,
 * `readStored`, `destroyFor`). webtorrent makes and drops the stores; the engine asks here.
 *
 * The store itself reports to the registry through the functions below the object
 * (`storeOpened`, `storeClosed`, …): nothing but opfs-chunk-store.ts calls them.
 */
import { defaultBackend, type PieceBackend } from './pack-client.ts';
import type { PackListing } from './pack.ts';

/** How often a torrent's watcher hears that more of its pieces are on disk, at most. */
export const WRITE_NEWS_MS = 250;

/** Packs opened and listed ahead of their store, by info-hash (see `prepare`). */
const prepared = new Map<string, Promise<Set<number>>>();
/** Prepared packs listed empty (until a store of theirs writes a piece). */
const emptyFolders = new Set<string>();
/**
 * The open store of each torrent (for `unwritten`), as its map of pieces put and not yet on
 * disk: the map is the store's own, so it also tells which store is the open one.
 */
const openStores = new Map<string, ReadonlyMap<number, unknown>>();
/** Pieces a closed store was given but could not write (its writes behind failed). */
const leftUnwritten = new Map<string, ReadonlySet<number>>();
/** Who hears of each torrent's writes behind (see `watchWrites`). */
const writeWatchers = new Map<string, (err: Error | null) => void>();

export const heldSet = (listing: Promise<PackListing>): Promise<Set<number>> =>
  listing.then((l) => new Set(l.held));

export const storeRegistry = {
  /**
   * Pieces of a torrent put in its store but not (yet) on disk: not to be counted as kept.
   * Once the store is closed (its writes done) these are the pieces whose write failed.
   */
  unwritten(infoHash: string): ReadonlySet<number> {
    const open = openStores.get(infoHash);
    return open ? new Set(open.keys()) : (leftUnwritten.get(infoHash) ?? new Set());
  },

  /**
   * Hears of a torrent's writes behind: `null` when more pieces are on disk than it was last
   * told of (at most every `WRITE_NEWS_MS` while writes land, and when they have caught up:
   * nothing put is left unwritten), an error when one failed. One watcher per torrent (a
   * later one replaces it); call the returned function to stop.
   */
  watchWrites(infoHash: string, watcher: (err: Error | null) => void): () => void {
    writeWatchers.set(infoHash, watcher);
    return () => {
      if (writeWatchers.get(infoHash) === watcher) writeWatchers.delete(infoHash);
    };
  },

  /**
   * Opens and lists a torrent's pack before its store exists, for the next store made for it:
   * a magnet's store is made when its metadata arrives, and webtorrent then asks it for every
   * piece before the torrent is ready (each answered at once from the listing, once there is
   * one). Opening the pack while the metadata is fetched takes that off the stream's start.
   */
  prepare(infoHash: string): void {
    if (prepared.has(infoHash)) return;
    const present = heldSet(defaultBackend().open(infoHash));
    // Errors surface on the store's first put/get, as they do for one opened later.
    present.then(
      (pieces) => {
        if (pieces.size === 0) emptyFolders.add(infoHash);
      },
      () => undefined,
    );
    prepared.set(infoHash, present);
  },

  /** Whether `prepare` found the torrent's pack empty (known only once it was listed). */
  knownEmpty(infoHash: string): boolean {
    return emptyFolders.has(infoHash);
  },

  /**
   * What is stored for a torrent: every piece held, and those not proven on disk (the last
   * moments before the page went, or moved from the old layout) to hash before trusting.
   */
  stored(infoHash: string): Promise<PackListing> {
    return defaultBackend().open(infoHash);
  },

  /** The pieces stored for a torrent (empty when it has none). */
  async storedPieces(infoHash: string): Promise<Set<number>> {
    return new Set((await storeRegistry.stored(infoHash)).held);
  },

  /** Proves the unproven pieces that hashed right; forgets those that did not. */
  settle(infoHash: string, good: readonly number[], bad: readonly number[]): Promise<void> {
    return defaultBackend().settle(infoHash, good, bad);
  },

  /** A stored piece's bytes, or null when it is not on disk. */
  async readStored(infoHash: string, index: number): Promise<Uint8Array<ArrayBuffer> | null> {
    return defaultBackend()
      .read(infoHash, index, 0, null)
      .catch(() => null);
  },

  /**
   * Deletes the stored pieces of a torrent that is not open in any store, from the backend its
   * stores write to (the pack worker's, unless the engine gave them another: memory, a test's).
   */
  destroyFor(infoHash: string, backend: PieceBackend = defaultBackend()): Promise<void> {
    prepared.delete(infoHash);
    return backend.remove(infoHash);
  },
};

/** The pack `prepare` opened for a new store of the torrent, if any (taken: used once). */
export function takePrepared(infoHash: string): Promise<Set<number>> | undefined {
  const early = prepared.get(infoHash);
  prepared.delete(infoHash);
  return early;
}

/** A store opened for the torrent; `pending` is its map of pieces not yet on disk. */
export function storeOpened(infoHash: string, pending: ReadonlyMap<number, unknown>): void {
  openStores.set(infoHash, pending);
  leftUnwritten.delete(infoHash);
}

/** A piece of the torrent was written: its pack is no longer empty. */
export function pieceWritten(infoHash: string): void {
  emptyFolders.delete(infoHash);
}

/** Tells the torrent's watcher, if any (see `watchWrites`). */
export function tellWatcher(infoHash: string, err: Error | null): void {
  writeWatchers.get(infoHash)?.(err);
}

/** The store closed, its writes done: what it still holds in `pending` failed to be written. */
export function storeClosed(infoHash: string, pending: ReadonlyMap<number, unknown>): void {
  if (openStores.get(infoHash) === pending && pending.size > 0) {
    leftUnwritten.set(infoHash, new Set(pending.keys()));
  }
  forget(infoHash, pending);
}

/** The store was destroyed with its pieces: nothing of the torrent is left unwritten. */
export function storeDestroyed(infoHash: string, pending: ReadonlyMap<number, unknown>): void {
  leftUnwritten.delete(infoHash);
  forget(infoHash, pending);
  prepared.delete(infoHash);
}

function forget(infoHash: string, pending: ReadonlyMap<number, unknown>): void {
  if (openStores.get(infoHash) === pending) openStores.delete(infoHash);
}
