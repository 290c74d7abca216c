import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { activeStreams } from './support/app-state.ts';
import { mediaFixture, type MediaName } from './support/media.ts';
import { FIXTURE_DIR, randomFixture } from './support/fixtures.ts';
import { appUrl, expect, row, seedFilesThroughUi, seedThroughUi, test } from './support/peers.ts';
import { APP_ORIGIN } from './support/ports.ts';

async function infoHashOf(page: Page): Promise<string> {
  const magnet = await page.locator('shoal-torrent-detail input#magnet-link').inputValue();
  return /btih:([0-9a-f]{40})/.exec(magnet)?.[1] ?? '';
}

/** The element playing (the next item may be loading ahead in a hidden one). */
const media = (page: Page) =>
  page.locator('shoal-player').locator('video:not([hidden]), audio:not([hidden])');

/** Waits for the media element's playhead to advance past `seconds`. */
async function playsPast(page: Page, seconds: number): Promise<void> {
  await expect
    .poll(() => media(page).evaluate((element: HTMLMediaElement) => element.currentTime))
    .toBeGreaterThan(seconds);
}

for (const name of ['clip-h264.mp4', 'clip-vp9.webm', 'tone.mp3', 'tone.opus'] as MediaName[]) {
  test(`${name} plays from the swarm through the service worker`, async ({ newPeer }, testInfo) => {
    const fixture = mediaFixture(name);
    const seeder = await newPeer(appUrl());
    const magnet = await seedThroughUi(seeder, fixture.path);
    const viewer = await newPeer(appUrl(`?magnet=${encodeURIComponent(magnet)}`));
    await viewer.evaluate(() => navigator.serviceWorker.ready);
    const play = viewer.getByRole('button', { name: `Play ${fixture.name}` });
    await play.waitFor();
    const clickMs = await viewer.evaluate(() => performance.now());
    await play.click();
    // Measured, not asserted: from opening `/?magnet=` to the first frame playing.
    const playingMs = await media(viewer).evaluate(
      (element: HTMLMediaElement) =>
        new Promise<number>((resolve) => {
          if (!element.paused && element.readyState >= 3) resolve(performance.now());
          else
            element.addEventListener(
              'playing',
              () => {
                resolve(performance.now());
              },
              { once: true },
            );
        }),
    );
    await playsPast(viewer, 1);
    // Seek ahead: the element asks the worker for a new range, and plays on from there.
    const seekMs = await media(viewer).evaluate(
      (element: HTMLMediaElement) =>
        new Promise<number>((resolve) => {
          const start = performance.now();
          element.addEventListener(
            'seeked',
            () => {
              resolve(performance.now() - start);
            },
            { once: true },
          );
          element.currentTime = 12;
        }),
    );
    await playsPast(viewer, 12.5);
    await expect(row(viewer, fixture.name)).toBeVisible();
    testInfo.annotations.push({
      type: 'timing',
      description: `${name}: /?magnet= → Play shown ${clickMs.toFixed(0)} ms → playing ${playingMs.toFixed(0)} ms; seek to 12 s → seeked ${seekMs.toFixed(0)} ms`,
    });
    console.log(
      `[timing] ${name}: Play shown ${clickMs.toFixed(0)} ms, playing ${playingMs.toFixed(0)} ms, seeked ${seekMs.toFixed(0)} ms`,
    );
  });
}

