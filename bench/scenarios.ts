// The measurements of one round, for one contender each. Every figure is read in the
// pages or through CDP; nothing here is assumed.
import type { Browser } from 'playwright-core';
import { PeerGroup, sampleHeap, taskDurationS, type Peer } from './browser.ts';
import type { Driver } from './drivers.ts';
import { MiB, label, type BenchFixture } from './fixtures.ts';
import { installTrace, readTrace, summariseTrace } from './trace.ts';
import { startProfiling, stopProfiling, type CpuProfile } from './profile.ts';
import { WebSeedServer } from '../scripts/web-seed-server.ts';

/** Metric key → value, for one contender in one round. */
export type Values = Record<string, number>;

export interface Context {
  readonly browser: Browser;
  readonly announce: string;
  readonly staticOrigin: string;
  /** When set (`--profile`), CPU profiles of the tabs during each download land here. */
  readonly profiles?: { name: string; profile: CpuProfile }[];
  /** When set (`--trace`), Shoal's stream rounds print a timeline of their start and seek. */
  readonly trace?: boolean;
}

/** Runs `body` with the tabs profiled when the run asks for profiles. */
async function profiled<T>(
  ctx: Context,
  peers: readonly Peer[],
  body: () => Promise<T>,
): Promise<T> {
  const profiles = ctx.profiles;
  if (!profiles) return body();
  await startProfiling(peers);
  try {
    return await body();
  } finally {
    const taken = await stopProfiling(peers).catch(() => []);
    const n = String(profiles.length + 1).padStart(2, '0');
    taken.forEach((profile, i) =>
      profiles.push({ name: `${n} ${peers[i]?.label ?? ''}`, profile }),
    );
  }
}

/** Generous: a slow figure is a result; only a stuck run is a failure. */
export const timeoutFor = (lengthBytes: number): number => 60_000 + (lengthBytes / MiB) * 2_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function openPeer(group: PeerGroup, driver: Driver, name: string): Promise<Peer> {
  const peer = await group.open(name, driver.url);
  await driver.ready(peer);
  return peer;
}

export interface OneToOneOptions {
  /** Time a 1 → 1 download (false: the seeder only serves the swarm). */
  readonly download: boolean;
  /** Reload the leecher once done and time until it seeds again. */
  readonly reload: boolean;
  /** Then, from the same seeder, this many fresh leechers at once (0: none). */
  readonly swarmLeechers: number;
  /** Seed → magnet and hashing figures are kept under this fixture's label. */
  readonly recordSeed: boolean;
}

/**
 * One seeder: seed → magnet and raw SHA-1 in its page; one leecher (first piece, done,
 * heap, CPU), optionally reloaded; then optionally a 1 → N swarm from the same seeder.
 */
