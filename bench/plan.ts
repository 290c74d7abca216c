// What a run measures: the full run (`npm run bench`) and the smoke run (`--quick`).
import type { Variant } from './drivers.ts';
import { MiB, STREAM_FIXTURE, STREAM_LABEL, label } from './fixtures.ts';

import type { RowSpec } from './report.ts';
import { overlayRows, type OverlayPlan } from './overlay.ts';
import { assistRows, type AssistPlan } from './assist.ts';
import { hiddenRows, type HiddenPlan } from './hidden.ts';

/** The 1 → 1 downloads of one size, every round. */
export interface SizePlan {
  readonly size: number;
  readonly variants: readonly Variant[];
  /** Reload the leecher 1 s after done, and a second one at done; time until they seed again. */
  readonly reload: boolean;
}

export interface SwarmPlan {
  readonly size: number;
  readonly leechers: number;
  readonly variants: readonly Variant[];
  /** Rounds whose 1 → 1 seeder then serves the swarm (always run). */
  readonly coreRounds: number;
  /** Rounds in all, the others run after the core while the budget allows. */
  readonly maxRounds: number;
}

export interface Plan {
  readonly quick: boolean;
  readonly rounds: number;
  readonly sizes: readonly SizePlan[];
  readonly swarm: SwarmPlan;
  /** A larger download for the heap's growth with size (null: none), and its rounds. */
  readonly big: { readonly size: number; readonly rounds: number } | null;
  /**
   * Seconds the run should take at most: swarm rounds past the core ones run only while the
   * run is projected to end within it. null: no limit.
   */
  readonly budgetS: number | null;
  /** Bytes sent over the raw data channel (the throughput limit), once per message size. */
  readonly rawBytes: number;
  /** The limit is the best of these message sizes (16 KiB is webtorrent's block). */
  readonly rawMessageSizes: readonly number[];
  /** Stream the video fixture (add → playing, seek → seeked) every round. */
  readonly stream: boolean;
  /** Peer-assisted streaming: a seeder, a web seed and viewers of the video (null: none). */
  readonly assist: AssistPlan | null;
  /** The same with a swarm of tabs, all playing (null: none). */
  readonly many: AssistPlan | null;
  /** Bytes written through a store (and raw OPFS, the limit) every round, in pieces (null: none). */
  readonly storeWrite: { readonly bytes: number; readonly pieceBytes: number } | null;
  /** The neighbour overlay section: next torrent, cold torrent, tracker messages, playlist. */
  readonly overlay: OverlayPlan | null;
  /** A download added to a tab hidden for a while, and the same in front (null: none). */
  readonly hidden: HiddenPlan | null;
}

/** Three viewers joining 2 s apart, each playing 20 s of the 60 s video. */
const ASSIST = { viewers: 3, staggerMs: 2000, watchS: 20, key: 'assist' } as const;
/**
 * A swarm of tabs: 8 pages (the seeder and 7 viewers) joining 1 s apart, all playing. Each
 * tab is a renderer of its own: on this 2-core machine, what the app costs each tab shows.
 */
const MANY = { viewers: 7, staggerMs: 1000, watchS: 20, key: 'many' } as const;
/** One round in the full run: 16 tabs (both contenders) take ~2 min. */
const MANY_FULL_ROUNDS = 1;

const ALL: readonly Variant[] = ['shoal', 'stock', 'tuned'];
/** ~1 min a round for both contenders: the full run's budget has room for 3. */
const ASSIST_FULL_ROUNDS = 3;

/** 4 MiB torrents, their tracker messages counted over 10 s; ~1 min a round for both. */
const OVERLAY = { torrentBytes: 4 * MiB, windowS: 10 } as const;
/** In the first rounds of the full run only, as the peer-assisted stream. */
const OVERLAY_FULL_ROUNDS = 3;

/**
 * 128 MiB added to a tab hidden for 15 s (throttling starts ~10 s after hiding); a rate from
 * what arrived in 60 s when it does not finish. ~3 min a round for both contenders.
 */
const HIDDEN = { size: 128 * MiB, hiddenForS: 15, capS: 60 } as const;
const HIDDEN_FULL_ROUNDS = 1;

/** What `--only` takes: one section alone. */
export const ONLY_SECTIONS = [
  'stream',
  'assist',
  'many',
  'overlay',
  'download',
  'hidden',
  'heap',
  'swarm',
] as const;
export type OnlySection = (typeof ONLY_SECTIONS)[number];

