import { expect } from '@open-wc/testing';
import { bytesUntilDelivered, lastBlockPositions } from '../../src/engine/policy/peer-queue.ts';

const KiB = 1024;

describe('when a peer delivers a piece it was asked for', () => {
  // A pipeline of our requests to one peer, oldest first: piece 7's blocks, then 3's, then 9's.
  const queue = lastBlockPositions([
    { piece: 7 },
    { piece: 7 },
    { piece: 3 },
    { piece: 3 },
    { piece: 3 },
    { piece: 9 },
  ]);

  const cases: [string, number, number][] = [
    ['first in the queue: its own two blocks', 7, 32 * KiB],
    ['behind another piece: everything up to its last block', 3, 80 * KiB],
    ['last in the queue: the whole pipeline', 9, 96 * KiB],
    ['not in the queue (its blocks all arrived): at most a piece', 5, 64 * KiB],
  ];
  for (const [name, piece, bytes] of cases) {
    it(`${name} → ${String(bytes / KiB)} KiB`, () => {
      expect(bytesUntilDelivered(queue, piece, 64 * KiB)).to.equal(bytes);
    });
  }
});
