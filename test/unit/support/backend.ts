/**
 * A piece backend for tests: the real pack worker underneath (defaultBackend), with writes
 * that can be held, slowed or failed as a full disk fails them.
 */
import { storeRegistry } from '../../../src/engine/storage/store-registry.ts';
import {
  defaultBackend,
  type FilesCopied,
  type PieceBackend,
} from '../../../src/engine/storage/pack-client.ts';
import type { PieceInRead } from '../../../src/engine/storage/pack-protocol.ts';
import type { TorrentFiles } from '../../../src/engine/storage/torrent-bytes.ts';

export class ControlledBackend implements PieceBackend {
  /** Every write fails as it does when the site's storage is full. */
  full = false;
  /** How long the write of each piece waits before it is sent. */
  delayOf: (index: number) => number = () => 0;
  /** Reads that reached the disk. */
  reads = 0;
  /** Reads of a seed's files for a reader (in the worker), by their first byte. */
  readonly fileReads: number[] = [];
  /** Copies of a seed's files to disk (in the worker), by their first byte. */
  readonly fileCopies: number[] = [];
  /** The seed's files changed since they were picked: the browser refuses to read them. */
  filesChanged = false;
  private gate: Promise<void> | null = null;
  private release: () => void = () => undefined;
  private readonly real = defaultBackend();

  /** Holds every write until `open()`: nothing reaches the disk meanwhile. */
  hold(): void {
    this.gate = new Promise((resolve) => {
      this.release = resolve;
    });
  }

  /** Lets held writes (and all after) through. */
  letThrough(): void {
    this.gate = null;
    this.release();
  }

  open(key: string) {
    return this.real.open(key);
  }

  async write(key: string, index: number, bytes: Uint8Array): Promise<void> {
    const copy = bytes.slice();
    const delayMs = this.delayOf(index);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (this.gate) await this.gate;
    if (this.full) throw new DOMException('Quota exceeded', 'QuotaExceededError');
    return this.real.write(key, index, copy);
  }

  read(key: string, index: number, offset: number, length: number | null) {
    this.reads++;
    return this.real.read(key, index, offset, length);
  }

  readFiles(key: string, files: TorrentFiles, start: number, end: number) {
    this.fileReads.push(start);
    if (this.filesChanged)
      return Promise.reject(new DOMException('The file changed', 'NotReadableError'));
    return this.real.readFiles(key, files, start, end);
  }

  async copyFiles(
    key: string,
    files: TorrentFiles,
    start: number,
    end: number,
    pieces: readonly PieceInRead[],
  ): Promise<FilesCopied> {
    this.fileCopies.push(start);
    if (this.filesChanged) throw new DOMException('The file changed', 'NotReadableError');
    if (this.gate) await this.gate;
    if (this.full)
      return { written: [], failed: new DOMException('Quota exceeded', 'QuotaExceededError') };
    return this.real.copyFiles(key, files, start, end, pieces);
  }

  settle(key: string, good: readonly number[], bad: readonly number[]) {
    return this.real.settle(key, good, bad);
  }

  close(key: string) {
    return this.real.close(key);
  }

  remove(key: string) {
    return this.real.remove(key);
  }
}

/** The pieces a torrent's pack holds on disk, as decimal strings in order. */
export async function packPieces(infoHash: string): Promise<string[]> {
  const { held } = await storeRegistry.stored(infoHash);
  return held.map(String);
}
