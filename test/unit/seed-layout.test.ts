import { expect } from '@open-wc/testing';
import {
  cleanSeedName,
  planSeedLayout,
  seedPieceLengthBytes,
} from '../../src/engine/policy/seed-layout.ts';

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

  it('files from different places: "2 files", paths kept whole', () => {
    const layout = planSeedLayout([
      { path: 'x.txt', lengthBytes: 1 },
      { path: 'docs/y.txt', lengthBytes: 1 },
    ]);
    expect(layout?.name).to.equal('2 files');
    expect(layout?.files.map((f) => f.pathParts)).to.deep.equal([['x.txt'], ['docs', 'y.txt']]);
  });

  // What a user sees as the name of a share, whatever they picked (never the first file's
  // name for several files: that read "big.mp4/big.mp4" in the detail).
  const names: [string, string[], string][] = [
    ['one file picked', ['big.mp4'], 'big.mp4'],
    ['one file of a picked folder', ['Holiday/big.mp4'], 'big.mp4'],
    ['three loose files picked', ['big.mp4', 'notes.txt', 'cover.jpg'], '3 files'],
    ['three files dropped (fullPath)', ['/big.mp4', '/notes.txt', '/cover.jpg'], '3 files'],
    [
      'a picked folder (webkitRelativePath)',
      ['Holiday/a.jpg', 'Holiday/b.jpg', 'Holiday/c/d.jpg'],
      'Holiday',
    ],
    ['a dropped folder (fullPath)', ['/Holiday/a.jpg', '/Holiday/b.jpg'], 'Holiday'],
    ['two folders dropped together', ['/Holiday/a.jpg', '/Work/b.jpg'], '2 files'],
    ['a folder and a loose file', ['Holiday/a.jpg', 'b.jpg'], '2 files'],
  ];
  for (const [what, paths, name] of names) {
    it(`${what} → "${name}"`, () => {
      const layout = planSeedLayout(paths.map((path) => ({ path, lengthBytes: 10 })));
      expect(layout?.name).to.equal(name);
      expect(layout?.singleFile).to.equal(paths.length === 1);
      // Every file keeps its place inside the torrent: nothing is lost to the name.
      expect(layout?.files.map((f) => f.pathParts.at(-1))).to.deep.equal(
        paths.map((p) => p.split('/').at(-1)),
      );
    });
  }

  it('several files take the name the user gave, cleaned to one part; one file keeps its own', () => {
    const files = ['Holiday/a.jpg', 'Holiday/b.jpg'].map((path) => ({ path, lengthBytes: 10 }));
    const named = planSeedLayout(files, '  Summer / 2026\u0007 ');
    expect(named?.name).to.equal('Summer - 2026');
    expect(named?.files.map((f) => f.pathParts)).to.deep.equal([['a.jpg'], ['b.jpg']]);
    expect(planSeedLayout(files, ' .. ')?.name).to.equal('Holiday');
    expect(planSeedLayout([{ path: 'clip.mp4', lengthBytes: 10 }], 'Other')?.name).to.equal(
      'clip.mp4',
    );
    expect(cleanSeedName('a\\b/c')).to.equal('a-b-c');
    expect(cleanSeedName('\t \n')).to.equal(null);
  });

  it('nothing to hash: no layout', () => {
    expect(planSeedLayout([])).to.equal(null);
    expect(planSeedLayout([{ path: 'empty', lengthBytes: 0 }])).to.equal(null);
  });
});