/**
 * The full run: every 1 → 1 row 5 rounds (the peer-assisted stream and the neighbour overlay
 * in the first 3), the 512 MiB download (the heap's growth with size) once, then more rounds of the 128 MiB swarm (the longest scenario, ~2 × 50 s idle) while
 * the run stays within 14 minutes. On an idle 2-core machine the swarm gets a round or two;
 * the n column says how many samples each row has.
 */
export function makePlan(
  quick: boolean,
  rounds?: number,
  budgetMin?: number,
  only?: OnlySection,
  bigBytes = 512 * MiB,
): Plan {
  const budgetS = budgetMin === undefined ? 14 * 60 : budgetMin > 0 ? budgetMin * 60 : null;
  if (only !== undefined) {
    // `--only stream` / `assist` / `overlay` / `download`: the streaming, peer-assisted,
    // overlay or 1 → 1 download rows (16 and 128 MiB, no reload, no swarm) alone.
    const n = rounds ?? (quick ? 1 : 5);
    return {
      quick,
      rounds: n,
      sizes:
        only === 'download' || only === 'heap'
          ? (only === 'heap' ? [128 * MiB] : [16 * MiB, 128 * MiB]).map((size) => ({
              size,
              variants: ['shoal', 'stock'] as const,
              reload: false,
            }))
          : [],
      // `--only swarm`: the 128 MiB 1 → 3 swarm from a fresh seeder, every round.
      swarm:
        only === 'swarm'
          ? {
              size: 128 * MiB,
              leechers: 3,
              variants: ['shoal', 'stock'],
              coreRounds: 0,
              maxRounds: n,
            }
          : { size: 16 * MiB, leechers: 3, variants: [], coreRounds: 0, maxRounds: 0 },
      // `--only heap`: the 128 MiB download and the big one, each every round.
      big: only === 'heap' ? { size: bigBytes, rounds: n } : null,
      budgetS: only === 'swarm' ? null : budgetS,
      // The download rows' physical limit, measured beside them.
      rawBytes: only === 'download' ? 32 * MiB : 0,
      rawMessageSizes: RAW_MESSAGE_SIZES,
      stream: only === 'stream',
      assist: only === 'assist' ? { ...ASSIST, rounds: n } : null,
      many: only === 'many' ? { ...MANY, rounds: n } : null,
      storeWrite: null,
      overlay: only === 'overlay' ? { ...OVERLAY, rounds: n } : null,
      hidden: only === 'hidden' ? { ...HIDDEN, rounds: n } : null,
    };
  }
  if (quick) {
    return {
      quick,
      rounds: rounds ?? 1,
      sizes: [{ size: 16 * MiB, variants: ['shoal', 'stock'], reload: true }],
      swarm: {
        size: 16 * MiB,
        leechers: 3,
        variants: ['shoal', 'stock'],
        coreRounds: 1,
        maxRounds: 1,
      },
      big: null,
      budgetS: null,
      rawBytes: 16 * MiB,
      rawMessageSizes: RAW_MESSAGE_SIZES,
      stream: true,
      assist: { ...ASSIST, rounds: 1 },
      many: null,
      storeWrite: { bytes: 16 * MiB, pieceBytes: 16 * 1024 },
      overlay: null,
      hidden: null,
    };
  }
  const n = rounds ?? 5;
  return {
    quick,
    rounds: n,
    sizes: [
      { size: 16 * MiB, variants: ALL, reload: false },
      // Stock tuned at 16 MiB only: the 128 MiB rounds are the longest of the run.
      { size: 128 * MiB, variants: ['shoal', 'stock'], reload: true },
    ],
    swarm: {
      size: 128 * MiB,
      leechers: 3,
      variants: ['shoal', 'stock'],
      coreRounds: 1,
      maxRounds: n,
    },
    big: { size: bigBytes, rounds: 1 },
    budgetS,
    rawBytes: 64 * MiB,
    rawMessageSizes: RAW_MESSAGE_SIZES,
    stream: true,
    assist: { ...ASSIST, rounds: ASSIST_FULL_ROUNDS },
    many: { ...MANY, rounds: MANY_FULL_ROUNDS },
    storeWrite: { bytes: 64 * MiB, pieceBytes: 16 * 1024 },
    overlay: { ...OVERLAY, rounds: OVERLAY_FULL_ROUNDS },
    hidden: { ...HIDDEN, rounds: HIDDEN_FULL_ROUNDS },
  };
}

const MB = 1e6;

