/**
 * A torrent's pieces on disk: one data file the pieces are appended to in the order they
 * arrive, and an index file with one entry per piece (where its bytes start, how long it is,
 * whether it is proven). Few large files written at offsets through handles held open is
 * what OPFS does fast; a file per piece cost several browser round trips each and fell
 * seconds behind the network.
 *
 * Appending, not writing at `index × pieceLength`: the data file is as large as what is
 * held, so the site's quota, a full disk and the cache budget see real usage (a file written
 * at a far offset counts as its whole length).
 *
 * Crash safety: a piece's entry is written after its bytes, and marked proven only at a
 * checkpoint, after the data has been flushed. A reload trusts proven pieces; the others (the
 * last moments before a crash, or a torn write on power loss) are handed back as unproven
 * for the page to hash against the torrent, then settled: proven or dropped.
 *
 * Pure over `PackFile` (a FileSystemSyncAccessHandle has exactly these members), so the
 * worker runs it on OPFS and a test runs it on memory.
 */

/** The members of FileSystemSyncAccessHandle a pack uses. */
export interface PackFile {
  read(buffer: Uint8Array, options?: { at?: number }): number;
  write(buffer: Uint8Array, options?: { at?: number }): number;
  getSize(): number;
  truncate(size: number): void;
  flush(): void;
}

export interface PackPiece {
  readonly index: number;
  readonly bytes: Uint8Array;
}

export interface PackListing {
  /** Every piece held, proven or not. */
  readonly held: readonly number[];
  /** Held but not proven: to be hashed before it is trusted (see `settle`). */
  readonly unproven: readonly number[];
}

/** 'SHPK' then the format's version; the rest of the header is reserved. */
const MAGIC = 0x4b504853;
const VERSION = 1;
export const HEADER_BYTES = 16;
/** f64 data offset + 1 (0: no piece), u32 length, u32 flags. */
export const ENTRY_BYTES = 16;
const PROVEN = 1;
/** Entries between two pieces written in one span rather than two writes (64 KiB of index). */
const ENTRY_SPAN_GAP = 4096;

/** A write the disk took only part of: the site's storage is full. */
export function storageFull(what: string): DOMException {
  return new DOMException(`${what}: storage full`, 'QuotaExceededError');
}

interface Entry {
  offset: number;
  length: number;
  proven: boolean;
}

const entryAt = (index: number): number => HEADER_BYTES + index * ENTRY_BYTES;

function encodeEntry(view: DataView, at: number, entry: Entry): void {
  view.setFloat64(at, entry.offset + 1, true);
  view.setUint32(at + 8, entry.length, true);
  view.setUint32(at + 12, entry.proven ? PROVEN : 0, true);
}

export class Pack {
  private readonly entries = new Map<number, Entry>();
  private dataEnd: number;
  /** Written since the last checkpoint: proven at the next one. */
  private readonly fresh = new Set<number>();

  private constructor(
    private readonly data: PackFile,
    private readonly index: PackFile,
  ) {
    this.dataEnd = data.getSize();
    const size = index.getSize();
    const header = new DataView(new ArrayBuffer(HEADER_BYTES));
    const valid =
      size >= HEADER_BYTES &&
      index.read(new Uint8Array(header.buffer), { at: 0 }) === HEADER_BYTES &&
      header.getUint32(0, true) === MAGIC &&
      header.getUint32(4, true) === VERSION;
    if (!valid) {
      // New, or not a pack this version knows: nothing in it is trusted.
      index.truncate(0);
      data.truncate(0);
      this.dataEnd = 0;
      header.setUint32(0, MAGIC, true);
      header.setUint32(4, VERSION, true);
      this.writeAll(index, new Uint8Array(header.buffer), 0, 'Pack index');
      return;
    }
    const count = Math.floor((size - HEADER_BYTES) / ENTRY_BYTES);
    const table = new DataView(new ArrayBuffer(count * ENTRY_BYTES));
    index.read(new Uint8Array(table.buffer), { at: HEADER_BYTES });
    for (let i = 0; i < count; i++) {
      const at = i * ENTRY_BYTES;
      const offset = table.getFloat64(at, true) - 1;
      const length = table.getUint32(at + 8, true);
      // An entry past the data (a torn write) or a nonsense one is no piece.
      if (!(offset >= 0) || offset + length > this.dataEnd || !Number.isInteger(offset)) continue;
      this.entries.set(i, {
        offset,
        length,
        proven: (table.getUint32(at + 12, true) & PROVEN) !== 0,
      });
    }
  }

  /** Opens the pack in these two files, making it where they are empty or not a pack. */
  static open(data: PackFile, index: PackFile): Pack {
    return new Pack(data, index);
  }

  listing(): PackListing {
    const held: number[] = [];
    const unproven: number[] = [];
    for (const [i, entry] of this.entries) {
      held.push(i);
      if (!entry.proven && !this.fresh.has(i)) unproven.push(i);
    }
    const byIndex = (a: number, b: number) => a - b;
    return { held: held.sort(byIndex), unproven: unproven.sort(byIndex) };
  }

  has(index: number): boolean {
    return this.entries.has(index);
  }

