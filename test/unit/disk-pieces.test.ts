import { expect } from '@open-wc/testing';
import { restoredPieces } from '../../src/engine/kept.ts';
import { OpfsChunkStore } from '../../src/engine/opfs-chunk-store.ts';
import { hasPiece } from '../../src/engine/policy/bitfield.ts';
import { prepareSeed } from '../../src/engine/seed-files.ts';
import type { PersistedTorrent } from '../../src/engine/types.ts';

const PIECE = 16 * 1024;
const PIECES = 8;

function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let at = 0; at < length; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return bytes;
}

const put = (store: OpfsChunkStore, index: number, bytes: Uint8Array): Promise<void> =>
  new Promise((resolve, reject) => {
    store.put(index, bytes, (err) => {
      if (err) reject(err);
      else resolve();
    });
  });

describe('a reload finding pieces the last save did not list', () => {
  it('trusts those that hash to the torrent’s SHA-1, and no piece that does not or is not there', async () => {
    const bytes = randomBytes(PIECES * PIECE);
    const { infoHash, torrentFile } = await prepareSeed([new File([bytes], 'clip.mp4')], []);
    await OpfsChunkStore.destroyFor(infoHash);
    try {
      // On disk: pieces 0–5, piece 5 with the wrong bytes; 6 and 7 never written.
      const store = new OpfsChunkStore(PIECE, { length: bytes.length, torrent: { infoHash } });
      for (let i = 0; i < 6; i++) {
        const piece = bytes.slice(i * PIECE, (i + 1) * PIECE);
        if (i === 5) piece[0] = (piece[0] ?? 0) ^ 0xff;
        await put(store, i, piece);
      }
      await store.flush();
      // The last save listed pieces 0 and 1 only.
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
      const { bitfield } = await restoredPieces(saved);
      if (!bitfield) throw new Error('nothing restored');
      const kept = Array.from({ length: PIECES }, (_, i) => i).filter((i) => hasPiece(bitfield, i));
      expect(kept).to.deep.equal([0, 1, 2, 3, 4]);
    } finally {
      await OpfsChunkStore.destroyFor(infoHash);
    }
  });
});