export async function oneToOne(
  ctx: Context,
  driver: Driver,
  fixture: BenchFixture,
  options: OneToOneOptions,
): Promise<Values> {
  const L = label(fixture.lengthBytes);
  const named = (role: string): string => `${driver.variant} ${L} ${role}`;
  const sizeMiB = fixture.lengthBytes / MiB;
  const timeoutMs = timeoutFor(fixture.lengthBytes);
  const values: Values = {};
  const group = new PeerGroup(ctx.browser);
  try {
    const seeder = await openPeer(group, driver, named('seeder'));
    await driver.loadFixture(seeder, fixture.name, ctx.staticOrigin);
    const seed = await profiled(ctx, [seeder], () => driver.seed(seeder, ctx.announce));
    group.check();
    if (options.recordSeed) {
      const seedS = (seed.doneMs - seed.startMs) / 1000;
      const sha1Ms = await driver.rawSha1Ms(seeder, seed.pieceLength);
      values[`seed.${L}.s`] = seedS;
      values[`seed.${L}.MiBps`] = sizeMiB / seedS;
      values[`limit.sha1.${L}.MiBps`] = sizeMiB / (sha1Ms / 1000);
    }

    if (options.download) {
      const leecher = await openPeer(group, driver, named('leecher'));
      const cpuBefore = await Promise.all([taskDurationS(seeder), taskDurationS(leecher)]);
      const heap = sampleHeap([leecher]);
      let download;
      try {
        download = await profiled(ctx, [leecher, seeder], () =>
          driver.download(leecher, seed, ctx.announce, timeoutMs),
        );
      } finally {
        const [leecherPeak] = await heap.stop();
        values[`dl.${L}.heapPeakMiB`] = (leecherPeak ?? Number.NaN) / MiB;
      }
      const cpuAfter = await Promise.all([taskDurationS(seeder), taskDurationS(leecher)]);
      group.check();
      const doneS = (download.doneMs - download.startMs) / 1000;
      values[`dl.${L}.doneS`] = doneS;
      values[`dl.${L}.MiBps`] = sizeMiB / doneS;
      if (download.metadataMs !== null)
        values[`dl.${L}.metadataS`] = (download.metadataMs - download.startMs) / 1000;
      if (download.firstPieceMs !== null) {
        values[`dl.${L}.firstPieceS`] = (download.firstPieceMs - download.startMs) / 1000;
        values[`dl.${L}.transferMiBps`] =
          sizeMiB / ((download.doneMs - download.firstPieceMs) / 1000);
      }
      values[`dl.${L}.cpuSeederMsPerMiB`] = ((cpuAfter[0] - cpuBefore[0]) * 1000) / sizeMiB;
      values[`dl.${L}.cpuLeecherMsPerMiB`] = ((cpuAfter[1] - cpuBefore[1]) * 1000) / sizeMiB;

      if (options.reload) {
        // Give the app a moment to keep what it verified, as a user would before a reload.
        await sleep(1000);
        const startMs = Date.now();
        const reload = await driver.reloadToSeeding(
          leecher,
          seed,
          download,
          ctx.announce,
          timeoutMs,
        );
        group.check();
        values[`reload.${L}.s`] = (reload.seedingMs - startMs) / 1000;
        values[`reload.${L}.refetchedMiB`] = reload.receivedBytes / MiB;
      }
      // Out of the swarm that follows: only the seeder and fresh leechers are in it.
      await leecher.context.close();
    }

    if (options.swarmLeechers > 0) {
      const leechers: Peer[] = [];
      for (let i = 0; i < options.swarmLeechers; i++) {
        leechers.push(await openPeer(group, driver, named(`swarm leecher ${String(i + 1)}`)));
      }
      const uploadedBefore = await driver.uploadedBytes(seeder, seed.infoHash);
      const profiledPeers = [leechers[0], seeder].filter((p) => p !== undefined);
      const results = await profiled(ctx, profiledPeers, () =>
        Promise.all(
          leechers.map((peer) =>
            driver.download(peer, seed, ctx.announce, timeoutFor(fixture.lengthBytes * 3)),
          ),
        ),
      );
      const uploadedAfter = await driver.uploadedBytes(seeder, seed.infoHash);
      group.check();
      const startMs = Math.min(...results.map((r) => r.startMs));
      const doneMs = Math.max(...results.map((r) => r.doneMs));
      const receivedBytes = results.reduce((sum, r) => sum + r.receivedBytes, 0);
      values[`swarm.${L}.allDoneS`] = (doneMs - startMs) / 1000;
      values[`swarm.${L}.peerSharePct`] =
        100 * Math.max(0, 1 - (uploadedAfter - uploadedBefore) / receivedBytes);
    }
    return values;
  } finally {
    await group.close();
  }
}