test('/stream/ answers Range requests with the source bytes, and clear errors', async ({
  newPeer,
}) => {
  const fixture = mediaFixture('clip-h264.mp4');
  const source = readFileSync(fixture.path);
  const seeder = await newPeer(appUrl());
  const magnet = await seedThroughUi(seeder, fixture.path);
  const viewer = await newPeer(appUrl(`?magnet=${encodeURIComponent(magnet)}`));
  await viewer.evaluate(() => navigator.serviceWorker.ready);
  await expect(row(viewer, fixture.name)).toBeVisible();
  const infoHash = await infoHashOf(viewer);
  const base = `/stream/${infoHash}/${encodeURIComponent(fixture.name)}`;
  const middle = Math.floor(source.length / 2);

  const answers = await viewer.evaluate(
    async ({ base, middle }) => {
      const get = async (url: string, range?: string) => {
        const response = await fetch(url, range ? { headers: { Range: range } } : {});
        const bytes = new Uint8Array(await response.arrayBuffer());
        return {
          status: response.status,
          contentRange: response.headers.get('Content-Range'),
          contentType: response.headers.get('Content-Type'),
          acceptRanges: response.headers.get('Accept-Ranges'),
          length: bytes.length,
          bytes: [...bytes.slice(0, 64)],
          text: response.status >= 400 ? new TextDecoder().decode(bytes) : '',
        };
      };
      return {
        head: await get(base, 'bytes=0-1023'),
        first: await get(base, 'bytes=0-0'),
        middle: await get(base, `bytes=${String(middle)}-${String(middle + 99_999)}`),
        suffix: await get(base, 'bytes=-100'),
        whole: await get(base),
        beyond: await get(base, 'bytes=999999999-'),
        unknownFile: await get(`${base.slice(0, base.lastIndexOf('/'))}/nope.mp4`),
        unknownTorrent: await get(`/stream/${'0'.repeat(40)}/x.mp4`),
      };
    },
    { base, middle },
  );
  const slice = (start: number, end: number) => [...source.subarray(start, end).subarray(0, 64)];
  expect(answers.head).toMatchObject({
    status: 206,
    contentRange: `bytes 0-1023/${String(source.length)}`,
    contentType: 'video/mp4',
    acceptRanges: 'bytes',
    length: 1024,
  });
  expect(answers.head.bytes).toEqual(slice(0, 1024));
  expect(answers.first).toMatchObject({ status: 206, length: 1, bytes: slice(0, 1) });
  expect(answers.middle).toMatchObject({ status: 206, length: 100_000 });
  expect(answers.middle.bytes).toEqual(slice(middle, middle + 100_000));
  expect(answers.suffix).toMatchObject({ status: 206, length: 100 });
  expect(answers.suffix.bytes).toEqual(slice(source.length - 100, source.length));
  expect(answers.whole).toMatchObject({ status: 200, length: source.length });
  expect(answers.beyond).toMatchObject({
    status: 416,
    contentRange: `bytes */${String(source.length)}`,
  });
  expect(answers.unknownFile.status).toBe(404);
  expect(answers.unknownTorrent.status).toBe(404);
  expect(answers.unknownTorrent.text).toContain('No open Shoal tab holds torrent');
});

test('aborting a stream mid-way releases its read in the tab at once', async ({ newPeer }) => {
  const fixture = randomFixture('abort-16MiB.bin', 16 * 1024 * 1024);
  const seeder = await newPeer(appUrl());
  const magnet = await seedThroughUi(seeder, fixture.path);
  const viewer = await newPeer(appUrl(`?magnet=${encodeURIComponent(magnet)}`));
  await viewer.evaluate(() => navigator.serviceWorker.ready);
  await expect(row(viewer, fixture.name)).toBeVisible();
  const base = `/stream/${await infoHashOf(viewer)}/${encodeURIComponent(fixture.name)}`;
  // Read the first bytes of the whole file, then abort, as a seeking media element does.
  await viewer.evaluate(async (url) => {
    const controller = new AbortController();
    const response = await fetch(url, { signal: controller.signal });
    await response.body?.getReader().read();
    (window as unknown as { abortStream: () => void }).abortStream = () => {
      controller.abort();
    };
  }, base);
  expect(await activeStreams(viewer)).toBe(1);
  await viewer.evaluate(() => {
    (window as unknown as { abortStream: () => void }).abortStream();
  });
  await expect.poll(() => activeStreams(viewer), { timeout: 5000 }).toBe(0);
});

test('a stream opened in a tab of its own is answered by the tab that holds the torrent', async ({
  newPeer,
}) => {
  const fixture = mediaFixture('clip-h264.mp4');
  const seeder = await newPeer(appUrl());
  const magnet = await seedThroughUi(seeder, fixture.path);
  const holder = await newPeer(appUrl(`?magnet=${encodeURIComponent(magnet)}`));
  await holder.evaluate(() => navigator.serviceWorker.ready);
  await expect(row(holder, fixture.name)).toBeVisible();
  const url = `${APP_ORIGIN}/stream/${await infoHashOf(holder)}/${encodeURIComponent(fixture.name)}`;
  const direct = await holder.context().newPage();
  const response = await direct.goto(url);
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-type']).toBe('video/mp4');
  // Chromium shows a media document: the video plays in its own tab.
  await expect
    .poll(() => direct.locator('video').evaluate((v: HTMLVideoElement) => v.currentTime))
    .toBeGreaterThan(0.5);
});