/** Message sizes the raw channel is measured with: webtorrent's block, 64 KiB, Chromium's most. */
const RAW_MESSAGE_SIZES = [16 * 1024, 64 * 1024, 256 * 1024];
/** The raw channel's best rate over those sizes: the transfer rows' physical limit. */
export const RAW_BEST_KEY = 'limit.rtc.best.MiBps';

export function rowSpecs(plan: Plan): RowSpec[] {
  const rtc = RAW_BEST_KEY;
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
  for (const { size } of plan.sizes) downloadRows(label(size), `1 → 1 download, ${label(size)}`);
  if (plan.big !== null) {
    const big = label(plan.big.size);
    const ref = label(plan.sizes.at(-1)?.size ?? plan.big.size);
    downloadRows(big, `1 → 1 download, ${big} (${String(plan.big.rounds)} round)`);
    rows.push({
      key: `derived.heapGrowth`,
      label: `JS heap peak ${big} ÷ ${ref}`,
      unit: '×',
      better: 'lower',
      goal: { text: 'flat (≈1)', met: (s) => s < 1.25 },
      derive: (medianOf) => medianOf(`dl.${big}.heapPeakMiB`) / medianOf(`dl.${ref}.heapPeakMiB`),
    });
  }
  const seedSizes = [...plan.sizes.map((s) => s.size), ...(plan.big ? [plan.big.size] : [])];
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
  const S = label(plan.swarm.size);
  if (plan.swarm.maxRounds > 0)
    rows.push(
      {
        section: `1 seeder → ${String(plan.swarm.leechers)} leechers, ${S}`,
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
    );
  for (const { size, reload } of plan.sizes) {
    if (!reload) continue;
    const S = label(size);
    const none = { text: '0', met: (s: number) => s === 0 };
    rows.push(
      {
        section: 'persistence',
        key: `reload.${S}.s`,
        label: `reload 1 s after done → seeding again, ${S}`,
        unit: 's',
        better: 'lower',
      },
      {
        key: `reload.${S}.refetchedMiB`,
        label: 'bytes fetched again after a reload 1 s after done',
        unit: 'MiB',
        better: 'lower',
        goal: none,
      },
      {
        key: `reload0.${S}.refetchedMiB`,
        label: 'bytes fetched again after a reload 0 s after done',
        unit: 'MiB',
        better: 'lower',
        goal: none,
      },
    );
  }
  const w = plan.storeWrite;
  // The write lag of the largest 1 → 1 download every round has (128 MiB in the full run).
  const lagSize = plan.sizes.at(-1)?.size;
  if (w)
    rows.push({
      section: 'piece storage (OPFS of an off-the-record context: in memory)',
      key: `store.${label(w.bytes)}.MiBps`,
      label: `store write rate, ${label(w.bytes)} as ${String(w.pieceBytes / 1024)} KiB pieces`,
      unit: 'MiB/s',
      better: 'higher',
      limitKey: `limit.opfs.${label(w.bytes)}.MiBps`,
      shoalOnly: 'no store of its own to call (fsa-chunk-store is built inside each torrent)',
    });
  if (lagSize !== undefined)
    rows.push({
      ...(w ? {} : { section: 'piece storage' }),
      key: `lag.${label(lagSize)}.maxMs`,
      alsoKey: `lag.${label(lagSize)}.meanMs`,
      label: `write lag, leecher, ${label(lagSize)} 1 → 1 (max / mean)`,
      unit: 'ms',
      better: 'lower',
      goal: { text: '≤250 ms max', met: (s) => s <= 250 },
      shoalOnly: 'writes through: a piece counts only once its put is on disk, no lag to measure',
    });
  if (plan.stream)
    rows.push(
      {
        section: `streaming a ${STREAM_LABEL} through the page's service worker`,
        key: 'stream.playingS',
        label: 'magnet added → playing',
        unit: 's',
        better: 'lower',
        goal: { text: '≤0.3 s and ≥10× stock', met: (s, k) => s <= 0.3 && s * 10 <= k },
        // The same video from a local HTTP server in a plain <video>: the browser's own floor.
        limitKey: 'limit.http.playingS',
      },
      {
        key: 'stream.seekedS',
        label: `seek to ${String(STREAM_FIXTURE.seekToS)} s → seeked`,
        unit: 's',
        better: 'lower',
        goal: { text: '≥5× stock', met: (s, k) => s * 5 <= k },
        limitKey: 'limit.http.seekedS',
      },
    );
  for (const a of [plan.assist, plan.many]) if (a) rows.push(...assistRows(a));
  if (plan.overlay) rows.push(...overlayRows(plan.overlay));
  if (plan.hidden) rows.push(...hiddenRows(plan.hidden));
  return rows;
}
