// What a run measures: the full run (`npm run bench`) and the smoke run (`--quick`).
import type { Variant } from './drivers.ts';
import { MiB, label } from './fixtures.ts';
import type { RowSpec } from './report.ts';

export interface Plan {
  readonly quick: boolean;
  readonly rounds: number;
  /** 1 → 1 downloads, every round, every contender. */
  readonly sizes: readonly number[];
  /** The size whose leecher is reloaded and whose seeder then serves a 1 → 3 swarm. */
  readonly swarmSize: number;
  readonly swarmLeechers: number;
  readonly swarmVariants: readonly Variant[];
  /** A larger download for the heap's growth with size (null: skipped), and its rounds. */
  readonly bigSize: number | null;
  readonly bigRounds: number;
  /** Bytes sent over the raw data channel (the throughput limit). */
  readonly rawBytes: number;
  readonly rawMessageBytes: number;
}

export function makePlan(quick: boolean, rounds?: number): Plan {
  return quick
    ? {
        quick,
        rounds: rounds ?? 1,
        sizes: [16 * MiB],
        swarmSize: 16 * MiB,
        swarmLeechers: 3,
        swarmVariants: ['shoal', 'stock'],
        bigSize: null,
        bigRounds: 0,
        rawBytes: 32 * MiB,
        rawMessageBytes: 16 * 1024,
      }
    : {
        quick,
        rounds: rounds ?? 5,
        sizes: [16 * MiB, 128 * MiB],
        swarmSize: 128 * MiB,
        swarmLeechers: 3,
        swarmVariants: ['shoal', 'stock'],
        bigSize: 512 * MiB,
        bigRounds: 1,
        rawBytes: 64 * MiB,
        rawMessageBytes: 16 * 1024,
      };
}

const MB = 1e6;

export function rowSpecs(plan: Plan): RowSpec[] {
  const rtc = `limit.rtc.${String(plan.rawMessageBytes / 1024)}KiB.MiBps`;
  const rows: RowSpec[] = [];
  const downloadRows = (L: string, section: string): void => {
    rows.push(
      {
        section,
        key: `dl.${L}.firstPieceS`,
        label: 'magnet added → first verified piece',
        unit: 's',
        better: 'lower',
        goal: { text: '≤0.3 s', met: (s) => s <= 0.3 },
      },
      { key: `dl.${L}.metadataS`, label: 'magnet added → metadata', unit: 's', better: 'lower' },
      { key: `dl.${L}.doneS`, label: 'magnet added → complete', unit: 's', better: 'lower' },
      {
        key: `dl.${L}.MiBps`,
        label: 'throughput (size ÷ added→complete)',
        unit: 'MiB/s',
        better: 'higher',
        goal: { text: '≥1.5× stock', met: (s, k) => s >= 1.5 * k },
      },
      {
        key: `dl.${L}.transferMiBps`,
        label: 'transfer rate (first piece → complete)',
        unit: 'MiB/s',
        better: 'higher',
        limitKey: rtc,
      },
      {
        key: `dl.${L}.cpuLeecherMsPerMiB`,
        label: 'CPU, leecher tab main thread',
        unit: 'ms/MiB',
        better: 'lower',
      },
      {
        key: `dl.${L}.cpuSeederMsPerMiB`,
        label: 'CPU, seeder tab main thread',
        unit: 'ms/MiB',
        better: 'lower',
      },
      {
        key: `dl.${L}.heapPeakMiB`,
        label: 'JS heap peak, leecher tab',
        unit: 'MiB',
        better: 'lower',
        goal: { text: '<100 MB', met: (s) => s * MiB < 100 * MB },
      },
    );
  };
  for (const size of plan.sizes) downloadRows(label(size), `1 → 1 download, ${label(size)}`);
  if (plan.bigSize !== null) {
    const big = label(plan.bigSize);
    const ref = label(plan.sizes.at(-1) ?? plan.bigSize);
    downloadRows(big, `1 → 1 download, ${big} (${String(plan.bigRounds)} round)`);
    rows.push({
      key: `derived.heapGrowth`,
      label: `JS heap peak ${big} ÷ ${ref}`,
      unit: '×',
      better: 'lower',
      goal: { text: 'flat (≈1)', met: (s) => s < 1.25 },
      derive: (medianOf) => medianOf(`dl.${big}.heapPeakMiB`) / medianOf(`dl.${ref}.heapPeakMiB`),
    });
  }
  const seedSizes = [...plan.sizes, ...(plan.bigSize === null ? [] : [plan.bigSize])];
  seedSizes.forEach((size, i) => {
    const L = label(size);
    rows.push(
      {
        ...(i === 0 ? { section: 'seeding: files picked → magnet ready' } : {}),
        key: `seed.${L}.s`,
        label: `seed ${L} → magnet ready`,
        unit: 's',
        better: 'lower',
        ...(size === 128 * MiB ? { goal: { text: '≤0.4 s', met: (s: number) => s <= 0.4 } } : {}),
      },
      {
        key: `seed.${L}.MiBps`,
        label: `seed ${L}: size ÷ time (vs raw SHA-1)`,
        unit: 'MiB/s',
        better: 'higher',
        limitKey: `limit.sha1.${L}.MiBps`,
      },
    );
  });
  const S = label(plan.swarmSize);
  rows.push(
    {
      section: `1 seeder → ${String(plan.swarmLeechers)} leechers, ${S}`,
      key: `swarm.${S}.allDoneS`,
      label: 'all added → all complete',
      unit: 's',
      better: 'lower',
    },
    {
      key: `swarm.${S}.peerSharePct`,
      label: 'share of bytes leechers got from each other',
      unit: '%',
      better: 'higher',
    },
    {
      section: 'persistence',
      key: `reload.${S}.s`,
      label: `reload → seeding again, ${S}`,
      unit: 's',
      better: 'lower',
    },
    {
      key: `reload.${S}.refetchedMiB`,
      label: 'bytes fetched again after the reload',
      unit: 'MiB',
      better: 'lower',
    },
    {
      section: 'streaming and web seeds',
      key: 'stream.playingS',
      label: 'add → playing',
      unit: 's',
      better: 'lower',
      na: 'not measured yet',
    },
    {
      key: 'stream.seekedS',
      label: 'seek → seeked',
      unit: 's',
      better: 'lower',
      na: 'not measured yet',
    },
    {
      key: 'webseed.sharePct',
      label: 'web seed share, stalls in a swarm',
      unit: '%',
      better: 'lower',
      na: 'web seed policy has not landed',
    },
  );
  return rows;
}
