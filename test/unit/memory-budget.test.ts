import { expect } from '@open-wc/testing';
import {
  MEMORY_BUDGET,
  memoryBudgetBytes,
  overMemoryBudget,
  type MemoryTorrent,
} from '../../src/engine/policy/memory-budget.ts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('memory budget without OPFS (policy/memory-budget.ts)', () => {
  const cases: [string, number | null, number | null, number][] = [
    ['a browser that tells nothing gets the fixed safe figure', null, null, 512 * MiB],
    ['a quarter of a 4 GiB device', 4, null, 1 * GiB],
    ['half of a 1 GiB heap limit', null, 1 * GiB, 512 * MiB],
    ['the smaller of the two', 8, 2 * GiB, 1 * GiB],
    ['at most 2 GiB, however large the device', 32, 16 * GiB, 2 * GiB],
    ['at least 128 MiB, however small', 0.25, null, 128 * MiB],
    ['a nonsense figure is ignored', Number.NaN, -1, MEMORY_BUDGET.fallbackBytes],
    ['a zero figure is ignored', 0, null, MEMORY_BUDGET.fallbackBytes],
  ];
  for (const [label, deviceMemoryGiB, jsHeapSizeLimitBytes, budget] of cases) {
    it(label, () => {
      expect(memoryBudgetBytes({ deviceMemoryGiB, jsHeapSizeLimitBytes })).to.equal(budget);
    });
  }
});

describe('downloads past the memory budget (policy/memory-budget.ts)', () => {
  const t = (
    infoHash: string,
    lengthMiB: number | null,
    heldMiB: number,
    running = true,
  ): MemoryTorrent => ({
    infoHash,
    lengthBytes: lengthMiB === null ? null : lengthMiB * MiB,
    heldBytes: heldMiB * MiB,
    running,
  });
  const budget = 500 * MiB;
  const cases: [string, MemoryTorrent[], { infoHash: string; spareMiB: number }[]][] = [
    ['nothing held, nothing over', [], []],
    ['one that fits', [t('a', 400, 10)], []],
    ['exactly the budget fits', [t('a', 500, 0)], []],
    [
      'one larger than the budget is over, with all of the budget spare',
      [t('a', 4096, 1)],
      [{ infoHash: 'a', spareMiB: 500 }],
    ],
    [
      'the first added keeps its room; the next is over with what is left',
      [t('a', 300, 300, false), t('b', 300, 5)],
      [{ infoHash: 'b', spareMiB: 200 }],
    ],
    [
      'a later small one still fits beside an earlier one that was over',
      [t('a', 4096, 2), t('b', 100, 0)],
      [{ infoHash: 'a', spareMiB: 500 }],
    ],
    ['a magnet without metadata counts for what it holds', [t('a', null, 0), t('b', 450, 0)], []],
    [
      'a paused one counts for what it holds, not its size',
      [t('a', 4096, 100, false), t('b', 400, 0)],
      [],
    ],
    [
      'what a paused one holds still takes room',
      [t('a', 4096, 300, false), t('b', 300, 0)],
      [{ infoHash: 'b', spareMiB: 200 }],
    ],
  ];
  for (const [label, torrents, over] of cases) {
    it(label, () => {
      expect(
        overMemoryBudget(torrents, budget).map((o) => ({
          infoHash: o.infoHash,
          spareMiB: o.spareBytes / MiB,
        })),
      ).to.deep.equal(over);
    });
  }
});
