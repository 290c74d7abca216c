import { expect } from '@open-wc/testing';
import { defaultBackend } from '../../src/engine/storage/pack-client.ts';

const KiB = 1024;

describe('writes through the pack worker (storage/pack-client)', () => {
  it('writes a copy of the bytes it is given: the caller keeps them as they were, and they read back', async () => {
    const backend = defaultBackend();
    const key = 'cd'.repeat(20);
    await backend.open(key);
    try {
      const read = new Uint8Array(64 * KiB).map((_, i) => (i * 7) & 0xff);
      const expected = read.slice();
      const writes = [0, 1, 2, 3].map((i) =>
        backend.write(key, i, read.subarray(i * 16 * KiB, (i + 1) * 16 * KiB)),
      );
      await Promise.all(writes);
      // Copied, not moved: the caller's bytes are still there, unchanged.
      expect(read.byteLength).to.equal(64 * KiB);
      expect(read).to.deep.equal(expected);
      for (let i = 0; i < 4; i++)
        expect(await backend.read(key, i, 0, null)).to.deep.equal(
          expected.subarray(i * 16 * KiB, (i + 1) * 16 * KiB),
        );
    } finally {
      await backend.remove(key);
    }
  });

  /** Resolves in a later task (the backend sends the batch of a task in the next one). */
  const later = () =>
    new Promise<void>((resolve) => {
      setTimeout(resolve, 0);
    });

  it('writes the batches that wait for a busy worker together, each answered, and a read between writes sees only those before it', async () => {
    const backend = defaultBackend();
    const key = 'ce'.repeat(20);
    await backend.open(key);
    try {
      const piece = (fill: number) => new Uint8Array(16 * KiB).fill(fill);
      // A large write keeps the worker busy while the next batches come, one per task.
      const big = backend.write(key, 100, new Uint8Array(8 * 1024 * KiB).fill(9));
      const writes: Promise<void>[] = [];
      for (let i = 0; i < 12; i++) {
        await later();
        writes.push(backend.write(key, i, piece(i + 1)));
      }
      await Promise.all([big, ...writes]);
      for (let i = 0; i < 12; i++) expect((await backend.read(key, i, 0, null))[0]).to.equal(i + 1);
      // Piece 50 written, read, then written again, each in its own message while the worker
      // is busy: the read answers with the first bytes, not the second.
      const busy = backend.write(key, 101, new Uint8Array(32 * 1024 * KiB).fill(7));
      await later();
      const first = backend.write(key, 50, piece(1));
      await later();
      const read = backend.read(key, 50, 0, null);
      const second = backend.write(key, 50, piece(2));
      expect((await read)[0]).to.equal(1);
      await Promise.all([busy, first, second]);
      expect((await backend.read(key, 50, 0, null))[0]).to.equal(2);
    } finally {
      await backend.remove(key);
    }
  });
});
