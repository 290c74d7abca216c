import { expect } from '@open-wc/testing';
import { defaultBackend } from '../../src/engine/storage/pack-client.ts';

const KiB = 1024;

describe('pieces handed over to the pack worker (storage/pack-client)', () => {
  it('moves a read split into pieces to the worker without a copy, and refuses a piece of a read already moved', async () => {
    const backend = defaultBackend();
    const key = 'cd'.repeat(20);
    await backend.open(key);
    try {
      const read = new Uint8Array(64 * KiB).map((_, i) => (i * 7) & 0xff);
      const expected = read.slice();
      const late = read.subarray(0, 16 * KiB);
      const writes = [0, 1, 2, 3].map((i) =>
        backend.write(key, i, read.subarray(i * 16 * KiB, (i + 1) * 16 * KiB), true),
      );
      await Promise.all(writes);
      // Moved, not copied: the page holds nothing of it any more.
      expect(read.buffer.byteLength).to.equal(0);
      for (let i = 0; i < 4; i++)
        expect(await backend.read(key, i, 0, null)).to.deep.equal(
          expected.subarray(i * 16 * KiB, (i + 1) * 16 * KiB),
        );
      const refused = await backend.write(key, 4, late, true).catch((e: unknown) => e);
      expect(refused).to.be.instanceOf(Error);
      // A copy (not handed over) leaves the caller's bytes as they were.
      const own = expected.subarray(0, 16 * KiB);
      await backend.write(key, 5, own);
      expect(own.byteLength).to.equal(16 * KiB);
      expect(await backend.read(key, 5, 0, null)).to.deep.equal(own);
    } finally {
      await backend.remove(key);
    }
  });
});
