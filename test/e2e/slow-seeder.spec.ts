// Spotify's greedy scheduling end to end (issue 27): a video streams from two stock WebTorrent
// seeders whose links are paced near its bitrate; mid-playback one of them turns to a crawl
// (a block every 4 s). The blocks it holds near the playhead are asked of the other seeder
// instead (standard `cancel` and `request` messages), so the video plays on through the
// switch, and the download completes with every byte right.
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { firstTorrent } from './support/app-state.ts';
import { sha256 } from './support/fixtures.ts';
import { mediaFixture } from './support/media.ts';
import { appUrl, expect, row, test } from './support/peers.ts';
import { STATIC_ORIGIN, TRACKER_URL } from './support/ports.ts';

/** Each seeder's link before the switch: 1 block (16 KiB) per 150 ms, ~1.8× the video's bitrate. */
const PACE_MS = 150;
/** The slow seeder's link after it: a block every 4 s. */
const CRAWL_MS = 4000;
/** The playhead (s) at which one seeder turns slow. */
const SWITCH_AT_S = 4;
/** A playhead still for longer than this while playing is a stall the viewer minds. */
const STALL_BOUND_S = 2;

interface Paced {
  seedPaced(name: string, announce: string[], msPerBlock: number): Promise<string>;
  pace(msPerBlock: number): void;
  pacedCounts(): { served: number; servedSlow: number; cancelled: number; uploaded: number };
}

async function pacedSeeder(newPeer: (url: string) => Promise<Page>, name: string) {
  const page = await newPeer(`${STATIC_ORIGIN}/stock.html`);
  await page.waitForFunction(() => (window as { stockReady?: boolean }).stockReady === true);
  const magnet = await page.evaluate(
    ([n, t, ms]) => (window as unknown as { stock: Paced }).stock.seedPaced(n, [t], ms),
    [name, TRACKER_URL, PACE_MS] as const,
  );
  return {
    magnet,
    pace: (ms: number) =>
      page.evaluate((m) => {
        (window as unknown as { stock: Paced }).stock.pace(m);
      }, ms),
    counts: () => page.evaluate(() => (window as unknown as { stock: Paced }).stock.pacedCounts()),
  };
}

/** The element playing. */
const media = (page: Page) =>
  page.locator('shoal-player').locator('video:not([hidden]), audio:not([hidden])');

interface Watch {
  /** Each span over which the playhead did not move while the element played: a stall. */
  frozen: { fromS: number; startMs: number; endMs: number }[];
  /** Each `waiting`: the playhead, and seconds buffered ahead of it. */
  waiting: { atS: number; aheadS: number }[];
}

/**
 * Watches, in the page, what a viewer sees: every 100 ms whether the playhead moved since the
 * last look while the element was not paused (the spans it did not are stalls, whatever
 * events the element fired), and each `waiting` for the log.
 */
async function watchPlayhead(page: Page): Promise<void> {
  await media(page).evaluate((element: HTMLMediaElement) => {
    const watch: Watch = { frozen: [], waiting: [] };
    (window as unknown as { watch: Watch }).watch = watch;
    let last = { s: element.currentTime, ms: performance.now() };
    let open: Watch['frozen'][number] | null = null;
    setInterval(() => {
      const now = performance.now();
      const s = element.currentTime;
      if (s !== last.s || element.paused || element.ended) {
        open = null;
        last = { s, ms: now };
        return;
      }
      if (!open) {
        open = { fromS: s, startMs: last.ms, endMs: now };
        watch.frozen.push(open);
      } else open.endMs = now;
    }, 100);
    element.addEventListener('waiting', () => {
      const t = element.currentTime;
      const ranges = element.buffered;
      let aheadS = 0;
      for (let i = 0; i < ranges.length; i++)
        if (ranges.start(i) <= t && ranges.end(i) > t) aheadS = ranges.end(i) - t;
      watch.waiting.push({ atS: t, aheadS });
    });
  });
}

