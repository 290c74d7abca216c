// Spotify's peer-assisted rules end to end: a real tracker, real Chromium pages, and a web
// seed server started here that counts what it serves. The web seed is our CDN: used to
// start fast and to rescue a low buffer, never for what peers deliver in time.
import type { Page } from '@playwright/test';
import { firstTorrent } from './support/app-state.ts';
import { randomFixture } from './support/fixtures.ts';
import { mediaFixture } from './support/media.ts';
import { appUrl, expect, row, seedFilesThroughUi, seedThroughUi, test } from './support/peers.ts';
import { WebSeedServer } from '../../scripts/web-seed-server.ts';

/** The element playing (the next item may be loading ahead in a hidden one). */
const media = (page: Page) =>
  page.locator('shoal-player').locator('video:not([hidden]), audio:not([hidden])');

interface Recorded {
  startedAtMs: number | null;
  /** `waiting` after the first frame with nothing buffered ahead: a stall the user sees. */
  stalls: { atS: number }[];
  /** [time, src] of each `playing` and `ended`. */
  playing: [number, string][];
  ended: [number, string][];
}

/** Records the media element's playing, waiting and ended events in the page. */
async function record(page: Page): Promise<void> {
  await page
    .locator('shoal-player')
    .locator('video, audio')
    .evaluateAll((elements) => {
      const w = window as unknown as { rec?: Recorded; recorded?: WeakSet<Element> };
      const rec: Recorded = (w.rec ??= { startedAtMs: null, stalls: [], playing: [], ended: [] });
      const seen = (w.recorded ??= new WeakSet());
      for (const element of elements as HTMLMediaElement[]) {
        if (seen.has(element)) continue;
        seen.add(element);
        const ahead = (): number => {
          const t = element.currentTime;
          // One snapshot: each read of `buffered` is a new one, and ranges merge between them.
          const ranges = element.buffered;
          for (let i = 0; i < ranges.length; i++) {
            if (ranges.start(i) <= t && ranges.end(i) > t) return ranges.end(i) - t;
          }
          return 0;
        };
        if (!element.paused && element.readyState >= 3) rec.startedAtMs ??= performance.now();
        element.addEventListener('playing', () => {
          rec.startedAtMs ??= performance.now();
          rec.playing.push([performance.now(), element.currentSrc]);
        });
        element.addEventListener('waiting', () => {
          if (rec.startedAtMs !== null && !element.seeking && !element.hidden && ahead() < 0.1)
            rec.stalls.push({ atS: element.currentTime });
        });
        element.addEventListener('ended', () => {
          rec.ended.push([performance.now(), element.currentSrc]);
        });
      }
    });
}

const recorded = (page: Page): Promise<Recorded> =>
  page.evaluate(() => (window as unknown as { rec: Recorded }).rec);

const currentTime = (page: Page): Promise<number> =>
  media(page).evaluate((element: HTMLMediaElement) => element.currentTime);

async function play(page: Page, name: string): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.getByRole('button', { name: `Play ${name}` }).click();
  await record(page);
}

/**
 * A .torrent with a BEP 19 `url-list` added: the last key of its top dictionary (keys sort
 * before it), the info dictionary and so the info-hash untouched.
 */
function withUrlList(torrent: readonly number[], url: string): number[] {
  const entry = `8:url-list${String(Buffer.byteLength(url))}:${url}`;
  return [...torrent.slice(0, -1), ...Buffer.from(entry, 'latin1'), 0x65];
}

/** The playhead, logging what the page's engine and element are doing (when a test waits). */
async function diagnose(page: Page): Promise<number> {
  const state = await page.evaluate(() => {
    const shoal = (
      window as unknown as {
        shoal: {
          store: { state: { torrents: { infoHash: string; progress: number; peers?: number }[] } };
          engine: { assistStatus(h: string): unknown };
        };
      }
    ).shoal;
    const t = shoal.store.state.torrents[0];
    const el = document
      .querySelector('shoal-app')
      ?.shadowRoot?.querySelector('shoal-torrent-detail')
      ?.shadowRoot?.querySelector('shoal-player')
      ?.shadowRoot?.querySelector<HTMLMediaElement>('video, audio');
    return {
      progress: t?.progress,
      peers: t?.peers,
      assist: t ? shoal.engine.assistStatus(t.infoHash) : null,
      el: el
        ? {
            time: el.currentTime,
            ready: el.readyState,
            net: el.networkState,
            paused: el.paused,
            err: el.error?.message,
          }
        : null,
    };
  });
  if (process.env.PEER_ASSIST_DEBUG) console.log(JSON.stringify(state));
  return currentTime(page);
}