test('an SVG from a torrent opened in a tab of its own shows, but runs nothing as the app', async ({
  newPeer,
}) => {
  const path = join(FIXTURE_DIR, 'hostile-image.svg');
  mkdirSync(FIXTURE_DIR, { recursive: true });
  writeFileSync(
    path,
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><title>page</title>' +
      '<text x="4" y="24">hello from a torrent</text>' +
      '<script>document.title = "ran"; localStorage.setItem("pwned", "1");</script></svg>',
  );
  const holder = await newPeer(appUrl());
  await holder.evaluate(() => navigator.serviceWorker.ready);
  await seedThroughUi(holder, path);
  const url = `${APP_ORIGIN}/stream/${await infoHashOf(holder)}/hostile-image.svg`;
  const direct = await holder.context().newPage();
  const response = await direct.goto(url);
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-security-policy']).toMatch(/^sandbox/);
  await expect(direct.locator('text')).toHaveText('hello from a torrent');
  expect(await direct.title()).toBe('page');
  // Its origin is not the app's: the app's storage is out of its reach.
  expect(await direct.evaluate(() => origin)).toBe('null');
  expect(await holder.evaluate(() => localStorage.getItem('pwned'))).toBeNull();
});

/**
 * A seeder of the clip and a fresh viewer page whose service worker controls it: the magnet
 * not added yet.
 */
async function clipAndViewer(newPeer: (url: string) => Promise<Page>) {
  const fixture = mediaFixture('clip-h264.mp4');
  const source = readFileSync(fixture.path);
  const seeder = await newPeer(appUrl());
  const magnet = await seedThroughUi(seeder, fixture.path);
  const infoHash = /btih:([0-9a-f]{40})/.exec(magnet)?.[1] ?? '';
  const viewer = await newPeer(appUrl());
  await viewer.evaluate(() => navigator.serviceWorker.ready);
  await expect
    .poll(() => viewer.evaluate(() => Boolean(navigator.serviceWorker.controller)))
    .toBe(true);
  return { fixture, source, magnet, infoHash, viewer };
}

test('a stream asked for while the metadata is still coming waits for it, then plays', async ({
  newPeer,
}) => {
  const { fixture, source, magnet, infoHash, viewer } = await clipAndViewer(newPeer);
  // Add the magnet and ask for its bytes in the same task: no metadata yet.
  const answer = await viewer.evaluate(
    async ({ magnet, url }) => {
      const shoal = (
        window as unknown as {
          shoal: {
            store: {
              addText: (t: string) => Promise<unknown>;
              state: { torrents: { state: string }[] };
            };
          };
        }
      ).shoal;
      const adding = shoal.store.addText(magnet);
      const response = fetch(url, { headers: { Range: 'bytes=0-1023' } });
      await adding;
      const stateWhenAsked = shoal.store.state.torrents[0]?.state ?? 'none';
      const r = await response;
      return {
        stateWhenAsked,
        status: r.status,
        bytes: [...new Uint8Array(await r.arrayBuffer()).slice(0, 64)],
      };
    },
    { magnet, url: `/stream/${infoHash}/${encodeURIComponent(fixture.name)}` },
  );
  expect(answer.stateWhenAsked).toBe('metadata');
  expect(answer.status).toBe(206);
  expect(answer.bytes).toEqual([...source.subarray(0, 64)]);
});

test('a stream goes straight to the tab that holds the torrent: the worker asks no tab first', async ({
  newPeer,
}) => {
  const { fixture, source, magnet, infoHash, viewer } = await clipAndViewer(newPeer);
  const answer = await viewer.evaluate(
    async ({ magnet, url }) => {
      let asked = 0;
      navigator.serviceWorker.addEventListener('message', (event: MessageEvent) => {
        if ((event.data as { type?: string } | null)?.type === 'shoal-has') asked++;
      });
      const shoal = (
        window as unknown as { shoal: { store: { addText: (t: string) => Promise<unknown> } } }
      ).shoal;
      await shoal.store.addText(magnet);
      const r = await fetch(url, { headers: { Range: 'bytes=1000-1999' } });
      return { asked, status: r.status, bytes: [...new Uint8Array(await r.arrayBuffer())] };
    },
    { magnet, url: `/stream/${infoHash}/${encodeURIComponent(fixture.name)}` },
  );
  expect(answer.status).toBe(206);
  expect(answer.bytes).toEqual([...source.subarray(1000, 2000)]);
  expect(answer.asked).toBe(0);
  // Once the tab lets the torrent go, the worker says so instead of sending requests there.
  await viewer.evaluate(async (infoHash) => {
    const shoal = (
      window as unknown as {
        shoal: { store: { remove: (h: string, deleteData: boolean) => Promise<unknown> } };
      }
    ).shoal;
    await shoal.store.remove(infoHash, true);
  }, infoHash);
  const after = await viewer.evaluate(
    async (url) => (await fetch(url, { headers: { Range: 'bytes=0-9' } })).status,
    `/stream/${infoHash}/${encodeURIComponent(fixture.name)}`,
  );
  expect(after).toBe(404);
});

