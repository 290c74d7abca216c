// The peer-assisted swarm: viewers of one video with a seeder and a web seed, a few of them
// (\`assist\`) or a swarm of tabs (\`many\`), and the rows that report it.
import { PeerGroup, type Peer } from './browser.ts';
import type { Driver } from './drivers.ts';
import { STREAM_LABEL, type BenchFixture } from './fixtures.ts';
import type { RowSpec } from './report.ts';
import { openPeer, profiled, sleep, timeoutFor, type Context, type Values } from './scenarios.ts';
import { WebSeedServer } from '../scripts/web-seed-server.ts';

export interface AssistPlan {
  readonly viewers: number;
  /** Viewers join this far apart, as viewers of one video do. */
  readonly staggerMs: number;
  /** Seconds of the media each viewer plays. */
  readonly watchS: number;
  /** Rounds it runs in (the first ones of the run). */
  readonly rounds: number;
  /** Where its figures are kept: `assist` (a few viewers) or `many` (a swarm of tabs). */
  readonly key: 'assist' | 'many';
}

/**
 * The share of the viewers' bytes that came from each other when all of them download the
 * whole file: the seeder need send one copy only, so at best (N−1)/N of N viewers' bytes.
 */
export const idealPeerShare = (viewers: number): number => (viewers - 1) / viewers;

/**
 * Peer-assisted streaming: one seeder page and a web seed (a real HTTP server here that
 * counts what it serves), then viewers that add the magnet naming the web seed (`ws=`) a few
 * seconds apart and play the video from the start. What share of the viewers' bytes came
 * from the web seed, in how many HTTP requests (and CORS preflights), and from each other
 * (neither the seeder nor the web seed); the stalls; and when all of them had the whole file.
 */
export async function assistSwarm(
  ctx: Context,
  driver: Driver,
  fixture: BenchFixture,
  options: AssistPlan,
): Promise<Values> {
  const webSeed = await WebSeedServer.start([fixture.path]);
  const group = new PeerGroup(ctx.browser);
  try {
    const seeder = await openPeer(group, driver, `${driver.variant} assist seeder`);
    await driver.loadFixture(seeder, fixture.name, ctx.staticOrigin);
    const seed = await driver.seed(seeder, ctx.announce);
    const uploadedBefore = await driver.uploadedBytes(seeder, seed.infoHash);
    const magnet = `${seed.magnet}&ws=${encodeURIComponent(webSeed.url(fixture.name))}`;
    const viewers: Peer[] = [];
    for (let i = 0; i < options.viewers; i++)
      viewers.push(
        await openPeer(group, driver, `${driver.variant} assist viewer ${String(i + 1)}`),
      );
    const timeoutMs = timeoutFor(fixture.lengthBytes * options.viewers);
    const watched = await profiled(
      ctx,
      [viewers.at(-1), seeder].filter((p) => p !== undefined),
      () =>
        Promise.all(
          viewers.map(async (viewer, i) => {
            await sleep(i * options.staggerMs);
            return driver.watch(viewer, magnet, seed.infoHash, ctx.announce, {
              fileName: fixture.name,
              watchS: options.watchS,
              timeoutMs,
            });
          }),
        ),
    );
    group.check();
    const fromSeeder = (await driver.uploadedBytes(seeder, seed.infoHash)) - uploadedBefore;
    const received = watched.reduce((sum, w) => sum + w.receivedBytes, 0);
    const fromPeers = Math.max(0, 1 - (fromSeeder + webSeed.counts.bytes) / Math.max(received, 1));
    const playing = watched.map((w) => (w.playingMs - w.startMs) / 1000).sort((a, b) => a - b);
    watched.forEach((w, i) => {
      const stalls = w.stallLog?.length ? `; stalls ${w.stallLog.join(', ')}` : '';
      process.stderr.write(
        `  ${driver.variant} viewer ${String(i + 1)}: playing after ${((w.playingMs - w.startMs) / 1000).toFixed(3)} s${stalls}\n`,
      );
    });
    const k = options.key;
    return {
      [`${k}.webSeedSharePct`]: (100 * webSeed.counts.bytes) / Math.max(received, 1),
      [`${k}.peerSharePct`]: 100 * fromPeers,
      [`${k}.peerShareOfIdeal`]: fromPeers / idealPeerShare(options.viewers),
      [`${k}.webSeedRequests`]: webSeed.counts.requests,
      [`${k}.preflights`]: webSeed.counts.preflights,
      [`${k}.stalls`]: watched.reduce((sum, w) => sum + w.stalls, 0),
      [`${k}.stalledS`]: watched.reduce((sum, w) => sum + w.stalledMs, 0) / 1000,
      [`${k}.allDoneS`]:
        (Math.max(...watched.map((w) => w.doneMs)) - Math.min(...watched.map((w) => w.startMs))) /
        1000,
      [`${k}.playingS`]: playing[Math.floor(playing.length / 2)] ?? Number.NaN,
    };
  } finally {
    await group.close();
    await webSeed.close();
  }
}

/** The rows of one assisted swarm: its figures are under its plan's key. */
export function assistRows(a: AssistPlan): RowSpec[] {
  const k = a.key;
  const what =
    k === 'many'
      ? `a swarm of ${String(a.viewers + 1)} tabs, all playing: 1 seeder + a web seed → ${String(a.viewers)} viewers`
      : `peer-assisted streaming: 1 seeder + a web seed → ${String(a.viewers)} viewers`;
  const ideal = (100 * idealPeerShare(a.viewers)).toFixed(1);
  return [
    {
      section:
        `${what} of the ${STREAM_LABEL}, ${String(a.staggerMs / 1000)} s apart, ` +
        `each playing ${String(a.watchS)} s`,
      key: `${k}.webSeedSharePct`,
      label: "web seed's share of the viewers' bytes",
      unit: '%',
      better: 'lower',
      goal: { text: '≤8.8 % (Spotify)', met: (s) => s <= 8.8 },
    },
    {
      key: `${k}.peerSharePct`,
      label: `share of the viewers' bytes from each other (ideal (N−1)/N: ${ideal} %)`,
      unit: '%',
      better: 'higher',
    },
    {
      key: `${k}.peerShareOfIdeal`,
      label: 'that share ÷ the ideal',
      unit: '×',
      better: 'higher',
    },
    {
      key: `${k}.stalls`,
      label: 'stalls after playback started (all viewers)',
      unit: '',
      better: 'lower',
      goal: { text: '0', met: (s) => s === 0 },
    },
    {
      key: `${k}.stalledS`,
      label: 'time frozen in those stalls (all viewers)',
      unit: 's',
      better: 'lower',
    },
    {
      key: `${k}.webSeedRequests`,
      label: 'HTTP requests to the web seed',
      unit: '',
      better: 'lower',
    },
    {
      key: `${k}.preflights`,
      label: 'CORS preflights (OPTIONS) to the web seed',
      unit: '',
      better: 'lower',
    },
    {
      key: `${k}.playingS`,
      label: 'magnet added → playing (median viewer)',
      unit: 's',
      better: 'lower',
    },
    {
      key: `${k}.allDoneS`,
      label: 'first viewer added → all complete',
      unit: 's',
      better: 'lower',
    },
  ];
}
