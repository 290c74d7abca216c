// Spotify's neighbour overlay, between real tabs in separate browser contexts, with a real
// tracker process: two Shoal tabs that met through one torrent stay neighbours, and the next
// torrent runs over a new data channel of the connection they have, with no tracker and no
// new RTCPeerConnection.
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import type { OverlayStats } from '../../src/engine/overlay/overlay.ts';
import { randomFixture, sha256 } from './support/fixtures.ts';
import { appUrl, expect, row, seedThroughUi, test } from './support/peers.ts';
import { announceTo, startTrackerProcess } from './support/tracker-process.ts';

const MiB = 1024 * 1024;
/** Not the suite's tracker: this one is killed. */
const TRACKER_PORT = Number(process.env.E2E_OVERLAY_TRACKER_PORT ?? 18030);

const overlay = (page: Page): Promise<OverlayStats> =>
  page.evaluate(() =>
    (
      window as unknown as { shoal: { engine: { overlayStats(): OverlayStats } } }
    ).shoal.engine.overlayStats(),
  );

/** The queries about one torrent that reached the page from its neighbours. */
const queriesFor = (
  page: Page,
  magnet: string,
): Promise<{ received: number; forwarded: number; duplicates: number }> => {
  const infoHash = /urn:btih:([0-9a-f]{40})/i.exec(magnet)?.[1]?.toLowerCase() ?? '';
  return page.evaluate(
    (hash) =>
      (
        window as unknown as {
          shoal: {
            engine: {
              overlayQueriesFor(h: string): {
                received: number;
                forwarded: number;
                duplicates: number;
              };
            };
          };
        }
      ).shoal.engine.overlayQueriesFor(hash),
    infoHash,
  );
};

/** The snub counts of a torrent's "Refused" (engine/types.ts TrustSnapshot). */
interface Snubs {
  readonly snubbed: number;
  readonly droppedSilent: number;
}

/** What the page's copy of a torrent snubbed (its transfer section's "Refused"). */
const trustOf = (page: Page, magnet: string): Promise<Snubs | undefined> => {
  const infoHash = /urn:btih:([0-9a-f]{40})/i.exec(magnet)?.[1]?.toLowerCase() ?? '';
  return page.evaluate(
    (hash) =>
      (
        window as unknown as {
          shoal: { engine: { snapshots(): { infoHash: string; trust?: Snubs }[] } };
        }
      ).shoal.engine
        .snapshots()
        .find((t) => t.infoHash === hash)?.trust,
    infoHash,
  );
};

/** Counts every RTCPeerConnection the page makes (from its next load on). */
async function countConnections(page: Page): Promise<void> {
  await page.context().addInitScript(() => {
    const Native = window.RTCPeerConnection;
    const w = window as unknown as { madeConnections: number };
    w.madeConnections = 0;
    window.RTCPeerConnection = class extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        w.madeConnections++;
      }
    };
  });
}

const made = (page: Page): Promise<number> =>
  page.evaluate(() => (window as unknown as { madeConnections: number }).madeConnections);

async function addMagnet(page: Page, magnet: string): Promise<void> {
  await page.locator('shoal-add-bar input#magnet').fill(magnet);
  await page.locator('shoal-add-bar button.primary').click();
}

