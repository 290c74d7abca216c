/**
 * Reads of a seed's picked files in blocks of many pieces, kept for the reads that follow.
 *
 * A peer asks a seeder for 16 KiB blocks of consecutive pieces, dozens at a time. Read one
 * by one from the picked `File`s (a Blob read each, a round trip to the browser's blob
 * store), the 36 pieces a viewer's seek asked for took the seeder 80–100 ms to send in bench
 * traces (`npm run bench -- --only stream`), while the viewer waited with nothing to play.
 * Here the first read of a block fetches the whole block (`blockBytes`, aligned), reads of
 * the same block share it, and the last `keepBlocks` blocks stay in memory.
 */

export interface ReadAheadOptions {
  /** Bytes read at once: the block that holds a read's start (and the next, if it spans). */
  readonly blockBytes: number;
  /** Blocks kept after they were read, most recently used last. */
  readonly keepBlocks: number;
}

export const DEFAULT_READ_AHEAD: ReadAheadOptions = {
  blockBytes: 1024 * 1024,
  keepBlocks: 8,
};

export class ReadAhead {
  private readonly blocks = new Map<number, Promise<Uint8Array>>();

  constructor(
    /** Reads `[start, end)` of the torrent's bytes. */
    private readonly read: (start: number, end: number) => Promise<Uint8Array>,
    private readonly lengthBytes: number,
    private readonly options: ReadAheadOptions = DEFAULT_READ_AHEAD,
  ) {}

  /** Bytes `[start, end)`, in a buffer of their own (the caller may transfer it). */
  async get(start: number, end: number): Promise<Uint8Array> {
    const size = this.options.blockBytes;
    const first = Math.floor(start / size);
    const last = Math.floor((end - 1) / size);
    if (last - first > 1) return this.read(start, end);
    const parts = await Promise.all(
      Array.from({ length: last - first + 1 }, (_, i) => this.block(first + i)),
    );
    const out = new Uint8Array(end - start);
    let at = 0;
    for (const [i, part] of parts.entries()) {
      const blockStart = (first + i) * size;
      const from = Math.max(start, blockStart) - blockStart;
      const to = Math.min(end, blockStart + part.length) - blockStart;
      if (to < from) throw new Error('A shared file changed or could not be read.');
      out.set(part.subarray(from, to), at);
      at += to - from;
    }
    if (at !== out.length) throw new Error('A shared file changed or could not be read.');
    return out;
  }

  /** Forgets every block (the files changed, or the store closed). */
  clear(): void {
    this.blocks.clear();
  }

  private block(index: number): Promise<Uint8Array> {
    const kept = this.blocks.get(index);
    if (kept) {
      // Most recently used last.
      this.blocks.delete(index);
      this.blocks.set(index, kept);
      return kept;
    }
    const start = index * this.options.blockBytes;
    const reading = this.read(start, Math.min(this.lengthBytes, start + this.options.blockBytes));
    this.blocks.set(index, reading);
    // A failed read is not kept: the next one tries again.
    reading.catch(() => {
      if (this.blocks.get(index) === reading) this.blocks.delete(index);
    });
    for (const oldest of this.blocks.keys()) {
      if (this.blocks.size <= this.options.keepBlocks) break;
      this.blocks.delete(oldest);
    }
    return reading;
  }
}
