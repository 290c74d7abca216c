import { expect } from '@open-wc/testing';
import { bitfieldBytes, countPieces, hasPiece } from '../../src/engine/policy/bitfield.ts';
import type { PersistedTorrent } from '../../src/engine/types.ts';
import { TorrentDb } from '../../src/store/torrent-db.ts';

describe('bitfield policy', () => {
  it('sizes a bitfield as BitTorrent does', () => {
    expect([1, 8, 9, 1024, 1025].map(bitfieldBytes)).to.deep.equal([1, 1, 2, 128, 129]);
  });

  it('reads pieces most significant bit first', () => {
    const bits = new Uint8Array([0b1000_0001, 0b0100_0000]);
    expect([0, 1, 7, 8, 9, 15, 16].map((i) => hasPiece(bits, i))).to.deep.equal([
      true,
      false,
      true,
      false,
      true,
      false,
      false,
    ]);
    expect(countPieces(bits)).to.equal(3);
  });
});

describe('TorrentDb (real IndexedDB)', () => {
  const torrent = (infoHash: string, paused = false): PersistedTorrent => ({
    infoHash,
    name: 'a name / with ../ slashes',
    magnetURI: `magnet:?xt=urn:btih:${infoHash}`,
    torrentFile: new Uint8Array([100, 101]),
    bitfield: new Uint8Array([0b1010_0000]),
    paused,
    addedAtMs: 5,
    summary: { lengthBytes: 10, downloadedBytes: 4, files: [] },
  });

  it('keeps torrents across opens, replaces by info-hash and deletes', async () => {
    const name = `shoal-test-${String(Math.random())}`;
    const db = await TorrentDb.open(name);
    await db.put(torrent('a'.repeat(40)));
    await db.put(torrent('b'.repeat(40)));
    await db.put(torrent('a'.repeat(40), true));
    db.close();
    const again = await TorrentDb.open(name);
    const all = await again.all();
    expect(all.map((t) => [t.infoHash[0], t.paused])).to.deep.equal([
      ['a', true],
      ['b', false],
    ]);
    expect([...(all[0]?.bitfield ?? [])]).to.deep.equal([0b1010_0000]);
    await again.delete('a'.repeat(40));
    expect((await again.all()).map((t) => t.infoHash[0])).to.deep.equal(['b']);
    again.close();
    indexedDB.deleteDatabase(name);
  });
});
