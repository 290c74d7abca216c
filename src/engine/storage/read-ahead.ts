/**
 * Reads of a seed's picked files in blocks of many pieces, kept for the reads that follow.
 *
 * A peer asks a seeder for 16 KiB blocks of consecutive pieces, dozens at a time. Read one
 * by one from the picked `File`s (a Blob read each, a round trip to the browser's blob
 * store), the 36 pieces a viewer's seek asked for took the seeder 80–100 ms to send in bench
 * traces (`npm run bench -- --only stream`), while the viewer waited with nothing to play.
 * Here the first read of a block fetches the whole block (`blockBytes`, aligned), reads of
 * the same block share it, and the last `keepBlocks` blocks stay in memory. A block that
 * random access reads (one read again after it left memory, or, in a seed larger than the
 * blocks kept, one whose block before is not in memory: a reader jumping, not moving forward)
 * is handed to `onScattered`: the store copies its pieces into OPFS then, so that a peer's
 * random order over more blocks than are kept does not read the same block from the files
 * again and again. A viewer moving forward reads each block once and is not copied as it goes.
 */

export interface ReadAheadOptions {
  /** Bytes read at once: the block that holds a read's start (and the next, if it spans). */
  readonly blockBytes: number;
  /** Blocks kept after they were read, most recently used last. */
  readonly keepBlocks: number;
  /** Every block is let go once no read has come for this long. */
  readonly idleMs: number;
}

/**
 * 32 MiB: a seed up to that size is read from the files once however its peers ask (an album,
 * a video several viewers watch at once), and let go a while after the last read. Past it a
 * peer's random order is served from OPFS (copied as it is read, see above); reads of OPFS
 * wait behind the copy's writes in the pack worker, which on a loaded machine held three
 * viewers of one seed back (bench `--only assist`: median start 0.60 s reading the files, 0.90
 * s with 16 blocks kept and the rest from OPFS).
 */
export const DEFAULT_READ_AHEAD: ReadAheadOptions = {
  blockBytes: 1024 * 1024,
  keepBlocks: 32,
  idleMs: 20_000,
};

export class ReadAhead {
  private readonly blocks = new Map<number, Promise<Uint8Array>>();

  constructor(
    /** Reads `[start, end)` of the torrent's bytes. */
    private readonly read: (start: number, end: number) => Promise<Uint8Array>,
    private readonly lengthBytes: number,
    private readonly options: ReadAheadOptions = DEFAULT_READ_AHEAD,
    /** Told of a block random access read: its first byte's place in the torrent, its bytes. */
    private readonly onScattered: (startBytes: number, bytes: Uint8Array) => void = () => undefined,
  ) {}

  /** Blocks read at least once. */
  private readonly readBefore = new Set<number>();

  /** Whether the whole torrent fits in the blocks kept (read once, whatever the order). */
  get keepsAll(): boolean {
    return Math.ceil(this.lengthBytes / this.options.blockBytes) <= this.options.keepBlocks;
  }

  /** Whether every block that `[start, end)` spans is in memory or being read. */
  holds(start: number, end: number): boolean {
    const size = this.options.blockBytes;
    for (let index = Math.floor(start / size); index <= Math.floor((end - 1) / size); index++)
      if (!this.blocks.has(index)) return false;
    return true;
  }

  private lastReadMs = 0;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;

  /** Lets every block go once reads have stopped for `idleMs`. */
  private armIdle(): void {
    this.lastReadMs = performance.now();
    if (this.idleTimer !== null) return;
    const check = (): void => {
      const quietMs = performance.now() - this.lastReadMs;
      if (quietMs >= this.options.idleMs) {
        this.idleTimer = null;
        this.blocks.clear();
      } else this.idleTimer = setTimeout(check, this.options.idleMs - quietMs);
    };
    this.idleTimer = setTimeout(check, this.options.idleMs);
  }

  /**
   * Bytes `[start, end)`. Within one block they are a view of the block kept, not a copy (a
   * seeder's every 16 KiB block is read so): the caller must not change or transfer them.
   */
  async get(start: number, end: number): Promise<Uint8Array> {
    this.armIdle();
    const size = this.options.blockBytes;
    const first = Math.floor(start / size);
    const last = Math.floor((end - 1) / size);
    if (last - first > 1) return this.read(start, end);
    if (first === last) {
      const block = await this.block(first);
      const from = start - first * size;
      if (end - first * size > block.length)
        throw new Error('A shared file changed or could not be read.');
      return block.subarray(from, end - first * size);
    }
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
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
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
    // A jump matters only where the blocks cannot all be kept: a seed that fits is read once
    // whatever the order, and copying it as its first peers jump about (a viewer's first
    // pieces, then the rarest) only competed with serving them.
    const jumped = !this.keepsAll && index > 0 && !this.blocks.has(index - 1);
    const scattered = this.readBefore.has(index) || jumped;
    reading.then(
      (bytes) => {
        this.readBefore.add(index);
        if (scattered) this.onScattered(start, bytes);
      },
      () => undefined,
    );
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