/** The physical limit for throughput: one raw ordered RTCDataChannel between two tabs. */
export async function rawChannel(
  ctx: Context,
  bytes: number,
  messageBytes: number,
): Promise<Values> {
  interface RawWindow {
    rawReady?: boolean;
    raw?: {
      offer(): Promise<string>;
      answer(sdp: string): Promise<string>;
      accept(sdp: string): Promise<void>;
      receive(bytes: number): Promise<{ firstMs: number; lastMs: number; bytes: number }>;
      send(bytes: number, messageBytes: number): Promise<{ startMs: number }>;
    };
  }
  const group = new PeerGroup(ctx.browser);
  const url = `${ctx.staticOrigin}/raw.html`;
  try {
    const a = await group.open('raw sender', url);
    const b = await group.open('raw receiver', url);
    for (const p of [a, b])
      await p.page.waitForFunction(() => (window as RawWindow).rawReady === true);
    const offer = await a.page.evaluate(() => (window as RawWindow).raw?.offer() ?? '');
    const answer = await b.page.evaluate(
      (sdp) => (window as RawWindow).raw?.answer(sdp) ?? '',
      offer,
    );
    await a.page.evaluate((sdp) => (window as RawWindow).raw?.accept(sdp), answer);
    const received = b.page.evaluate(
      (n) => (window as RawWindow).raw?.receive(n) ?? Promise.reject(new Error('no page')),
      bytes,
    );
    const sent = await a.page.evaluate(
      ([n, m]) => (window as RawWindow).raw?.send(n, m) ?? Promise.reject(new Error('no page')),
      [bytes, messageBytes] as const,
    );
    const got = await received;
    group.check();
    return {
      [`limit.rtc.${String(messageBytes / 1024)}KiB.MiBps`]:
        bytes / MiB / ((got.lastMs - sent.startMs) / 1000),
    };
  } finally {
    await group.close();
  }
}

/** A played stream's add → playing and seek → seeked, in seconds, under `prefix`. */
function playedSeconds(
  prefix: string,
  played: { startMs: number; playingMs: number; seekStartMs: number; seekedMs: number },
): Values {
  return {
    [`${prefix}.playingS`]: (played.playingMs - played.startMs) / 1000,
    [`${prefix}.seekedS`]: (played.seekedMs - played.seekStartMs) / 1000,
  };
}

/**
 * Streaming: one seeder of a video, one viewer that adds the magnet and plays the video
 * through its page's service worker (add → playing), then seeks far ahead (seek → seeked).
 */
export async function streamPlay(
  ctx: Context,
  driver: Driver,
  fixture: BenchFixture,
  media: { readonly seekToS: number },
): Promise<Values> {
  const group = new PeerGroup(ctx.browser);
  try {
    const seeder = await openPeer(group, driver, `${driver.variant} stream seeder`);
    await driver.loadFixture(seeder, fixture.name, ctx.staticOrigin);
    const seed = await driver.seed(seeder, ctx.announce);
    const viewer = await openPeer(group, driver, `${driver.variant} stream viewer`);
    const traced = ctx.trace === true && driver.variant === 'shoal';
    if (traced) await Promise.all([installTrace(viewer, 'viewer'), installTrace(seeder, 'seeder')]);
    const played = await profiled(ctx, [viewer, seeder], () =>
      driver.stream(viewer, seed, ctx.announce, {
        fileName: fixture.name,
        seekToS: media.seekToS,
        timeoutMs: timeoutFor(fixture.lengthBytes),
      }),
    );
    group.check();
    if (traced)
      process.stderr.write(`${summariseTrace(await readTrace(viewer), await readTrace(seeder))}\n`);
    return playedSeconds('stream', played);
  } finally {
    await group.close();
  }
}

/**
 * The browser's own floor for the stream rows: the same video in a plain `<video>` from a
 * local HTTP server that answers ranges at once, no torrent, no service worker: src set →
 * playing, and the same seek → seeked.
 */