const withWebSeed = (magnet: string, url: string): string =>
  `${magnet}&ws=${encodeURIComponent(url)}`;

test('three viewers play from one seeder and a web seed: no stall, few bytes from the web seed', async ({
  newPeer,
}) => {
  test.setTimeout(180_000);
  const fixture = mediaFixture('clip-h264.mp4');
  const seed = await WebSeedServer.start([fixture.path]);
  try {
    const seeder = await newPeer(appUrl());
    const magnet = withWebSeed(await seedThroughUi(seeder, fixture.path), seed.url(fixture.name));
    const viewers = await Promise.all(
      [0, 1, 2].map(() => newPeer(appUrl(`?magnet=${encodeURIComponent(magnet)}`))),
    );
    // They join a few seconds apart, as viewers of one video do, and then play together.
    for (const viewer of viewers) {
      await play(viewer, fixture.name);
      await expect.poll(() => diagnose(viewer), { timeout: 60_000 }).toBeGreaterThan(0.5);
    }
    // The clip is 30 s: each plays (nearly) to its end.
    for (const viewer of viewers) {
      await expect.poll(() => diagnose(viewer), { timeout: 90_000 }).toBeGreaterThan(27);
    }
    const received = await Promise.all(
      viewers.map(async (v) => (await firstTorrent(v))?.receivedBytes ?? 0),
    );
    const total = received.reduce((a, b) => a + b, 0);
    const share = seed.counts.bytes / total;
    const stalls = await Promise.all(viewers.map(async (v) => (await recorded(v)).stalls));
    console.log(
      `[peer-assist] 3 viewers: web seed ${String(seed.counts.bytes)} of ${String(total)} bytes (${(share * 100).toFixed(1)} %), ` +
        `${String(seed.counts.requests)} requests, ${String(seed.counts.preflights)} preflights; stalls ${JSON.stringify(stalls)}`,
    );
    for (const s of stalls) expect(s).toEqual([]);
    expect(seed.counts.preflights).toBe(0);
    expect(total).toBeGreaterThanOrEqual(3 * fixture.lengthBytes * 0.9);
    // Peers carry most of it (Spotify: 91 % from peers and cache).
    expect(share).toBeLessThan(0.3);
  } finally {
    await seed.close();
  }
});

test('a plain download from a healthy swarm takes (almost) nothing from the web seed', async ({
  newPeer,
}) => {
  const fixture = randomFixture('plain-8MiB.bin', 8 * 1024 * 1024);
  const seed = await WebSeedServer.start([fixture.path]);
  try {
    const seeder = await newPeer(appUrl());
    const magnet = withWebSeed(await seedThroughUi(seeder, fixture.path), seed.url(fixture.name));
    const leechers = await Promise.all(
      [0, 1].map(() => newPeer(appUrl(`?magnet=${encodeURIComponent(magnet)}`))),
    );
    for (const leecher of leechers) {
      await expect
        .poll(async () => (await firstTorrent(leecher))?.progress, { timeout: 90_000 })
        .toBe(1);
    }
    console.log(
      `[peer-assist] plain download 2 × 8 MiB: web seed ${String(seed.counts.bytes)} bytes, ${String(seed.counts.requests)} requests`,
    );
    expect(seed.counts.bytes).toBeLessThanOrEqual(0.01 * 2 * fixture.lengthBytes);
  } finally {
    await seed.close();
  }
});

