import { randomFixture } from './support/fixtures.ts';
import { appUrl, expect, row, seedThroughUi, test } from './support/peers.ts';
import { TRACKER_URL } from './support/ports.ts';

test('a malformed magnet shows a clear error and leaves the list intact', async ({ newPeer }) => {
  const fixture = randomFixture('keep-me.bin', 256 * 1024);
  const page = await newPeer(appUrl());
  await seedThroughUi(page, fixture.path);
  const rows = page.locator('shoal-torrent-row');
  await expect(rows).toHaveCount(1);

  const field = page.getByRole('textbox', { name: 'Magnet link or info-hash' });
  await field.fill('magnet:?xt=urn:btih:not-a-hash&dn=broken');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const inlineError = page.locator('shoal-add-bar #add-error');
  await expect(inlineError).toContainText('info-hash "not-a-hash" is malformed');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  // What the user typed is still there to fix.
  await expect(field).toHaveValue('magnet:?xt=urn:btih:not-a-hash&dn=broken');

  await field.fill('https://example.invalid/file.torrent');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(inlineError).toContainText('not a magnet link');

  await expect(rows).toHaveCount(1);
  await expect(row(page, fixture.name).locator('.state')).toHaveText('Seeding');
});

test('opening the app with a malformed magnet explains it instead of failing silently', async ({
  newPeer,
}) => {
  const page = await newPeer(
    appUrl(`?magnet=${encodeURIComponent('magnet:?dn=nothing-to-fetch')}`),
  );
  await expect(page.locator('shoal-notices [role="alert"]')).toContainText(
    'no "xt=urn:btih:…" info-hash',
  );
  await expect(page.locator('shoal-torrent-row')).toHaveCount(0);
  await expect(page.getByText('No torrents yet')).toBeVisible();
});

test('a non-torrent file opened as .torrent and a duplicate add are refused, other torrents keep going', async ({
  newPeer,
}) => {
  const fixture = randomFixture('still-here.bin', 256 * 1024);
  const fake = randomFixture('holiday.torrent', 4096);
  const page = await newPeer(appUrl());
  const magnet = await seedThroughUi(page, fixture.path);

  await page.locator('shoal-add-bar input#torrent-file').setInputFiles(fake.path);
  await expect(page.locator('shoal-add-bar #add-error')).toContainText(
    '"holiday.torrent" is not a',
  );

  await page.getByRole('textbox', { name: 'Magnet link or info-hash' }).fill(magnet);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.locator('shoal-add-bar #add-error')).toContainText('is already in your list');

  await expect(page.locator('shoal-torrent-row')).toHaveCount(1);
  await expect(row(page, fixture.name).locator('.state')).toHaveText('Seeding');
});

test('an unreachable tracker in a magnet is reported, and the download still completes', async ({
  newPeer,
}) => {
  const fixture = randomFixture('dead-tracker.bin', 1024 * 1024);
  const seeder = await newPeer(appUrl());
  const magnet = await seedThroughUi(seeder, fixture.path);
  const withDeadTracker = `${magnet}&tr=${encodeURIComponent('ws://127.0.0.1:9')}`;
  const leecher = await newPeer(appUrl(`?magnet=${encodeURIComponent(withDeadTracker)}`));
  await expect(leecher.locator('shoal-notices')).toContainText(
    'Tracker ws://127.0.0.1:9 cannot be reached',
  );
  await expect(row(leecher, fixture.name).locator('.state')).toHaveText('Seeding');
});

test('pause stops a torrent and resume finishes it; remove takes it out of the list', async ({
  newPeer,
}) => {
  const fixture = randomFixture('pause-me.bin', 2 * 1024 * 1024);
  const seeder = await newPeer(appUrl());
  const magnet = await seedThroughUi(seeder, fixture.path);
  const leecher = await newPeer(appUrl());
  await leecher.getByRole('textbox', { name: 'Magnet link or info-hash' }).fill(magnet);
  await leecher.getByRole('button', { name: 'Add', exact: true }).click();
  const leecherRow = row(leecher, fixture.name);
  // Paused once the metadata is in. (Pausing a magnet before its metadata arrives and
  // resuming at once can stall until the next announce: a known bug, see the issue note.)
  await expect(leecherRow.locator('.state')).not.toHaveText('Fetching metadata');
  await leecherRow.getByRole('button', { name: `Pause ${fixture.name}` }).click();
  await expect(leecherRow.locator('.state')).toHaveText('Paused');
  await expect(leecherRow.locator('.peers')).toHaveText('0');
  await leecherRow.getByRole('button', { name: `Resume ${fixture.name}` }).click();
  await expect(leecherRow.locator('.state')).toHaveText('Seeding');
  await expect(leecherRow.locator('.progress')).toHaveText('100%');

  await leecher.getByRole('button', { name: 'Remove and delete data' }).click();
  await expect(leecher.locator('shoal-torrent-row')).toHaveCount(0);
  const storedTorrents = () =>
    leecher.evaluate(async () => {
      const root = await navigator.storage.getDirectory();
      const pieces = await root.getDirectoryHandle('shoal-packs', { create: true });
      const names: string[] = [];
      for await (const name of (pieces as unknown as { keys(): AsyncIterable<string> }).keys())
        names.push(name);
      return names;
    });
  // The data goes too (the OPFS folder of that torrent), not just the row: once the 8 s in
  // which the delete can be undone are over.
  await expect.poll(storedTorrents, { timeout: 20_000 }).toEqual([]);
});

test('trackers saved in settings are announced to after a reload', async ({ newPeer }) => {
  const fixture = randomFixture('settings.bin', 64 * 1024);
  const page = await newPeer(appUrl());
  await page.locator('shoal-settings summary').click();
  const field = page.getByRole('textbox', { name: /Trackers every torrent announces to/ });
  await expect(field).toHaveAttribute('placeholder', TRACKER_URL);
  await field.fill(`${TRACKER_URL}\nws://127.0.0.1:18001`);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(
    page.getByText('Saved. The cache budget applies now, trackers after a reload.'),
  ).toBeVisible();
  await page.reload();
  const magnet = await seedThroughUi(page, fixture.path);
  const trackers = new URL(magnet).searchParams.getAll('tr');
  expect(trackers).toEqual([TRACKER_URL, 'ws://127.0.0.1:18001']);
});

test('a second tab leaves the torrents to the first, hands it its link, and takes over when it closes', async ({
  newPeer,
}) => {
  const fixture = randomFixture('two-tabs.bin', 256 * 1024);
  const seeder = await newPeer(appUrl());
  const magnet = await seedThroughUi(seeder, fixture.path);
  const first = await newPeer(appUrl());
  const second = await first.context().newPage();
  await second.goto(appUrl(`?magnet=${encodeURIComponent(magnet)}`));
  await expect(second.getByRole('heading', { name: 'Shoal is open in another tab' })).toBeVisible();
  await expect(second.getByText('handed to the other tab')).toBeVisible();
  // The first tab got the link and downloads it.
  await expect(row(first, fixture.name).locator('.state')).toHaveText('Seeding');
  await expect(first.locator('shoal-notices')).toContainText('Opened a link from another tab');

  await first.close();
  await expect(row(second, fixture.name).locator('.state')).toHaveText('Seeding');
});
