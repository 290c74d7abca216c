import { expect } from '@open-wc/testing';
import { planSeedLayout, seedPieceLengthBytes } from '../../src/engine/policy/seed-layout.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

describe('planSeedLayout: picked files → torrent layout (as stock lays them out)', () => {
  // What create-torrent picks (the piece-length package, capped at 4 MiB), so that the same
  // files give the same info-hash in Shoal and in stock WebTorrent.
  const pieceLengths: [number, number][] = [
    [1, 16 * KiB],
    [1023, 16 * KiB],
    [16 * MiB, 16 * KiB],
    [24 * MiB, 32 * KiB],
    [48 * MiB, 64 * KiB],
    [128 * MiB, 128 * KiB],
    [181 * MiB, 128 * KiB],
    [192 * MiB, 256 * KiB],
    [1024 * MiB, 1 * MiB],
    [64 * 1024 * MiB, 4 * MiB],
  ];
  for (const [size, piece] of pieceLengths) {
    it(`${String(size)} bytes → ${String(piece / KiB)} KiB pieces`, () => {
      expect(seedPieceLengthBytes(size)).to.equal(piece);
    });
  }

  it('one file: named after it, one piece count for its size', () => {
    const layout = planSeedLayout([{ path: 'a/b/clip.mp4', lengthBytes: 40 * KiB }]);
    expect(layout).to.deep.include({ name: 'clip.mp4', singleFile: true, pieceCount: 3 });
  });

  it("a folder: named after the folder, each file's path inside it and its offset", () => {
    const layout = planSeedLayout([
      { path: '/holiday/1.jpg', lengthBytes: 10 },
      { path: '/holiday/day 2/2.jpg', lengthBytes: 20 },
    ]);
    expect(layout?.name).to.equal('holiday');
    expect(layout?.files).to.deep.equal([
      { pathParts: ['1.jpg'], offsetBytes: 0, lengthBytes: 10 },
      { pathParts: ['day 2', '2.jpg'], offsetBytes: 10, lengthBytes: 20 },
    ]);
  });

  it('files from different places: named after the first, paths kept whole', () => {
    const layout = planSeedLayout([
      { path: 'x.txt', lengthBytes: 1 },
      { path: 'docs/y.txt', lengthBytes: 1 },
    ]);
    expect(layout?.name).to.equal('x.txt');
    expect(layout?.files.map((f) => f.pathParts)).to.deep.equal([['x.txt'], ['docs', 'y.txt']]);
  });

  it('nothing to hash: no layout', () => {
    expect(planSeedLayout([])).to.equal(null);
    expect(planSeedLayout([{ path: 'empty', lengthBytes: 0 }])).to.equal(null);
  });
});
