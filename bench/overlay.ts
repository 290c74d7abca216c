// The neighbour overlay section (issue 23): the next torrent from a tab we are already
// connected to, against the first one through the tracker; the tracker messages a torrent
// added costs; a playlist whose next track is another torrent of the same peer. Shoal ↔
// Shoal against stock ↔ stock, the same flow for both (stock makes a new connection through
// the tracker for each torrent, even to a peer it is connected to).
import { PeerGroup, type Peer } from './browser.ts';
import type { Driver, SeedInfo } from './drivers.ts';
import { PLAYLIST_TRACKS, deterministicFixture, label, type BenchFixture } from './fixtures.ts';
import type { RowSpec } from './report.ts';
import { installTrace, readTrace, type TraceEvent } from './trace.ts';
import { openPeer, profiled, sleep, timeoutFor, type Context, type Values } from './scenarios.ts';
import {
  overlayStats,
  shoalPlaylist,
  stockPlaylist,
  torrentPeers,
  track,
  trackerSendCounter,
  trackerSendsWithin,
  waitNeighbours,
  type TrackerSend,
} from './overlay-pages.ts';

export interface OverlayPlan {
  /** Size of each of T1, T2, T3. */
  readonly torrentBytes: number;
  /** The tracker messages are counted this long after T2 is added. */
  readonly windowS: number;
  /** Rounds it runs in (the first ones of the run). */
  readonly rounds: number;
}

/** T1 (met through the tracker), T2 (next, from the neighbour), T3 (cold, a fresh page). */
export const overlayFixtures = (bytes: number): [BenchFixture, BenchFixture, BenchFixture] => [
  deterministicFixture(bytes, `overlay-t1-${label(bytes)}.bin`),
  deterministicFixture(bytes, `overlay-t2-${label(bytes)}.bin`),
  deterministicFixture(bytes, `overlay-t3-${label(bytes)}.bin`),
];

/** How long both pages may take to become neighbours once T1 is done. */
const NEIGHBOURS_TIMEOUT_MS = 15_000;
/**
 * T2 is added no sooner than this after T1 (as a user adds the next one, not in the same
 * instant): Shoal's warm start tops its offers up 5–6 s after T1's add drew them, and that
 * work would otherwise land in T2's start. The same wait for stock.
 */
const NEXT_AFTER_MS = 7_000;

/** Both pages' traced events from `fromMs` to `toMs` (+5 ms), in order; the wire's traffic counted. */
function timeline(
  mine: readonly TraceEvent[],
  theirs: readonly TraceEvent[],
  fromMs: number,
  toMs: number | null,
): string {
  const end = (toMs ?? fromMs + 1000) + 5;
  const events = [
    ...mine.map((e) => ({ ...e, who: 'leecher' })),
    ...theirs.map((e) => ({ ...e, who: 'holder' })),
  ]
    .filter((e) => e.atMs >= fromMs && e.atMs <= end)
    .sort((a, b) => a.atMs - b.atMs);
  const lines: string[] = [];
  let last = '';
  let repeats = 0;
  const more = (): void => {
    if (repeats > 0) lines.push(`${lines.pop() ?? ''} (+${String(repeats)} more)`);
    repeats = 0;
  };
  for (const e of events) {
    const line = `${e.who} ${e.what}${e.detail !== undefined ? ` ${e.detail}` : ''}${e.ms !== undefined ? ` ${String(e.ms)}ms` : ''}`;
    const key = `${e.who} ${e.what}`;
    if (['req>', '<block', 'block>', '<req'].includes(e.what) && key === last) {
      repeats++;
      continue;
    }
    more();
    last = key;
    lines.push(
      `    +${(e.atMs - fromMs).toFixed(1)} ${line}${e.piece !== undefined ? ` piece ${String(e.piece)}` : ''}`,
    );
  }
  more();
  return lines.join('\n');
}

const seconds = (fromMs: number, toMs: number | null): number =>
  toMs === null ? Number.NaN : (toMs - fromMs) / 1000;

async function seedAll(
  ctx: Context,
  driver: Driver,
  seeder: Peer,
  fixtures: readonly BenchFixture[],
): Promise<SeedInfo[]> {
  const seeds: SeedInfo[] = [];
  for (const fixture of fixtures) {
    await driver.loadFixture(seeder, fixture.name, ctx.staticOrigin);
    seeds.push(await driver.seed(seeder, ctx.announce));
  }
  return seeds;
}

const describe = (sends: readonly TrackerSend[], names: Map<string, string>): string =>
  sends
    .map(
      (s) =>
        `${s.action}${s.infoHash ? ` ${names.get(s.infoHash) ?? 'other'}` : ''}` +
        (s.event ? ` ${s.event}` : '') +
        (s.offers > 0 ? ` ${String(s.offers)} offers` : '') +
        (s.answer ? ' answer' : ''),
    )
    .join(', ');

