// Who lied about a piece, and when a connection's messages are beyond any honest peer's.
import { expect } from '@open-wc/testing';
import {
  judgeRequest,
  provenBySoleSender,
  provenByVerified,
  WIRE_LIMITS,
} from '../../src/engine/policy/trust.ts';
import { failedPiece } from '../../src/engine/swarm/patches/hash-bans.ts';

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

describe('trust: naming the peer behind a piece that failed its hash check', () => {
  it('a failed piece sent whole by one peer proves that peer wrong at once', () => {
    const failed = [
      { offset: 0, bytes: bytes(1, 2), from: 'liar' },
      { offset: 2, bytes: bytes(3, 4), from: 'liar' },
    ];
    expect(provenBySoleSender(failed)).to.deep.equal(['liar']);
  });

  it('a failed piece from several peers proves no one until the piece verifies', () => {
    const failed = [
      { offset: 0, bytes: bytes(1, 2), from: 'honest' },
      { offset: 2, bytes: bytes(9, 9), from: 'liar' },
    ];
    expect(provenBySoleSender(failed)).to.deep.equal([]);
    expect(provenBySoleSender([])).to.deep.equal([]);
  });

  it('once verified, only the senders of blocks that differ are proven wrong', () => {
    const verified = bytes(1, 2, 3, 4, 5, 6);
    const failed = [
      { offset: 0, bytes: bytes(1, 2), from: 'honest' },
      { offset: 2, bytes: bytes(3, 0), from: 'liar' },
      { offset: 4, bytes: bytes(5, 6), from: 'other' },
      { offset: 4, bytes: bytes(0, 6), from: 'liar' },
    ];
    expect(provenByVerified(failed, verified)).to.deep.equal(['liar']);
    // A block that runs past the verified piece cannot be what it held.
    expect(
      provenByVerified([{ offset: 5, bytes: bytes(6, 7), from: 'x' }], verified),
    ).to.deep.equal(['x']);
  });

  it("reads the piece index out of webtorrent's hash-failure warning, and nothing else", () => {
    expect(failedPiece(new Error('Piece 17 failed verification'))).to.equal(17);
    expect(failedPiece('Piece 0 failed verification')).to.equal(0);
    expect(failedPiece(new Error('ws://localhost:8000 cannot be reached'))).to.equal(null);
  });
});

describe('trust: requests judged as they arrive', () => {
  const torrent = { pieceCount: 4, pieceBytes: (i: number) => (i === 3 ? 1000 : 16384) };
  const table: [
    string,
    { index: number; offset: number; length: number },
    number,
    string | null,
  ][] = [
    ['a normal block', { index: 0, offset: 0, length: 16384 }, 1, null],
    ['the short last block', { index: 3, offset: 0, length: 1000 }, 1, null],
    ['an empty block', { index: 0, offset: 0, length: 0 }, 1, 'sent a malformed message'],
    ['a block too big', { index: 0, offset: 0, length: 256 * 1024 }, 1, 'sent a malformed message'],
    ['a piece past the end', { index: 4, offset: 0, length: 16384 }, 1, 'sent a malformed message'],
    ['past the last piece', { index: 3, offset: 0, length: 1001 }, 1, 'sent a malformed message'],
    [
      'the last queued that may be',
      { index: 0, offset: 0, length: 16384 },
      WIRE_LIMITS.maxQueuedRequests,
      null,
    ],
    [
      'one more than that',
      { index: 0, offset: 0, length: 16384 },
      WIRE_LIMITS.maxQueuedRequests + 1,
      'flooded us with requests',
    ],
  ];
  for (const [what, request, queued, verdict] of table)
    it(`${what}: ${verdict ?? 'answered'}`, () => {
      expect(judgeRequest(request, torrent, queued)).to.equal(verdict);
    });

  it('before the metadata only the block size and the flood are judged', () => {
    expect(judgeRequest({ index: 99, offset: 0, length: 16384 }, null, 1)).to.equal(null);
  });
});
