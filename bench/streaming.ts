// The streaming measurements (split from scenarios.ts): a stream's start and seek, and the
// browser's own floor for them.
import { PeerGroup } from './browser.ts';
import type { Driver } from './drivers.ts';
import type { BenchFixture } from './fixtures.ts';
import { openPeer, profiled, timeoutFor, type Context, type Values } from './scenarios.ts';
import { installTrace, readTrace } from './trace.ts';
import { summariseTrace } from './trace-summary.ts';

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