/**
 * Rows 1–3: one seeder page holds T1, T2 and T3. A leecher page (its tracker frames counted
 * from its load) downloads T1 through the tracker until done (Shoal: and until both pages
 * have one neighbour), then adds T2's magnet: add → first verified piece, and the frames it
 * sends to the tracker in the `windowS` after the add. Then a fresh leecher page adds T3:
 * the same measure, cold.
 */
export async function nextTorrent(
  ctx: Context,
  driver: Driver,
  fixtures: readonly [BenchFixture, BenchFixture, BenchFixture],
  plan: OverlayPlan,
): Promise<Values> {
  const shoal = driver.variant === 'shoal';
  const timeoutMs = timeoutFor(plan.torrentBytes);
  const group = new PeerGroup(ctx.browser);
  try {
    const seeder = await openPeer(group, driver, `${driver.variant} overlay seeder`);
    const [t1, t2, t3] = await seedAll(ctx, driver, seeder, fixtures);
    if (!t1 || !t2 || !t3) throw new Error('three torrents expected');
    const names = new Map([
      [t1.infoHash, 'T1'],
      [t2.infoHash, 'T2'],
      [t3.infoHash, 'T3'],
    ]);
    const leecher = await group.open(
      `${driver.variant} overlay leecher`,
      driver.url,
      trackerSendCounter(ctx.announce),
    );
    await driver.ready(leecher);
    const first = await driver.download(leecher, t1, ctx.announce, timeoutMs);
    const metMs = shoal ? await waitNeighbours([leecher, seeder], 1, NEIGHBOURS_TIMEOUT_MS) : 0;
    await sleep(first.startMs + NEXT_AFTER_MS - Date.now());
    const before = shoal ? await overlayStats(leecher) : null;
    // Already connected for T1 (both ends seed it by now): its peers when T2 is added.
    const t1Peers = await torrentPeers(leecher, shoal, t1.infoHash);
    const traced = ctx.trace === true && shoal;
    if (traced)
      await Promise.all([installTrace(leecher, 'viewer'), installTrace(seeder, 'seeder')]);
    const next = await profiled(ctx, [leecher, seeder], () =>
      driver.download(leecher, t2, ctx.announce, timeoutMs),
    );
    if (traced) {
      const [mine, theirs] = await Promise.all([readTrace(leecher), readTrace(seeder)]);
      process.stderr.write(
        `  T2 from the neighbour, to the first verified piece:\n${timeline(mine, theirs, next.startMs, next.firstPieceMs)}\n`,
      );
    }
    const sends = await trackerSendsWithin(leecher, next.startMs, plan.windowS * 1000);
    const after = shoal ? await overlayStats(leecher) : null;
    // The holder does not answer the tracker offers of a neighbour it already serves T2.
    const holderSkipped = shoal ? ((await overlayStats(seeder)).trackerOffersSkipped ?? 0) : null;
    // One connection carrying T2, or also the one the tracker's offers made to the same tab?
    const t2Peers = await torrentPeers(leecher, shoal, t2.infoHash);
    group.check();
    await leecher.context.close();

    const cold = await openPeer(group, driver, `${driver.variant} overlay cold leecher`);
    const third = await driver.download(cold, t3, ctx.announce, timeoutMs);
    group.check();

    const values: Values = {
      'overlay.warmFirstPieceS': seconds(next.startMs, next.firstPieceMs),
      'overlay.warmMetadataS': seconds(next.startMs, next.metadataMs),
      'overlay.warmDoneS': seconds(next.startMs, next.doneMs),
      'overlay.coldFirstPieceS': seconds(third.startMs, third.firstPieceMs),
      'overlay.coldDoneS': seconds(third.startMs, third.doneMs),
      // T1's add was cold too (a fresh page): a cross-check of the cold row.
      'overlay.t1FirstPieceS': seconds(first.startMs, first.firstPieceMs),
      'overlay.trackerFrames': sends.length,
      'overlay.trackerFramesT2': sends.filter((s) => s.infoHash === t2.infoHash).length,
      'overlay.t1PeersAtNextAdd': t1Peers,
      'overlay.t2PeersAfterWindow': t2Peers,
    };
    if (before && after) {
      values['overlay.warmWires'] = after.wires - before.wires;
      values['overlay.warmQueriesSent'] = (after.queriesSent ?? 0) - (before.queriesSent ?? 0);
      values['overlay.neighboursMetS'] = metMs / 1000;
    }
    const f = (v: number | undefined): string => (v === undefined ? '—' : v.toFixed(3));
    process.stderr.write(
      `  ${driver.variant} overlay: T2 metadata ${f(values['overlay.warmMetadataS'])} s, ` +
        `first piece ${f(values['overlay.warmFirstPieceS'])} s, ` +
        `T3 (cold) ${f(values['overlay.coldFirstPieceS'])} s, T1 ${f(values['overlay.t1FirstPieceS'])} s; ` +
        `T1 peers at T2's add ${String(t1Peers)}, T2 peers after ${String(plan.windowS)} s ` +
        `${String(t2Peers)}; ` +
        `${String(sends.length)} tracker frame(s) in ${String(plan.windowS)} s after T2: ` +
        (describe(sends, names) || 'none') +
        (before && after
          ? `; neighbours ${String(metMs)} ms after T1 done; overlay wires ${String(before.wires)} → ` +
            `${String(after.wires)}, queries sent ${String(before.queriesSent)} → ${String(after.queriesSent)}` +
            `, tracker offers the holder did not answer ${String(holderSkipped)}`
          : '') +
        '\n',
    );
    return values;
  } finally {
    await group.close();
  }
}

