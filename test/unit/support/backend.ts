/**
 * A piece backend for tests: the real pack worker underneath (defaultBackend), with writes
 * that can be held, slowed or failed as a full disk fails them.
 */
import { storeRegistry } from '../../../src/engine/storage/store-registry.ts';
import { defaultBackend, type PieceBackend } from '../../../src/engine/storage/pack-client.ts';

export class ControlledBackend implements PieceBackend {
  /** Every write fails as it does when the site's storage is full. */
  full = false;
  /** How long the write of each piece waits before it is sent. */
  delayOf: (index: number) => number = () => 0;
  /** Reads that reached the disk. */
  reads = 0;
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
