// Peers that lie, flood or stay silent (issue 25): real stock WebTorrent pages beside an
// honest seeder, a real tracker, the app in its own browser context. The app's download
// completes with every byte right, the hostile peer is cut off (a liar or a flooder, not let
// back in) or snubbed and dropped (a silent one), and the app says so.
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { randomFixture, sha256 } from './support/fixtures.ts';
import { appUrl, expect, row, test, type PeerOptions } from './support/peers.ts';
import { STATIC_ORIGIN, TRACKER_URL } from './support/ports.ts';

const MiB = 1024 * 1024;

interface Stock {
  seed(name: string, announce: string[]): Promise<string>;
  seedLying(name: string, announce: string[]): Promise<string>;
  seedSilent(name: string, announce: string[]): Promise<string>;
  seedPaced(name: string, announce: string[], msPerBlock: number): Promise<string>;
  flood(magnet: string, announce: string[], spare: string[], count: number): void;
  peerId(): string;
}

async function stockPage(newPeer: (url: string) => Promise<Page>): Promise<Page> {
  const page = await newPeer(`${STATIC_ORIGIN}/stock.html`);
  await page.waitForFunction(() => (window as { stockReady?: boolean }).stockReady === true);
  return page;
}

const stock = (page: Page) =>
  ({
    seed: (name: string) =>
      page.evaluate(([n, t]) => (window as unknown as { stock: Stock }).stock.seed(n, [t]), [
        name,
        TRACKER_URL,
      ] as const),
    seedLying: (name: string) =>
      page.evaluate(([n, t]) => (window as unknown as { stock: Stock }).stock.seedLying(n, [t]), [
        name,
        TRACKER_URL,
      ] as const),
    seedSilent: (name: string) =>
      page.evaluate(([n, t]) => (window as unknown as { stock: Stock }).stock.seedSilent(n, [t]), [
        name,
        TRACKER_URL,
      ] as const),
    seedPaced: (name: string, msPerBlock: number) =>
      page.evaluate(
        ([n, t, ms]) => (window as unknown as { stock: Stock }).stock.seedPaced(n, [t], ms),
        [name, TRACKER_URL, msPerBlock] as const,
      ),
    peerId: () => page.evaluate(() => (window as unknown as { stock: Stock }).stock.peerId()),
  }) as const;

/** Saves the file through the UI; its SHA-256. */
async function savedHash(page: Page, name: string): Promise<string> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: `Save ${name}` }).click();
  return sha256(await readFile(await (await download).path()));
}

/**
 * A hostile stock page seeds the fixture its way (resolving with the magnet), an honest one
 * seeds it too (serving a block every `honestMsPerBlock` when given), and the app downloads
 * it: it completes, and the file it saves is right.
 */
async function downloadBesideHonest(
  newPeer: (url: string, options?: PeerOptions) => Promise<Page>,
  fixture: { readonly name: string; readonly sha256: string },
  seedHostile: (page: Page) => Promise<string>,
  honestMsPerBlock?: number,
): Promise<{ app: Page; hostile: Page }> {
  const hostile = await stockPage(newPeer);
  const magnet = await seedHostile(hostile);
  const honest = await stockPage(newPeer);
  expect(
    await (honestMsPerBlock === undefined
      ? stock(honest).seed(fixture.name)
      : stock(honest).seedPaced(fixture.name, honestMsPerBlock)),
  ).toBe(magnet);
  const app = await newPeer(appUrl(`?magnet=${encodeURIComponent(magnet)}`), {
    noSavePicker: true,
  });
  await expect(row(app, fixture.name).locator('.state')).toHaveText('Seeding', {
    timeout: 90_000,
  });
  expect(await savedHash(app, fixture.name)).toBe(fixture.sha256);
  return { app, hostile };
}

/** The app's figures for its torrent: bytes received from peers, connections now. */
const figures = (page: Page) =>
  page.evaluate(() => {
    const t = (
      window as unknown as {
        shoal: { store: { state: { torrents: { receivedBytes: number; peers: number }[] } } };
      }
    ).shoal.store.state.torrents[0];
    return { receivedBytes: t?.receivedBytes ?? 0, peers: t?.peers ?? 0 };
  });