/**
 * Row 4: one seeder page holds two short clips, each a torrent of its own. A fresh viewer
 * plays track 1 (through the tracker: for Shoal, the connection that makes the two pages
 * neighbours) to its end; at `ended` it adds track 2's magnet and plays it: ended → playing.
 */
export async function playlist(
  ctx: Context,
  driver: Driver,
  tracks: readonly [BenchFixture, BenchFixture],
): Promise<Values> {
  const group = new PeerGroup(ctx.browser);
  try {
    const seeder = await openPeer(group, driver, `${driver.variant} playlist seeder`);
    const [s1, s2] = await seedAll(ctx, driver, seeder, tracks);
    if (!s1 || !s2) throw new Error('two torrents expected');
    const viewer = await openPeer(group, driver, `${driver.variant} playlist viewer`);
    const both = [track(s1, tracks[0].name), track(s2, tracks[1].name)] as const;
    const timeoutMs = timeoutFor(tracks[0].lengthBytes + tracks[1].lengthBytes);
    const played =
      driver.variant === 'shoal'
        ? await shoalPlaylist(viewer, both, timeoutMs)
        : await stockPlaylist(viewer, both, ctx.announce, timeoutMs);
    group.check();
    const values: Values = {
      'overlay.playlistGapS': seconds(played.ended1Ms, played.playing2Ms),
      'overlay.playlistTrack1PlayingS': seconds(played.startMs, played.playing1Ms),
    };
    const shoalFigures =
      played.neighboursAtEnd !== undefined &&
      played.wiresBefore !== undefined &&
      played.wiresAfter !== undefined;
    if (shoalFigures) {
      values['overlay.playlistNeighboursAtEnd'] = played.neighboursAtEnd ?? Number.NaN;
      values['overlay.playlistWires'] = (played.wiresAfter ?? 0) - (played.wiresBefore ?? 0);
    }
    process.stderr.write(
      `  ${driver.variant} playlist: track 1 playing after ${values['overlay.playlistTrack1PlayingS']?.toFixed(3) ?? '—'} s, ` +
        `ended → track 2 playing ${values['overlay.playlistGapS']?.toFixed(3) ?? '—'} s` +
        (shoalFigures
          ? `; neighbours at the end of track 1: ${String(played.neighboursAtEnd)}, overlay wires ` +
            `${String(played.wiresBefore)} → ${String(played.wiresAfter)}`
          : '') +
        '\n',
    );
    return values;
  } finally {
    await group.close();
  }
}

/** The section's rows (plan.ts's rowSpecs appends them). */
export function overlayRows(plan: OverlayPlan): RowSpec[] {
  const [one] = PLAYLIST_TRACKS;
  return [
    {
      section:
        `neighbour overlay: one seeder holds T1, T2, T3 (${label(plan.torrentBytes)} each) and ` +
        `two ${String(one.durationS)} s clips (each a torrent); Shoal ↔ Shoal, stock ↔ stock`,
      key: 'overlay.warmFirstPieceS',
      label: 'next torrent from a connected neighbour: add → first verified piece',
      unit: 's',
      better: 'lower',
    },
    {
      key: 'overlay.coldFirstPieceS',
      label: 'first torrent through the tracker (cold): add → first verified piece',
      unit: 's',
      better: 'lower',
    },
    {
      key: 'derived.overlayWarmOverCold',
      label: 'warm ÷ cold (the two rows above)',
      unit: '×',
      better: 'lower',
      goal: { text: 'Shoal ≤ ⅓', met: (s) => s <= 1 / 3 },
      derive: (medianOf) =>
        medianOf('overlay.warmFirstPieceS') / medianOf('overlay.coldFirstPieceS'),
    },
    {
      key: 'overlay.trackerFrames',
      label: `tracker messages per torrent added (sent in ${String(plan.windowS)} s after T2's add)`,
      unit: '',
      better: 'lower',
    },
    {
      key: 'overlay.playlistGapS',
      label: 'playlist: track 2 (another torrent, same peer) starts after track 1 ends',
      unit: 's',
      better: 'lower',
    },
  ];
}
