import { expect } from '@open-wc/testing';
import { ReadAhead } from '../../src/engine/storage/read-ahead.ts';

const KiB = 1024;

function counted(file: Blob, fail: { next: boolean } = { next: false }) {
  const reads: [number, number][] = [];
  const read = async (start: number, end: number): Promise<Uint8Array> => {
    reads.push([start, end]);
    if (fail.next) {
      fail.next = false;
      throw new Error('read failed');
    }
    return new Uint8Array(await file.slice(start, end).arrayBuffer());
  };
  return { reads, read };
}

describe('reading a seed’s files a block at a time', () => {
  const bytes = new Uint8Array(300 * KiB + 7).map((_, i) => (i * 31) & 0xff);
  const file = new File([bytes], 'clip.bin');
  const options = { blockBytes: 64 * KiB, keepBlocks: 2, idleMs: 60_000 };

  it('answers a peer’s requests for consecutive pieces, asked at once, with one read per block', async () => {
    const { reads, read } = counted(file);
    const ahead = new ReadAhead(read, bytes.length, options);
    const asked = Array.from({ length: 8 }, (_, i) => ahead.get(i * 16 * KiB, (i + 1) * 16 * KiB));
    const pieces = await Promise.all(asked);
    pieces.forEach((piece, i) => {
      expect(piece).to.deep.equal(bytes.slice(i * 16 * KiB, (i + 1) * 16 * KiB));
    });
    expect(reads).to.deep.equal([
      [0, 64 * KiB],
      [64 * KiB, 128 * KiB],
    ]);
  });

  it('joins a read across two blocks into a buffer of its own, and ends at the last byte', async () => {
    const { reads, read } = counted(file);
    const ahead = new ReadAhead(read, bytes.length, options);
    const across = await ahead.get(60 * KiB, 70 * KiB);
    expect(across).to.deep.equal(bytes.slice(60 * KiB, 70 * KiB));
    const tail = await ahead.get(300 * KiB, bytes.length);
    expect(tail).to.deep.equal(bytes.slice(300 * KiB));
    expect(reads.at(-1)).to.deep.equal([256 * KiB, bytes.length]);
    // A buffer handed out (and transferred, or written to) leaves the kept block intact.
    across.fill(0);
    expect(await ahead.get(60 * KiB, 70 * KiB)).to.deep.equal(bytes.slice(60 * KiB, 70 * KiB));
  });

  it('hands out a read within one block as a view of the block kept, not a copy', async () => {
    const { reads, read } = counted(file);
    const ahead = new ReadAhead(read, bytes.length, options);
    const a = await ahead.get(16 * KiB, 32 * KiB);
    const b = await ahead.get(32 * KiB, 48 * KiB);
    expect(a).to.deep.equal(bytes.slice(16 * KiB, 32 * KiB));
    expect(b).to.deep.equal(bytes.slice(32 * KiB, 48 * KiB));
    expect(a.buffer).to.equal(b.buffer);
    expect(a.byteLength).to.equal(16 * KiB);
    expect(reads).to.deep.equal([[0, 64 * KiB]]);
  });

  it('keeps only the blocks used last, and reads again after a failure', async () => {
    const fail = { next: true };
    const { reads, read } = counted(file, fail);
    const ahead = new ReadAhead(read, bytes.length, options);
    const err = await ahead.get(0, 16 * KiB).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(Error);
    expect(await ahead.get(0, 16 * KiB)).to.deep.equal(bytes.slice(0, 16 * KiB));
    await ahead.get(64 * KiB, 80 * KiB);
    await ahead.get(128 * KiB, 144 * KiB);
    const before = reads.length;
    // Block 0 was used longest ago: gone. Block 2 is kept.
    await ahead.get(128 * KiB, 130 * KiB);
    expect(reads.length).to.equal(before);
    await ahead.get(0, 1);
    expect(reads.length).to.equal(before + 1);
  });

  it('lets its blocks go once reads have stopped for a while, and not while they go on', async () => {
    const { reads, read } = counted(file);
    const ahead = new ReadAhead(read, bytes.length, { ...options, idleMs: 80 });
    await ahead.get(0, 16 * KiB);
    for (let i = 0; i < 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 40));
      await ahead.get(16 * KiB, 32 * KiB);
    }
    expect(reads.length).to.equal(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await ahead.get(0, 16 * KiB);
    expect(reads.length).to.equal(2);
  });
});
