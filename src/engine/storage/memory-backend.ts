/**
 * Pieces kept in this page's memory, for a browser that gives Shoal no OPFS (see
 * launch/capabilities.ts): the same stores (opfs-chunk-store.ts, file-backed-store.ts) write
 * here instead of to the pack worker, so what counts as had, the write news and the pieces a
 * pause keeps work as they do on disk. Nothing here outlives the page: the engine keeps no
 * torrent across a reload in this mode (ShoalEngine's `keepsTorrents`).
 *
 * A torrent's pieces stay while the page lives, whether or not a store of it is open (a pause
 * closes its store, a resume opens another and finds them), until it is removed with its data.
 */
import type { PackListing } from './pack.ts';
import type { FilesCopied, PieceBackend } from './pack-client.ts';
import type { PieceInRead } from './pack-protocol.ts';
import { readTorrentBytes, type TorrentFiles } from './torrent-bytes.ts';

export class MemoryBackend implements PieceBackend {
  readonly inMemory = true;
  private readonly torrents = new Map<string, Map<number, Uint8Array<ArrayBuffer>>>();

  private pieces(key: string): Map<number, Uint8Array<ArrayBuffer>> {
    let pieces = this.torrents.get(key);
    if (!pieces) {
      pieces = new Map();
      this.torrents.set(key, pieces);
    }
    return pieces;
  }

  /** Every piece written is whole and checked by its store's torrent: none is unproven. */
  open(key: string): Promise<PackListing> {
    return Promise.resolve({ held: [...this.pieces(key).keys()], unproven: [] });
  }

  write(key: string, index: number, bytes: Uint8Array): Promise<void> {
    // A copy of just these bytes: a view may hold a much larger buffer (a read of the files).
    this.pieces(key).set(index, bytes.slice());
    return Promise.resolve();
  }

  read(
    key: string,
    index: number,
    offset: number,
    length: number | null,
  ): Promise<Uint8Array<ArrayBuffer>> {
    const piece = this.torrents.get(key)?.get(index);
    if (!piece) return Promise.reject(new Error(`Piece ${String(index)} is not in memory`));
    const end = length === null ? piece.byteLength : offset + length;
    if (offset < 0 || end > piece.byteLength)
      return Promise.reject(new Error(`A read past the end of piece ${String(index)}`));
    // A copy: a reader may transfer its buffer (to the service worker) and detach it.
    return Promise.resolve(piece.slice(offset, end));
  }

  /** Read on the page: with no worker, there is nowhere else to read them. */
  readFiles(
    _key: string,
    files: TorrentFiles,
    start: number,
    end: number,
  ): Promise<Uint8Array<ArrayBuffer>> {
    return readTorrentBytes(files, start, end);
  }

  async copyFiles(
    key: string,
    files: TorrentFiles,
    start: number,
    end: number,
    pieces: readonly PieceInRead[],
  ): Promise<FilesCopied> {
    const read = await readTorrentBytes(files, start, end);
    for (const { index, at, length } of pieces)
      await this.write(key, index, read.subarray(at, at + length));
    return { written: pieces.map(({ index }) => index), failed: null };
  }

  settle(): Promise<void> {
    return Promise.resolve();
  }

  /** Kept for the next store of the torrent while the page lives. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Bytes of a torrent's pieces held now (what the memory budget counts). */
  heldBytes(key: string): number {
    let total = 0;
    for (const piece of this.torrents.get(key)?.values() ?? []) total += piece.byteLength;
    return total;
  }

  remove(key: string): Promise<void> {
    this.torrents.delete(key);
    return Promise.resolve();
  }
}
