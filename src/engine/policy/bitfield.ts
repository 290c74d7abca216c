/**
 * Bitfields as BitTorrent and webtorrent lay them out: piece i is bit (7 - i % 8) of byte
 * i / 8, most significant bit first.
 */
export const bitfieldBytes = (pieceCount: number): number => Math.ceil(pieceCount / 8);

/** Every piece set: what a torrent made from the user's own files has. */
export function fullBitfield(pieceCount: number): Uint8Array {
  const bitfield = new Uint8Array(bitfieldBytes(pieceCount)).fill(0xff);
  const spare = bitfield.length * 8 - pieceCount;
  if (spare > 0) bitfield[bitfield.length - 1] = (0xff << spare) & 0xff;
  return bitfield;
}

export function hasPiece(bitfield: Uint8Array, index: number): boolean {
  return ((bitfield[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0;
}

/** `bitfield` with the bits of `pieces` set (a copy). */
export function withPieces(bitfield: Uint8Array, pieces: Iterable<number>): Uint8Array {
  const out = bitfield.slice();
  for (const index of pieces) {
    if (index >> 3 < out.length) out[index >> 3] = (out[index >> 3] ?? 0) | (0x80 >> (index & 7));
  }
  return out;
}

/** `bitfield` with the bits of `pieces` cleared (a copy). */
export function withoutPieces(bitfield: Uint8Array, pieces: Iterable<number>): Uint8Array {
  const out = bitfield.slice();
  for (const index of pieces) {
    if (index >> 3 < out.length) out[index >> 3] = (out[index >> 3] ?? 0) & ~(0x80 >> (index & 7));
  }
  return out;
}

export function countPieces(bitfield: Uint8Array): number {
  let count = 0;
  for (const byte of bitfield) {
    let b = byte;
    while (b) {
      count += b & 1;
      b >>= 1;
    }
  }
  return count;
}
