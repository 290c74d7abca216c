import { expect } from '@open-wc/testing';
import { restoredPieces } from '../../src/engine/storage/kept.ts';
import { OpfsChunkStore } from '../../src/engine/storage/opfs-chunk-store.ts';
import { storeRegistry } from '../../src/engine/storage/store-registry.ts';
import { hasPiece } from '../../src/engine/policy/bitfield.ts';
import { prepareSeed } from '../../src/engine/storage/seed-files.ts';
import { WorkerBackend } from '../../src/engine/storage/pack-client.ts';
import type { PersistedTorrent } from '../../src/engine/types.ts';

const PIECE = 16 * 1024;
const PIECES = 8;

function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let at = 0; at < length; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return bytes;
}

/** A page's pack worker of its own, to be killed as a closed tab's is. */
function otherPage(): { backend: WorkerBackend; kill: () => void } {
  let worker: Worker | null = null;
  const backend = new WorkerBackend(() => {
    worker = new Worker(new URL('../../src/engine/storage/pack-worker.ts', import.meta.url), {
      type: 'module',
    });
    return worker;
  });
  return { backend, kill: () => worker?.terminate() };
}

const kept = (bitfield: Uint8Array | null) => {
  if (!bitfield) throw new Error('nothing restored');
  return Array.from({ length: PIECES }, (_, i) => i).filter((i) => hasPiece(bitfield, i));
};

async function seeded(): Promise<{ bytes: Uint8Array; saved: PersistedTorrent }> {
  const bytes = randomBytes(PIECES * PIECE);
  const { infoHash, torrentFile } = await prepareSeed([new File([bytes], 'clip.mp4')], []);
  await storeRegistry.destroyFor(infoHash);
  // The last save listed pieces 0 and 1 only: what is on disk counts, not that.
  const saved: PersistedTorrent = {
    infoHash,
    name: 'clip.mp4',
    magnetURI: `magnet:?xt=urn:btih:${infoHash}`,
    torrentFile,
    bitfield: new Uint8Array([0b1100_0000]),
    paused: false,
    addedAtMs: 0,
    summary: null,
  };
  return { bytes, saved };
}

describe('what a reload trusts of a torrent’s pack', () => {
  it('trusts every piece a closed store wrote, whatever the last save listed', async () => {
    const { bytes, saved } = await seeded();
    try {
      const store = new OpfsChunkStore(PIECE, { length: bytes.length, torrent: saved });
      for (let i = 0; i < 6; i++)
        store.put(i, bytes.slice(i * PIECE, (i + 1) * PIECE), () => undefined);
      await new Promise((resolve) => {
        store.close(resolve);
      });
      expect(kept((await restoredPieces(saved)).bitfield)).to.deep.equal([0, 1, 2, 3, 4, 5]);
    } finally {
      await storeRegistry.destroyFor(saved.infoHash);
    }
  });

  it('after a page killed mid-write, hashes what it wrote last: trusts what hashes right, forgets the rest', async () => {
    const { bytes, saved } = await seeded();
    const page = otherPage();
    try {
      // Written by a page that is then killed before its writes were checkpointed: pieces
      // 0–5, piece 5 torn (wrong bytes); 6 and 7 never written.
      await page.backend.open(saved.infoHash);
      await Promise.all(
        Array.from({ length: 6 }, (_, i) => {
          const piece = bytes.slice(i * PIECE, (i + 1) * PIECE);
          if (i === 5) piece[0] = (piece[0] ?? 0) ^ 0xff;
          return page.backend.write(saved.infoHash, i, piece);
        }),
      );
      page.kill();
      const { held, unproven } = await storeRegistry.stored(saved.infoHash);
      expect(held).to.deep.equal([0, 1, 2, 3, 4, 5]);
      expect(unproven).to.deep.equal([0, 1, 2, 3, 4, 5]);
      expect(kept((await restoredPieces(saved)).bitfield)).to.deep.equal([0, 1, 2, 3, 4]);
      // Settled: the torn piece is gone and the rest proven, so the next reload hashes none.
      const after = await storeRegistry.stored(saved.infoHash);
      expect(after.held).to.deep.equal([0, 1, 2, 3, 4]);
      expect(after.unproven).to.deep.equal([]);
    } finally {
      page.kill();
      await storeRegistry.destroyFor(saved.infoHash);
    }
  });

  it('moves a torrent kept a file per piece into its pack, hashing each piece once', async () => {
    const { bytes, saved } = await seeded();
    try {
      const root = await navigator.storage.getDirectory();
      const old = await (
        await root.getDirectoryHandle('shoal-pieces', { create: true })
      ).getDirectoryHandle(saved.infoHash, { create: true });
      for (const i of [0, 2, 3, 7]) {
        const piece = bytes.slice(i * PIECE, (i + 1) * PIECE);
        if (i === 3) piece[9] = (piece[9] ?? 0) ^ 0x01;
        const writable = await (
          await old.getFileHandle(String(i), { create: true })
        ).createWritable();
        await writable.write(i === 7 ? piece.slice(0, 100) : piece);
        await writable.close();
      }
      // Piece 3 changed on disk, piece 7 cut short: neither is trusted.
      expect(kept((await restoredPieces(saved)).bitfield)).to.deep.equal([0, 2]);
      const names: string[] = [];
      for await (const name of (await root.getDirectoryHandle('shoal-pieces')).keys())
        names.push(name);
      expect(names).not.to.include(saved.infoHash);
      const store = new OpfsChunkStore(PIECE, { length: bytes.length, torrent: saved });
      const piece2 = await new Promise<Uint8Array | undefined>((resolve, reject) => {
        store.get(2, null, (err, value) => {
          if (err) reject(err);
          else resolve(value);
        });
      });
      expect(piece2).to.deep.equal(bytes.slice(2 * PIECE, 3 * PIECE));
      await new Promise((resolve) => {
        store.close(resolve);
      });
      expect((await storeRegistry.stored(saved.infoHash)).unproven).to.deep.equal([]);
    } finally {
      await storeRegistry.destroyFor(saved.infoHash);
    }
  });
});