test('a peer that sends corrupt blocks is named by its blocks, cut off, and the download completes right', async ({
  newPeer,
}) => {
  const fixture = randomFixture('hostile-liar-8MiB.bin', 8 * MiB);
  const { app } = await downloadBesideHonest(newPeer, fixture, (liar) =>
    stock(liar).seedLying(fixture.name),
  );

  // The app says what it refused, and who it cut off.
  const transfer = app.locator('shoal-transfer');
  await expect(transfer.locator('.failures')).toContainText(/failed the hash check/);
  await expect(transfer.locator('.cut-off li')).toHaveText([
    'WebTorrent cut off and not let back: it sent data that failed the hash check.',
  ]);
  // The liar is gone and stays gone (it keeps announcing); the honest seeder stays.
  await expect.poll(async () => (await figures(app)).peers, { timeout: 20_000 }).toBe(1);
  // The garbage it could send was bounded by its first failed pieces.
  const { receivedBytes } = await figures(app);
  console.log(
    `liar: ${(receivedBytes / MiB).toFixed(2)} MiB received for an 8 MiB file (was 22.4 before bans)`,
  );
  expect(receivedBytes).toBeLessThan(1.5 * fixture.lengthBytes);
});

test('a peer that floods requests is cut off, and the download goes on', async ({ newPeer }) => {
  const fixture = randomFixture('hostile-flood-8MiB.bin', 8 * MiB);
  const honest = await stockPage(newPeer);
  const magnet = await stock(honest).seed(fixture.name);
  const spare = await stock(honest).peerId();
  const flooder = await stockPage(newPeer);
  await flooder.evaluate(
    ([m, t, s]) => {
      (window as unknown as { stock: Stock }).stock.flood(m, [t], [s], 20_000);
    },
    [magnet, TRACKER_URL, spare] as const,
  );

  const app = await newPeer(appUrl(`?magnet=${encodeURIComponent(magnet)}`), {
    noSavePicker: true,
  });
  await expect(app.locator('shoal-transfer .cut-off li')).toHaveText(
    ['WebTorrent cut off and not let back: it flooded us with requests.'],
    { timeout: 60_000 },
  );
  // It flooded the app and was let back no more.
  expect(
    await flooder.evaluate(() => (window as unknown as { floodedPeers: string[] }).floodedPeers),
  ).toHaveLength(1);
  await expect(row(app, fixture.name).locator('.state')).toHaveText('Seeding', {
    timeout: 90_000,
  });
  expect(await savedHash(app, fixture.name)).toBe(fixture.sha256);
});

test('a peer that claims every piece and never sends one is snubbed and dropped, and the download completes', async ({
  newPeer,
}) => {
  const fixture = randomFixture('hostile-silent-8MiB.bin', 8 * MiB);
  // webtorrent gives a block to one connection at a time: the ones the silent peer was asked
  // for come from the honest seeder only once the silent peer's requests are withdrawn. The
  // honest seeder serves a block every 80 ms (8 MiB in ~40 s), so the download outlasts the
  // snub (10 s) and the drop (30 s): a quick one reaches its endgame first, where the greedy
  // rule moves the silent peer's late blocks to the honest seeder without any snub.
  const { app, hostile: silent } = await downloadBesideHonest(
    newPeer,
    fixture,
    (page) => stock(page).seedSilent(fixture.name),
    80,
  );

  const transfer = app.locator('shoal-transfer');
  await expect(transfer.locator('.snubbed')).toContainText(
    'A peer sat on our requests without sending anything',
  );
  // Once per connection of the silent peer (it stays snubbed until dropped; dropped, it may
  // connect again, and the app's re-announce when short of peers may find it): the honest
  // seeder never was.
  const said = (await transfer.locator('.snubbed').textContent()) ?? '';
  const snubs = /anything once:/.test(said)
    ? 1
    : Number(/anything (\d+) times:/.exec(said)?.[1] ?? Number.NaN);
  const connections = await silent.evaluate(
    () => (window as unknown as { silent: { wires: number } }).silent.wires,
  );
  expect(snubs).toBeGreaterThanOrEqual(1);
  expect(snubs).toBeLessThanOrEqual(connections);
  // Dropped for its silence (each of its connections that was snubbed), not banned: nothing
  // it sent was proven wrong.
  await expect(transfer.locator('.dropped-silent')).toContainText(
    'claimed pieces and never sent one: disconnected, not banned.',
  );
  const dropped = Number(
    /(\d+) peers? claimed/.exec(
      (await transfer.locator('.dropped-silent').textContent()) ?? '',
    )?.[1],
  );
  expect(dropped).toBeGreaterThanOrEqual(1);
  expect(dropped).toBeLessThanOrEqual(connections);
  await expect(transfer.locator('.cut-off li')).toHaveCount(0);
  await expect(transfer.locator('.failures')).toHaveCount(0);
  // On the silent page's side: it was asked, ignored it, and its connection to the app closed.
  const seen = await silent.evaluate(
    () =>
      (window as unknown as { silent: { ignoredRequests: number; closedWires: number } }).silent,
  );
  expect(seen.ignoredRequests).toBeGreaterThan(0);
  expect(seen.closedWires).toBeGreaterThan(0);
});