  /**
   * Appends the pieces and indexes them; returns the indices written. A disk that takes only
   * part of a piece stops the batch there with a QuotaExceededError: what came before it is
   * written, the piece and those after it are not, and its partial bytes are cut off again.
   * `trusted`: the pieces were verified (the next checkpoint proves them); otherwise they
   * stay unproven until settled.
   */
  write(pieces: readonly PackPiece[], trusted = true): { written: number[]; error: Error | null } {
    if (pieces.length <= 1) return this.writeEach(pieces, trusted);
    // The common case in one data write and one write per span of entries (under OPFS every
    // write is a call into the browser). A disk that takes only part of it: undone, and the
    // batch written piece by piece, so that exactly the pieces that fit are kept.
    const start = this.dataEnd;
    const joined = new Uint8Array(pieces.reduce((n, p) => n + p.bytes.byteLength, 0));
    let at = 0;
    for (const { bytes } of pieces) {
      joined.set(bytes, at);
      at += bytes.byteLength;
    }
    let took = 0;
    try {
      took = this.data.write(joined, { at: start });
    } catch {
      took = -1;
    }
    if (took !== joined.byteLength) {
      this.data.truncate(start);
      return this.writeEach(pieces, trusted);
    }
    const before = new Map(pieces.map(({ index }) => [index, this.entries.get(index)] as const));
    at = start;
    for (const { index, bytes } of pieces) {
      this.entries.set(index, { offset: at, length: bytes.byteLength, proven: false });
      at += bytes.byteLength;
    }
    try {
      this.writeEntries(pieces.map((p) => p.index));
    } catch (err) {
      for (const [index, old] of before) {
        if (old) this.entries.set(index, old);
        else this.entries.delete(index);
      }
      this.data.truncate(start);
      return { written: [], error: err instanceof Error ? err : new Error(String(err)) };
    }
    this.dataEnd = at;
    for (const { index } of pieces) {
      if (trusted) this.fresh.add(index);
      else this.fresh.delete(index);
    }
    return { written: pieces.map((p) => p.index), error: null };
  }

  /** One piece at a time: a short write stops there, keeping the pieces before it. */
  private writeEach(
    pieces: readonly PackPiece[],
    trusted: boolean,
  ): { written: number[]; error: Error | null } {
    const written: number[] = [];
    for (const { index, bytes } of pieces) {
      const offset = this.dataEnd;
      const before = this.entries.get(index);
      this.entries.set(index, { offset, length: bytes.byteLength, proven: false });
      try {
        this.writeAll(this.data, bytes, offset, `Piece ${String(index)}`);
        this.writeEntries([index]);
      } catch (err) {
        if (before) this.entries.set(index, before);
        else this.entries.delete(index);
        this.data.truncate(offset);
        return { written, error: err instanceof Error ? err : new Error(String(err)) };
      }
      this.dataEnd = offset + bytes.byteLength;
      if (trusted) this.fresh.add(index);
      else this.fresh.delete(index);
      written.push(index);
    }
    return { written, error: null };
  }

  /**
   * Writes the entries of these pieces as they are in memory (an absent one as zeros), one
   * write per span of nearby pieces: the entries between them are written again as they
   * already are, which costs less than a write each (under OPFS every write is a call into the
   * browser, and a checkpoint proving a second of rarest-first pieces one write each held the
   * worker for most of a second).
   */
  private writeEntries(indices: Iterable<number>): void {
    const sorted = [...indices].sort((a, b) => a - b);
    for (let i = 0; i < sorted.length;) {
      const from = sorted[i] ?? 0;
      let to = from;
      while (i < sorted.length && (sorted[i] ?? 0) - to <= ENTRY_SPAN_GAP) to = sorted[i++] ?? to;
      const view = new DataView(new ArrayBuffer((to - from + 1) * ENTRY_BYTES));
      for (let k = from; k <= to; k++) {
        const entry = this.entries.get(k);
        if (entry) encodeEntry(view, (k - from) * ENTRY_BYTES, entry);
      }
      this.writeAll(this.index, new Uint8Array(view.buffer), entryAt(from), 'Pack index');
    }
  }

  /** `length` bytes of a held piece from `offset` (all of it from there when null). */
  read(index: number, offset = 0, length: number | null = null): Uint8Array<ArrayBuffer> {
    const entry = this.entries.get(index);
    if (!entry) throw new Error(`Piece ${String(index)} is not stored`);
    const want = length ?? entry.length - offset;
    if (offset < 0 || want < 0 || offset + want > entry.length)
      throw new Error(`Piece ${String(index)} is incomplete`);
    const bytes = new Uint8Array(want);
    if (this.data.read(bytes, { at: entry.offset + offset }) !== want)
      throw new Error(`Piece ${String(index)} is incomplete`);
    return bytes;
  }

  /** Whether pieces were written since the last checkpoint. */
  get dirty(): boolean {
    return this.fresh.size > 0;
  }

  /** Flushes the data, then marks what it holds proven (the order a crash needs). */
  checkpoint(): void {
    if (this.fresh.size === 0) return;
    this.data.flush();
    for (const i of this.fresh) {
      const entry = this.entries.get(i);
      if (entry) entry.proven = true;
    }
    this.writeEntries(this.fresh);
    this.fresh.clear();
    this.index.flush();
  }

  /**
   * The page hashed the unproven pieces: the `good` become proven (after a flush, as at a
   * checkpoint), the `bad` are forgotten.
   */
  settle(good: readonly number[], bad: readonly number[]): void {
    const dropped = bad.filter((i) => this.entries.delete(i));
    for (const i of dropped) this.fresh.delete(i);
    this.writeEntries(dropped);
    for (const i of good) if (this.entries.has(i)) this.fresh.add(i);
    this.checkpoint();
  }

  private writeAll(file: PackFile, bytes: Uint8Array, at: number, what: string): void {
    // Chromium writes what fits in the site's quota and says how much.
    if (file.write(bytes, { at }) !== bytes.byteLength) throw storageFull(what);
  }
}
