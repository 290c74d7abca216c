// The streaming measurements (split from scenarios.ts): a stream's start and seek, the
// browser's own floor for them, and the peer-assisted swarm of viewers with a web seed.
import { PeerGroup, type Peer } from './browser.ts';
import type { Driver } from './drivers.ts';
import type { BenchFixture } from './fixtures.ts';
import { openPeer, profiled, sleep, timeoutFor, type Context, type Values } from './scenarios.ts';
import { installTrace, readTrace } from './trace.ts';
import { summariseTrace } from './trace-summary.ts';
import { WebSeedServer } from '../scripts/web-seed-server.ts';

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
