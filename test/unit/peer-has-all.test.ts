import { expect } from '@open-wc/testing';
import { peerHasAll, type PeerPieces } from '../../src/engine/swarm/patches/peer-has-all.ts';

/** A bitfield as the `bitfield` package keeps one: bytes, the first piece in the high bit. */
function bitfieldOf(count: number, have: (i: number) => boolean): PeerPieces {
  const buffer = new Uint8Array(Math.ceil(count / 8));
  for (let i = 0; i < count; i++)
    if (have(i)) buffer[i >> 3] = (buffer[i >> 3] ?? 0) | (128 >> (i % 8));
  return { buffer, get: (i) => ((buffer[i >> 3] ?? 0) & (128 >> (i % 8))) !== 0 };
}

describe('peerHasAll', () => {
  const cases: [string, PeerPieces, number, boolean][] = [
    ['every piece of 16', bitfieldOf(16, () => true), 16, true],
    ['every piece of 13 (a partial last byte)', bitfieldOf(13, () => true), 13, true],
    ['all but the last of 13', bitfieldOf(13, (i) => i !== 12), 13, false],
    ['all but one in the first byte', bitfieldOf(16, (i) => i !== 3), 16, false],
    ['some pieces (a peer back after a reload)', bitfieldOf(1024, (i) => i % 3 === 0), 1024, false],
    // The bitfield a wire has before the peer sent its own: empty, no bytes.
    ['no bitfield received yet', { buffer: new Uint8Array(0), get: () => false }, 64, false],
    // bittorrent-protocol's stand-in after a have-all message: no bytes, every get true.
    ['have-all', { buffer: new Uint8Array(0), get: () => true }, 64, true],
    ['a torrent without pieces (no metadata yet)', bitfieldOf(0, () => true), 0, false],
  ];
  for (const [name, pieces, count, expected] of cases) {
    it(`${name} → ${String(expected)}`, () => {
      expect(peerHasAll(pieces, count)).to.equal(expected);
    });
  }
});