test('two torrents stream at once: one in the player, one in another tab of the same browser', async ({
  newPeer,
}) => {
  const video = mediaFixture('clip-h264.mp4');
  const audio = mediaFixture('tone.mp3');
  const seederA = await newPeer(appUrl());
  const magnetA = await seedThroughUi(seederA, video.path);
  const seederB = await newPeer(appUrl());
  const magnetB = await seedThroughUi(seederB, audio.path);
  const viewer = await newPeer(appUrl(`?magnet=${encodeURIComponent(magnetA)}`));
  await viewer.evaluate(() => navigator.serviceWorker.ready);
  await expect(row(viewer, video.name)).toBeVisible();
  const added = await viewer.evaluate(async (magnet) => {
    const shoal = (
      window as unknown as {
        shoal: { store: { addText: (t: string) => Promise<{ ok: boolean }> } };
      }
    ).shoal;
    return (await shoal.store.addText(magnet)).ok;
  }, magnetB);
  expect(added).toBe(true);
  await expect(row(viewer, audio.name)).toBeVisible();
  // The second torrent plays in a tab of its own; only the first tab runs the engine, and
  // the worker sends this tab's requests there.
  const infoHashB = /btih:([0-9a-f]{40})/.exec(magnetB)?.[1] ?? '';
  const other = await viewer.context().newPage();
  await other.goto(`${APP_ORIGIN}/stream/${infoHashB}/${encodeURIComponent(audio.name)}`);
  // The first torrent plays in the engine tab's player, at the same time.
  await row(viewer, video.name).locator('button.name').click();
  await viewer.getByRole('button', { name: `Play ${video.name}` }).click();
  const time = (page: Page, selector: string) =>
    page.locator(selector).evaluate((element: HTMLMediaElement) => element.currentTime);
  await expect.poll(() => time(other, 'video, audio')).toBeGreaterThan(2);
  await expect.poll(() => time(viewer, 'shoal-player video')).toBeGreaterThan(2);
  // Both still move on together.
  const [a, b] = [await time(viewer, 'shoal-player video'), await time(other, 'video, audio')];
  await expect.poll(() => time(viewer, 'shoal-player video')).toBeGreaterThan(a + 1);
  await expect.poll(() => time(other, 'video, audio')).toBeGreaterThan(b + 1);
});

test('a torrent of two tracks plays them in order: the second starts when the first ends', async ({
  newPeer,
}) => {
  const first = mediaFixture('track-1.mp3');
  const second = mediaFixture('track-2.mp3');
  const seeder = await newPeer(appUrl());
  const magnet = await seedFilesThroughUi(seeder, [first.path, second.path]);
  const viewer = await newPeer(appUrl(`?magnet=${encodeURIComponent(magnet)}`));
  await viewer.evaluate(() => navigator.serviceWorker.ready);
  await viewer.getByRole('button', { name: `Play ${first.name}` }).click();
  const player = viewer.locator('shoal-player');
  await expect(player.getByRole('list', { name: 'Playlist' }).getByRole('button')).toHaveText([
    first.name,
    second.name,
  ]);
  await playsPast(viewer, 0.5);
  await expect(player.locator('audio:not([hidden])')).toHaveAttribute(
    'src',
    new RegExp(`${first.name}$`),
  );
  // Track 1 is 3 s long: the player moves on to track 2 by itself.
  await expect(player.locator('audio:not([hidden])')).toHaveAttribute(
    'src',
    new RegExp(`${second.name}$`),
    {
      timeout: 60_000,
    },
  );
  await expect(player.getByRole('button', { name: second.name })).toHaveAttribute(
    'aria-current',
    'true',
  );
  await playsPast(viewer, 1);
});
