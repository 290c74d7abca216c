// A newcomer's first minute (issue 24): an empty profile, no other page anywhere. The empty
// list offers the demo the app's server keeps (scripts/demo.ts); one click and the video
// plays, its bytes from the server's own web seed, as the detail then says.
import { appUrl, expect, test } from './support/peers.ts';

test('the demo plays from an empty profile with no other peer, and says its bytes came from the web seed', async ({
  newPeer,
}) => {
  const page = await newPeer(appUrl());
  await expect(page.locator('shoal-torrent-list')).toContainText('No torrents yet');
  await page.getByRole('button', { name: 'Play the demo video' }).click();

  const video = page.locator('shoal-player video');
  await expect(video).toHaveAttribute('aria-label', 'shoal-demo.mp4');
  // Playing: its clock moves past the first seconds.
  await expect
    .poll(() => video.evaluate((v: HTMLVideoElement) => (v.paused ? -1 : v.currentTime)), {
      timeout: 60_000,
    })
    .toBeGreaterThan(2);
  const shown = await video.evaluate((v: HTMLVideoElement) => v.videoWidth);
  expect(shown).toBe(640);

  // Nobody else was there: every byte so far came from the web seed.
  const sources = page.locator('shoal-transfer .sources');
  await expect(sources).toContainText(/Web seed [\d.]+ [KM]iB \(100\.0%\)/);
  await expect(sources).toContainText('Peers 0 B');
  // The piece map says what is here, and zooms in on the pieces.
  const map = page.getByRole('img', { name: /^Piece map: / });
  await expect(map).toHaveAttribute('aria-label', /^Piece map: [1-9][\d,]* of [\d,]+ pieces here$/);
  await page.getByRole('button', { name: 'Zoom in on the pieces' }).click();
  await expect(map).toHaveAttribute(
    'aria-label',
    /; showing pieces [\d,]+–[\d,]+, [\d,]+ of them here$/,
  );
  // The empty list's offer is gone with the list no longer empty.
  await expect(page.getByRole('button', { name: 'Play the demo video' })).toHaveCount(0);
});
