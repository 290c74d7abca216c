import { expect } from '@open-wc/testing';
import { ENTRY_BYTES, HEADER_BYTES, Pack, type PackFile } from '../../src/engine/storage/pack.ts';

/** A file in memory with a quota, as a sync access handle behaves. */
class MemoryFile implements PackFile {
  bytes = new Uint8Array(0);
  flushes = 0;
  constructor(private readonly quota = Infinity) {}
  getSize(): number {
    return this.bytes.length;
  }
  truncate(size: number): void {
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, size));
    this.bytes = next;
  }
  read(buffer: Uint8Array, { at = 0 } = {}): number {
    const part = this.bytes.subarray(at, at + buffer.length);
    buffer.set(part);
    return part.length;
  }
  write(buffer: Uint8Array, { at = 0 } = {}): number {
    // Chromium writes what fits in the quota and says how much.
    const fits = Math.max(0, Math.min(buffer.length, this.quota - at));
    if (at + fits > this.bytes.length) this.truncate(at + fits);
    this.bytes.set(buffer.subarray(0, fits), at);
    return fits;
  }
  flush(): void {
    this.flushes++;
  }
}

const piece = (length: number, fill: number) => new Uint8Array(length).fill(fill);

describe('a torrent’s pack (data appended, one index entry per piece)', () => {
  it('appends pieces in the order they come and reads each back, whole or in part', () => {
    const data = new MemoryFile();
    const pack = Pack.open(data, new MemoryFile());
    expect(
      pack.write([
        { index: 9, bytes: piece(4, 9) },
        { index: 2, bytes: piece(3, 2) },
      ]),
    ).to.deep.equal({ written: [9, 2], error: null });
    expect(data.getSize()).to.equal(7);
    expect([...pack.read(9)]).to.deep.equal([9, 9, 9, 9]);
    expect([...pack.read(2, 1, 2)]).to.deep.equal([2, 2]);
    expect(() => pack.read(2, 2, 2)).to.throw(/incomplete/);
    expect(() => pack.read(3)).to.throw(/not stored/);
    expect(pack.listing()).to.deep.equal({ held: [2, 9], unproven: [] });
  });

  it('proves what it wrote only at a checkpoint, after the data is flushed', () => {
    const data = new MemoryFile();
    const index = new MemoryFile();
    const pack = Pack.open(data, index);
    pack.write([{ index: 0, bytes: piece(4, 1) }]);
    // Opened again before a checkpoint (the page was killed): held, but to be hashed.
    expect(Pack.open(data, index).listing()).to.deep.equal({ held: [0], unproven: [0] });
    const again = Pack.open(data, index);
    again.write([{ index: 1, bytes: piece(4, 2) }]);
    again.checkpoint();
    expect(data.flushes).to.equal(1);
    // Piece 1 was written by this page (verified): proven. Piece 0 still waits to be hashed.
    expect(Pack.open(data, index).listing()).to.deep.equal({ held: [0, 1], unproven: [0] });
    const settled = Pack.open(data, index);
    settled.settle([], [0]);
    expect(Pack.open(data, index).listing()).to.deep.equal({ held: [1], unproven: [] });
  });

  it('a full disk stops a batch at the piece that did not fit, keeping those before it', () => {
    const data = new MemoryFile(10);
    const pack = Pack.open(data, new MemoryFile());
    const { written, error } = pack.write([
      { index: 0, bytes: piece(4, 1) },
      { index: 1, bytes: piece(4, 2) },
      { index: 2, bytes: piece(4, 3) },
      { index: 3, bytes: piece(1, 4) },
    ]);
    expect(written).to.deep.equal([0, 1]);
    expect(error?.name).to.equal('QuotaExceededError');
    // The part of piece 2 that fitted is cut off again, and nothing points at it.
    expect(data.getSize()).to.equal(8);
    expect(pack.listing().held).to.deep.equal([0, 1]);
  });

  it('trusts no entry that points past the data (a write torn by a crash)', () => {
    const data = new MemoryFile();
    const index = new MemoryFile();
    const pack = Pack.open(data, index);
    pack.write([
      { index: 0, bytes: piece(4, 1) },
      { index: 1, bytes: piece(4, 2) },
    ]);
    pack.checkpoint();
    data.truncate(6);
    expect(Pack.open(data, index).listing().held).to.deep.equal([0]);
  });

  it('starts afresh on a file that is not a pack', () => {
    const data = new MemoryFile();
    const index = new MemoryFile();
    index.write(new Uint8Array(HEADER_BYTES + ENTRY_BYTES).fill(0xff));
    data.write(piece(16, 1));
    const pack = Pack.open(data, index);
    expect(pack.listing()).to.deep.equal({ held: [], unproven: [] });
    expect(data.getSize()).to.equal(0);
  });
});