test('with no peer at all the web seed alone plays the video, 15 s ahead at most, in few simple requests', async ({
  newPeer,
}) => {
  test.setTimeout(120_000);
  const fixture = mediaFixture('clip-h264.mp4');
  const seed = await WebSeedServer.start([fixture.path]);
  try {
    // A .torrent naming the web seed (url-list), made from what a seeder shared; then the
    // seeder leaves, so that only the web seed has the pieces.
    const seeder = await newPeer(appUrl());
    const magnet = await seedThroughUi(seeder, fixture.path);
    const infoHash = /btih:([0-9a-f]{40})/.exec(magnet)?.[1] ?? '';
    const bytes = await seeder.evaluate((hash) => {
      const shoal = (
        window as unknown as {
          shoal: { engine: { persisted(h: string): { torrentFile: Uint8Array | null } | null } };
        }
      ).shoal;
      return [...(shoal.engine.persisted(hash)?.torrentFile ?? [])];
    }, infoHash);
    await seeder.close();
    const torrentFile = withUrlList(bytes, seed.url(fixture.name));
    const pieceLength = Number(
      /12:piece lengthi(\d+)e/.exec(Buffer.from(bytes).toString('latin1'))?.[1],
    );

    const viewer = await newPeer(appUrl());
    await viewer.evaluate(() => navigator.serviceWorker.ready);
    await viewer.evaluate(async (file) => {
      const shoal = (
        window as unknown as { shoal: { store: { addTorrentFile(f: File): Promise<unknown> } } }
      ).shoal;
      await shoal.store.addTorrentFile(new File([Uint8Array.from(file)], 'clip.torrent'));
    }, torrentFile);
    await row(viewer, fixture.name).locator('button.name').click();
    await play(viewer, fixture.name);
    const bitrate = fixture.lengthBytes / 30;
    // Never far ahead of the playhead: 15 s after a rescue at 3 s left, plus a piece or two.
    await expect.poll(() => diagnose(viewer), { timeout: 60_000 }).toBeGreaterThan(8);
    const at = await currentTime(viewer);
    const servedThen = seed.counts.bytes;
    await expect.poll(() => diagnose(viewer), { timeout: 60_000 }).toBeGreaterThan(25);
    const rec = await recorded(viewer);
    const pieces = Math.ceil(seed.counts.bytes / pieceLength);
    console.log(
      `[peer-assist] web seed alone: at ${at.toFixed(1)} s it had served ${String(servedThen)} bytes (${(servedThen / bitrate).toFixed(1)} s of media); ` +
        `in all ${String(seed.counts.bytes)} bytes = ${String(pieces)} pieces in ${String(seed.counts.requests)} requests, ${String(seed.counts.preflights)} preflights; ranges ${seed.counts.ranges.join(' ')}; stalls ${JSON.stringify(rec.stalls)}`,
    );
    expect(rec.stalls).toEqual([]);
    expect(servedThen).toBeLessThanOrEqual((at + 18) * bitrate + 2 * pieceLength);
    expect(seed.counts.preflights).toBe(0);
    expect(seed.counts.requests).toBeLessThanOrEqual(pieces / 4);
  } finally {
    await seed.close();
  }
});

test('in a playlist the second track starts within 300 ms of the first one ending', async ({
  newPeer,
}) => {
  const first = mediaFixture('track-1.mp3');
  const second = mediaFixture('track-2.mp3');
  const seed = await WebSeedServer.start([first.path, second.path]);
  try {
    const seeder = await newPeer(appUrl());
    const magnet = withWebSeed(
      await seedFilesThroughUi(seeder, [first.path, second.path]),
      seed.url(),
    );
    const viewer = await newPeer(appUrl(`?magnet=${encodeURIComponent(magnet)}`));
    await play(viewer, first.name);
    // The second track loads ahead in an element of its own: record it too.
    await expect(viewer.locator('shoal-player').locator('audio')).toHaveCount(2);
    await record(viewer);
    await expect
      .poll(
        async () => (await recorded(viewer)).playing.some(([, src]) => src.endsWith(second.name)),
        {
          timeout: 60_000,
        },
      )
      .toBe(true);
    const rec = await recorded(viewer);
    const ended = rec.ended.find(([, src]) => src.endsWith(first.name))?.[0] ?? NaN;
    const started = rec.playing.find(([, src]) => src.endsWith(second.name))?.[0] ?? NaN;
    const gapMs = started - ended;
    console.log(
      `[peer-assist] playlist: track 2 playing ${gapMs.toFixed(0)} ms after track 1 ended; web seed ${String(seed.counts.bytes)} bytes in ${String(seed.counts.requests)} requests`,
    );
    expect(gapMs).toBeGreaterThanOrEqual(0);
    expect(gapMs).toBeLessThanOrEqual(300);
  } finally {
    await seed.close();
  }
});