/** The stalls seen from `sinceMs` (page time) on, longest first, and the `waiting` events. */
const stallsOf = (page: Page, sinceMs: number) =>
  page.evaluate((since) => {
    const watch = (window as unknown as { watch: Watch }).watch;
    return {
      stalls: watch.frozen
        .filter((f) => f.endMs >= since)
        .map((f) => ({
          atS: Math.round(f.fromS * 10) / 10,
          lastedS: Math.round((f.endMs - f.startMs) / 100) / 10,
        }))
        .sort((a, b) => b.lastedS - a.lastedS),
      waiting: watch.waiting.map((w) => `${w.atS.toFixed(1)}+${w.aheadS.toFixed(1)}`),
    };
  }, sinceMs);

const currentTime = (page: Page): Promise<number> =>
  media(page).evaluate((element: HTMLMediaElement) => element.currentTime);

test('one of two seeders turns to a crawl mid-stream: the video plays on, and completes right', async ({
  newPeer,
}) => {
  test.setTimeout(240_000);
  const fixture = mediaFixture('minute-h264.mp4');
  const slow = await pacedSeeder(newPeer, fixture.name);
  const steady = await pacedSeeder(newPeer, fixture.name);
  expect(steady.magnet).toBe(slow.magnet);

  const viewer = await newPeer(appUrl(`?magnet=${encodeURIComponent(slow.magnet)}`), {
    noSavePicker: true,
  });
  await viewer.evaluate(() => navigator.serviceWorker.ready);
  await viewer.getByRole('button', { name: `Play ${fixture.name}` }).click();
  await watchPlayhead(viewer);
  await expect.poll(() => currentTime(viewer), { timeout: 60_000 }).toBeGreaterThan(SWITCH_AT_S);
  // Both seeders have been serving it: the one that turns slow holds requests of the viewer.
  expect((await slow.counts()).served).toBeGreaterThan(0);
  expect((await steady.counts()).served).toBeGreaterThan(0);
  await slow.pace(CRAWL_MS);
  const switchedAtS = await currentTime(viewer);
  const switchedAtMs = await viewer.evaluate(() => performance.now());

  // The download completes while the video plays on.
  await expect(row(viewer, fixture.name).locator('.state')).toHaveText('Seeding', {
    timeout: 150_000,
  });
  const afterS = await currentTime(viewer);
  const { stalls, waiting } = await stallsOf(viewer, switchedAtMs);
  const counts = { slow: await slow.counts(), steady: await steady.counts() };
  const assist = await viewer.evaluate(() => {
    const shoal = (
      window as unknown as {
        shoal: {
          store: { state: { torrents: { infoHash: string }[] } };
          engine: { assistStatus(h: string): { requestMoves?: number } | null };
        };
      }
    ).shoal;
    const t = shoal.store.state.torrents[0];
    return t ? shoal.engine.assistStatus(t.infoHash) : null;
  });
  console.log(
    `[slow-seeder] switched at ${switchedAtS.toFixed(1)} s, done at ${afterS.toFixed(1)} s; ` +
      `stalls ${JSON.stringify(stalls.slice(0, 8))} (${String(stalls.length)}), waiting ${waiting.join(' ')}; slow seeder ${JSON.stringify(counts.slow)}, ` +
      `steady ${JSON.stringify(counts.steady)}; blocks moved ${String(assist?.requestMoves)}`,
  );
  // It played on past the switch, and never waited for data longer than a moment.
  expect(afterS).toBeGreaterThan(switchedAtS + 5);
  expect(stalls.filter((s) => s.lastedS > STALL_BOUND_S)).toEqual([]);
  // The slow seeder did turn slow while the viewer still asked it for blocks.
  expect(counts.slow.servedSlow).toBeGreaterThan(0);

  // Every byte right: saved through the UI.
  expect((await firstTorrent(viewer))?.progress).toBe(1);
  const download = viewer.waitForEvent('download');
  await viewer.getByRole('button', { name: `Save ${fixture.name}` }).click();
  expect(sha256(await readFile(await (await download).path()))).toBe(fixture.sha256);
});