test('a neighbour stays after its torrent is removed, and serves the next one over a new channel of the same connection, with the tracker down', async ({
  newPeer,
}) => {
  const tracker = await startTrackerProcess(TRACKER_PORT);
  try {
    const first = randomFixture('neighbour-first-2MiB.bin', 2 * MiB);
    const next = randomFixture('neighbour-next-3MiB.bin', 3 * MiB);
    const holder = await newPeer(appUrl());
    await announceTo(holder, tracker.url);
    const viewer = await newPeer(appUrl(), { noSavePicker: true });
    await countConnections(viewer);
    await announceTo(viewer, tracker.url);
    const firstMagnet = await seedThroughUi(holder, first.path);
    const nextMagnet = await seedThroughUi(holder, next.path);
    expect(new URL(firstMagnet).searchParams.getAll('tr')).toEqual([tracker.url]);

    // They meet through the tracker, over the first torrent, and become neighbours.
    await addMagnet(viewer, firstMagnet);
    await expect(row(viewer, first.name).locator('.state')).toHaveText('Seeding');
    await expect.poll(async () => (await overlay(viewer)).neighbours).toBe(1);
    await expect.poll(async () => (await overlay(holder)).neighbours).toBe(1);
    // The first torrent is done with and removed: its wire ends, the neighbour stays.
    await row(viewer, first.name).locator('button.name').click();
    await viewer.getByRole('button', { name: 'Remove (keep data)' }).click();
    await expect(row(viewer, first.name)).toHaveCount(0);
    await expect(row(holder, first.name).locator('.peers')).toHaveText('0');

    await tracker.kill();
    // The warm start tops its offers up 5 s after one is used: let that settle first.
    let before = await made(viewer);
    await expect
      .poll(
        async () => {
          await viewer.waitForTimeout(6_000);
          const now = await made(viewer);
          const settled = now === before;
          before = now;
          return settled;
        },
        { timeout: 40_000 },
      )
      .toBe(true);

    await addMagnet(viewer, nextMagnet);
    await expect(row(viewer, next.name).locator('.state')).toHaveText('Seeding', {
      timeout: 60_000,
    });
    const download = viewer.waitForEvent('download');
    await viewer.getByRole('button', { name: `Save ${next.name}` }).click();
    expect(sha256(await readFile(await (await download).path()))).toBe(next.sha256);

    // The detail lists the holder as a Shoal neighbour, and says the bytes came from peers.
    await expect(viewer.locator('shoal-transfer tbody tr[data-kind="neighbour"]')).toHaveCount(1);
    await expect(viewer.locator('shoal-transfer .sources')).toContainText('Peers 3 MiB (100.0%)');
    // No tracker, no new connection: a query to the neighbour, and a channel on ours; the
    // metadata came with the holder's `wire` message, not over ut_metadata.
    expect(await made(viewer)).toBe(before);
    expect(await overlay(viewer)).toMatchObject({
      neighbours: 1,
      queriesSent: 1,
      wires: 1,
      metadataFromWire: 1,
      metadataRefused: 0,
    });
    expect(await overlay(holder)).toMatchObject({ neighbours: 1, queriesAnswered: 1, wires: 1 });
  } finally {
    await tracker.kill();
  }
});

/** Adds a torrent through the tracker and waits until it is whole. */
async function fetchThroughTracker(page: Page, magnet: string, name: string): Promise<void> {
  await addMagnet(page, magnet);
  await expect(row(page, name).locator('.state')).toHaveText('Seeding');
}

