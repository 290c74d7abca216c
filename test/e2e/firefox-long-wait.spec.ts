// Firefox stops a service worker 30 s after its last event, and 30 s later still with work
// pending (waitUntil), kept at its defaults here: a stream that waits longer than both for its
// pieces must still give the user every byte, never a response that ends as if whole short of
// its length (before src/stream/keep-alive.ts, this one ended "whole" with 0 of 4 MiB).
import { writeFile } from 'node:fs/promises';
import { keptRows } from './support/app-state.ts';
import { randomFixture } from './support/fixtures.ts';
import { controlled, readLikeAMediaElement, rowState, test } from './support/firefox.ts';
import { appUrl, expect, seedThroughUi } from './support/peers.ts';

const MiB = 1024 * 1024;
/** Past Firefox's 30 s idle timeout and the 30 s it then allows pending work. */
const WAIT_MS = 75_000;

test('a Firefox stream that waits 75 s for its pieces completes with the source bytes', async ({
  newPeer,
  newFirefoxPeer,
}, testInfo) => {
  test.setTimeout(WAIT_MS + 120_000);
  const fixture = randomFixture('firefox-long-wait-4MiB.bin', 4 * MiB);
  // The .torrent of a file shared in Chromium; then nobody has the file for a while.
  const first = await newPeer(appUrl());
  await seedThroughUi(first, fixture.path);
  await expect.poll(async () => Boolean((await keptRows(first))[0]?.torrentFile)).toBe(true);
  const [record] = await keptRows(first);
  if (!record?.torrentFile) throw new Error('no .torrent kept');
  const torrentPath = `${fixture.path}.torrent`;
  await writeFile(torrentPath, Uint8Array.from(record.torrentFile));
  await first.context().close();

  const firefox = await newFirefoxPeer(appUrl());
  await controlled(firefox);
  const input = await firefox.waitForSelector('>>> input#torrent-file');
  await input?.uploadFile(torrentPath);
  await expect.poll(() => rowState(firefox, fixture.name)).not.toBeNull();
  const reading = readLikeAMediaElement(
    firefox,
    `/stream/${record.infoHash}/${encodeURIComponent(fixture.name)}`,
  );
  // Nobody has a piece yet: the read waits. Then a seeder joins.
  await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
  const pending = await Promise.race([reading.then(() => false), Promise.resolve(true)]);
  expect(pending, 'the read ended before any byte of the file existed here').toBe(true);
  expect(await rowState(firefox, fixture.name)).not.toBe('Seeding');
  const second = await newPeer(appUrl());
  const magnet = await seedThroughUi(second, fixture.path);
  expect(magnet).toContain(record.infoHash);
  const read = await reading;
  testInfo.annotations.push({ type: 'responses', description: JSON.stringify(read.responses) });
  expect(read.lengthBytes).toBe(fixture.lengthBytes);
  expect(read.sha256).toBe(fixture.sha256);
});
