import type { Page } from '@playwright/test';
import { pdfFixture, textFixture } from './support/documents.ts';
import { mediaFixture } from './support/media.ts';
import { appUrl, expect, seedFilesThroughUi, test } from './support/peers.ts';

/**
 * Subtitles and previews from a torrent streamed from another peer, in the built app under
 * its Content-Security-Policy: the newPeer fixture fails the test on any violation.
 */

/** The cues the video shows now (its showing tracks' active cues), as "label: text". */
const shownCues = (page: Page) =>
  page.locator('shoal-player video:not([hidden])').evaluate((video: HTMLVideoElement) =>
    Array.from(video.textTracks)
      .filter((track) => track.mode === 'showing')
      .flatMap((track) =>
        Array.from(track.activeCues ?? []).map((cue) => `${track.label}: ${(cue as VTTCue).text}`),
      ),
  );

test("a video's SubRip and WebVTT subtitles in its torrent, and one from disk, show their cues", async ({
  newPeer,
}) => {
  const video = mediaFixture('clip-h264.mp4');
  // The video is 30 s long: each file has one cue over nearly all of it.
  const srt = textFixture(
    'clip-h264.srt',
    '1\r\n00:00:00,200 --> 00:00:29,000\r\n<i>Hello</i> from SubRip & co\r\n',
  );
  const vtt = textFixture(
    'clip-h264.en.vtt',
    'WEBVTT\n\n00:00.200 --> 00:29.000\nHello from WebVTT\n',
  );
  const mine = textFixture('mine.srt', '1\n00:00:00,200 --> 00:00:29,000\nMy own subtitles\n');
  const seeder = await newPeer(appUrl());
  const magnet = await seedFilesThroughUi(seeder, [video.path, srt.path, vtt.path]);
  const viewer = await newPeer(appUrl(`?magnet=${encodeURIComponent(magnet)}`));
  await viewer.evaluate(() => navigator.serviceWorker.ready);
  await viewer.getByRole('button', { name: `Play ${video.name}` }).click();
  const player = viewer.locator('shoal-player');

  // The subtitle named exactly like the video shows first, converted from SubRip.
  await expect
    .poll(() => shownCues(viewer))
    .toEqual(['Subtitles: <i>Hello</i> from SubRip &amp; co']);
  const menu = player.getByRole('combobox', { name: 'Subtitles' });
  await expect(menu.locator('option')).toHaveText(['Subtitles off', 'Subtitles', 'en']);
  await expect(player.locator('video:not([hidden]) track')).toHaveAttribute('src', /^blob:/);

  await menu.selectOption({ label: 'en' });
  await expect.poll(() => shownCues(viewer)).toEqual(['en: Hello from WebVTT']);

  await menu.selectOption({ label: 'Subtitles off' });
  await expect.poll(() => shownCues(viewer)).toEqual([]);

  await player.locator('input.subtitle-file').setInputFiles(mine.path);
  await expect.poll(() => shownCues(viewer)).toEqual(['mine.srt: My own subtitles']);
  await expect(menu).toHaveValue(/^file:/);
  // Still playing all along.
  await expect
    .poll(() =>
      player.locator('video:not([hidden])').evaluate((v: HTMLVideoElement) => v.currentTime),
    )
    .toBeGreaterThan(1);
});

test("a torrent's image, text and PDF are previewed in the detail from the swarm", async ({
  newPeer,
}) => {
  const image = mediaFixture('still.png');
  const notes = textFixture(
    'notes.txt',
    'Read me first.\n<b>Not bold</b> & <script>nothing</script>\n',
  );
  const pdf = pdfFixture('paper.pdf', 'Hello PDF');
  const empty = textFixture('empty.txt', '');
  const seeder = await newPeer(appUrl());
  const magnet = await seedFilesThroughUi(seeder, [image.path, notes.path, pdf.path, empty.path]);
  const viewer = await newPeer(appUrl(`?magnet=${encodeURIComponent(magnet)}`));
  await viewer.evaluate(() => navigator.serviceWorker.ready);
  const preview = viewer.locator('shoal-file-preview');

  await viewer.getByRole('button', { name: `Preview ${image.name}` }).click();
  const img = preview.getByRole('img', { name: image.name });
  await expect
    .poll(() => img.evaluate((el: HTMLImageElement) => [el.naturalWidth, el.naturalHeight]))
    .toEqual([64, 48]);

  await viewer.getByRole('button', { name: `Preview ${notes.name}` }).click();
  await expect(preview.locator('pre')).toHaveText(
    'Read me first.\n<b>Not bold</b> & <script>nothing</script>\n',
    { useInnerText: false },
  );
  await expect(preview.locator('pre b, pre script')).toHaveCount(0);

  // An empty file has no byte 0 to stream (the worker answers 416): it says it is empty.
  await viewer.getByRole('button', { name: `Preview ${empty.name}` }).click();
  await expect(preview.getByRole('status')).toHaveText('"empty.txt" is empty.');

  await viewer.getByRole('button', { name: `Preview ${pdf.name}` }).click();
  const frame = preview.locator('iframe[title="PDF: paper.pdf"]');
  await expect(frame).toHaveAttribute('src', /\/stream\/[0-9a-f]{40}\/.*paper\.pdf$/);
  // The browser opened the bytes from the swarm in its PDF viewer, inside the page: the
  // viewer (Chromium's, a frame of its own in ours) names the file and counts its one page.
  // Its toolbar is Chromium's own markup, read here as the user sees it.
  const pdfViewer = async (): Promise<string | null> => {
    const inner = viewer
      .frames()
      .find(
        (f) =>
          f.url().startsWith('chrome-extension://') &&
          f.parentFrame()?.url().endsWith('/paper.pdf'),
      );
    if (!inner) return null;
    return inner.evaluate(() => {
      const toolbar = document
        .querySelector('pdf-viewer')
        ?.shadowRoot?.querySelector('viewer-toolbar');
      const pages = toolbar?.shadowRoot?.querySelector('viewer-page-selector')?.shadowRoot;
      const count = pages?.textContent.replace(/\s+/g, ' ').trim() ?? '';
      return `${document.title} ${count}`;
    });
  };
  await expect.poll(pdfViewer).toBe('paper.pdf / 1');
  await expect(
    preview.getByRole('link', { name: `Open "${pdf.name}" in a new tab` }),
  ).toHaveAttribute('target', '_blank');
});