test('with the tracker down, a torrent two hops away is found through a neighbour and fetched over relayed signalling; three hops is too far, and a repeated query is forwarded once', async ({
  newPeer,
}) => {
  test.setTimeout(180_000);
  const tracker = await startTrackerProcess(TRACKER_PORT);
  try {
    const fixture = (name: string): ReturnType<typeof randomFixture> =>
      randomFixture(`hops-${name}.bin`, MiB);
    const [ab, bc, ad, twoHops, threeHops] = ['ab', 'bc', 'ad', 'two', 'three'].map(fixture);
    if (!ab || !bc || !ad || !twoHops || !threeHops) throw new Error('fixtures');
    const [a, b, c, d] = await Promise.all(
      [1, 2, 3, 4].map(() => newPeer(appUrl(), { noSavePicker: true })),
    );
    if (!a || !b || !c || !d) throw new Error('pages');
    for (const page of [a, b, c, d]) await announceTo(page, tracker.url);

    // The overlay, made through the tracker: A–B, B–C, A–D.
    const abMagnet = await seedThroughUi(a, ab.path);
    const adMagnet = await seedThroughUi(a, ad.path);
    const twoHopsMagnet = await seedThroughUi(a, twoHops.path);
    const bcMagnet = await seedThroughUi(b, bc.path);
    const threeHopsMagnet = await seedThroughUi(d, threeHops.path);
    await fetchThroughTracker(b, abMagnet, ab.name);
    await fetchThroughTracker(c, bcMagnet, bc.name);
    await fetchThroughTracker(d, adMagnet, ad.name);
    for (const [page, count] of [
      [a, 2],
      [b, 2],
      [c, 1],
      [d, 1],
    ] as const)
      await expect.poll(async () => (await overlay(page)).neighbours).toBe(count);
    await tracker.kill();

    // Three hops (C–B–A–D): the query stops at A, D never hears of it. (Counted per torrent:
    // with the tracker down, every tab re-asks its neighbours for its own torrents meanwhile.)
    await addMagnet(c, threeHopsMagnet);
    await expect
      .poll(async () => (await queriesFor(a, threeHopsMagnet)).received)
      .toBeGreaterThanOrEqual(1);
    await c.waitForTimeout(3_000);
    expect((await queriesFor(a, threeHopsMagnet)).forwarded).toBe(0);
    expect((await queriesFor(d, threeHopsMagnet)).received).toBe(0);
    await expect(row(c, threeHops.name).locator('.peers')).toHaveText('0');

    // Two hops (C–B–A): A's hit comes back through B, and C connects to A with the offer and
    // answer relayed by B.
    const bBefore = await overlay(b);
    await addMagnet(c, twoHopsMagnet);
    await expect(row(c, twoHops.name).locator('.state')).toHaveText('Seeding', { timeout: 60_000 });
    const download = c.waitForEvent('download');
    await c.getByRole('button', { name: `Save ${twoHops.name}` }).click();
    expect(sha256(await readFile(await (await download).path()))).toBe(twoHops.sha256);
    // A, the only source, was waited on, never snubbed or cut off as silent (issue 25).
    const trust = await trustOf(c, twoHopsMagnet);
    test.info().annotations.push({ type: 'C’s two-hop trust', description: JSON.stringify(trust) });
    expect(trust).toMatchObject({ snubbed: 0, droppedSilent: 0 });
    expect(await overlay(c)).toMatchObject({ farHits: 1, dials: 1, neighbours: 2 });
    expect((await overlay(a)).dials).toBe(1);
    const bAfter = await overlay(b);
    expect((await queriesFor(b, twoHopsMagnet)).forwarded).toBeGreaterThanOrEqual(1);
    expect(bAfter.signalsRelayed).toBe(bBefore.signalsRelayed + 2);

    // A, B and C are a triangle now: C's next query reaches B straight and again through A.
    // B forwards it once and drops the repeat (so for each query, one forward at most).
    const nobody = `magnet:?xt=urn:btih:${'e'.repeat(40)}&dn=nobody-holds-this`;
    await addMagnet(c, nobody);
    await expect.poll(async () => (await queriesFor(b, nobody)).received).toBeGreaterThanOrEqual(2);
    const repeat = await queriesFor(b, nobody);
    expect(repeat.duplicates).toBeGreaterThanOrEqual(1);
    expect(repeat.forwarded).toBeLessThanOrEqual(repeat.received - repeat.duplicates);
  } finally {
    await tracker.kill();
  }
});

test('the tracker killed during a download and started again 10 s later: the download completes, and the tab is back on the tracker', async ({
  newPeer,
}) => {
  test.setTimeout(150_000);
  const tracker = await startTrackerProcess(TRACKER_PORT);
  try {
    const fixture = randomFixture('tracker-restart-48MiB.bin', 48 * MiB);
    const seeder = await newPeer(appUrl());
    await announceTo(seeder, tracker.url);
    const leecher = await newPeer(appUrl());
    await announceTo(leecher, tracker.url);
    const magnet = await seedThroughUi(seeder, fixture.path);
    await addMagnet(leecher, magnet);
    const leecherRow = row(leecher, fixture.name);
    const percent = async (): Promise<number> =>
      Number.parseFloat((await leecherRow.locator('.progress').textContent()) ?? '0');
    await expect.poll(percent, { intervals: [50] }).toBeGreaterThan(0);
    await tracker.kill();
    const killedAtMs = Date.now();
    expect(await percent()).toBeLessThan(100);

    // The transfer goes on without the tracker; the tab says it cannot reach it.
    await expect(leecherRow.locator('.state')).toHaveText('Seeding', { timeout: 60_000 });
    const warning = leecher.locator('shoal-torrent-detail .warning');
    await expect(warning).toContainText(tracker.url);

    // The seeder leaves: a newcomer can get the torrent only from the tab that downloaded it,
    // and find it only if that tab is back on the tracker.
    await seeder.close();
    await leecher.waitForTimeout(Math.max(0, killedAtMs + 10_000 - Date.now()));
    await tracker.restart();
    await expect(warning).toHaveCount(0, { timeout: 45_000 });
    const newcomer = await newPeer(appUrl());
    await announceTo(newcomer, tracker.url);
    await addMagnet(newcomer, magnet);
    await expect(row(newcomer, fixture.name).locator('.state')).toHaveText('Seeding', {
      timeout: 60_000,
    });
  } finally {
    await tracker.kill();
  }
});