export async function httpFloor(
  ctx: Context,
  fixture: BenchFixture,
  media: { readonly seekToS: number },
): Promise<Values> {
  const group = new PeerGroup(ctx.browser);
  try {
    const peer = await group.open('plain HTTP viewer', `${ctx.staticOrigin}/raw.html`);
    const played = await peer.page.evaluate(
      async ([url, seekToS, timeoutMs]) => {
        const video = document.createElement('video');
        video.muted = true;
        document.body.append(video);
        const event = (name: string): Promise<number> =>
          new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
              reject(new Error(`no '${name}' in time`));
            }, timeoutMs);
            const done = (err: Error | null): void => {
              clearTimeout(timer);
              if (err) reject(err);
              else resolve(performance.now());
            };
            video.addEventListener(
              name,
              () => {
                done(null);
              },
              { once: true },
            );
            video.addEventListener(
              'error',
              () => {
                done(new Error(`media error ${String(video.error?.code)}`));
              },
              { once: true },
            );
          });
        const startMs = performance.now();
        video.src = url;
        const playing = event('playing');
        void video.play().catch(() => undefined);
        const playingMs = await playing;
        const seeked = event('seeked');
        const seekStartMs = performance.now();
        video.currentTime = seekToS;
        const seekedMs = await seeked;
        video.pause();
        video.remove();
        return { startMs, playingMs, seekStartMs, seekedMs };
      },
      [
        `${ctx.staticOrigin}/fixtures/${encodeURIComponent(fixture.name)}`,
        media.seekToS,
        timeoutFor(fixture.lengthBytes),
      ] as const,
    );
    group.check();
    return playedSeconds('limit.http', played);
  } finally {
    await group.close();
  }
}

export interface AssistOptions {
  readonly viewers: number;
  /** Viewers join this far apart, as viewers of one video do. */
  readonly staggerMs: number;
  /** Seconds of the media each viewer plays. */
  readonly watchS: number;
}

/**
 * Peer-assisted streaming: one seeder page and a web seed (a real HTTP server here that
 * counts what it serves), then viewers that add the magnet naming the web seed (`ws=`) a few
 * seconds apart and play the video from the start. What share of the viewers' bytes came
 * from the web seed, in how many HTTP requests (and CORS preflights), the stalls, and when
 * all of them had the whole file.
 */
export async function assistSwarm(
  ctx: Context,
  driver: Driver,
  fixture: BenchFixture,
  options: AssistOptions,
): Promise<Values> {
  const webSeed = await WebSeedServer.start([fixture.path]);
  const group = new PeerGroup(ctx.browser);
  try {
    const seeder = await openPeer(group, driver, `${driver.variant} assist seeder`);
    await driver.loadFixture(seeder, fixture.name, ctx.staticOrigin);
    const seed = await driver.seed(seeder, ctx.announce);
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
    const received = watched.reduce((sum, w) => sum + w.receivedBytes, 0);
    const playing = watched.map((w) => (w.playingMs - w.startMs) / 1000).sort((a, b) => a - b);
    watched.forEach((w, i) => {
      const stalls = w.stallLog?.length ? `; stalls ${w.stallLog.join(', ')}` : '';
      process.stderr.write(
        `  ${driver.variant} viewer ${String(i + 1)}: playing after ${((w.playingMs - w.startMs) / 1000).toFixed(3)} s${stalls}\n`,
      );
    });
    return {
      'assist.webSeedSharePct': (100 * webSeed.counts.bytes) / Math.max(received, 1),
      'assist.webSeedRequests': webSeed.counts.requests,
      'assist.preflights': webSeed.counts.preflights,
      'assist.stalls': watched.reduce((sum, w) => sum + w.stalls, 0),
      'assist.stalledS': watched.reduce((sum, w) => sum + w.stalledMs, 0) / 1000,
      'assist.allDoneS':
        (Math.max(...watched.map((w) => w.doneMs)) - Math.min(...watched.map((w) => w.startMs))) /
        1000,
      'assist.playingS': playing[Math.floor(playing.length / 2)] ?? Number.NaN,
    };
  } finally {
    await group.close();
    await webSeed.close();
  }
}
