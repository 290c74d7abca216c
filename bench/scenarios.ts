// The measurements of one round, for one contender each. Every figure is read in the
// pages or through CDP; nothing here is assumed.
import type { Browser } from 'playwright-core';
import { PeerGroup, sampleHeap, taskDurationS, type Peer } from './browser.ts';
import type { Driver, SeedInfo } from './drivers.ts';
import { MiB, label, type BenchFixture } from './fixtures.ts';
import { startProfiling, stopProfiling, type CpuProfile } from './profile.ts';
import { readWriteLag, resetWriteLag } from './storage.ts';
import { RAW_BEST_KEY } from './plan.ts';

/** Metric key → value, for one contender in one round. */
export type Values = Record<string, number>;

export interface Context {
  readonly browser: Browser;
  readonly announce: string;
  readonly staticOrigin: string;
  /** When set (`--profile`), CPU profiles of the tabs during each download land here. */
  readonly profiles?: { name: string; profile: CpuProfile }[];
  /** When set (`--trace`), Shoal's stream rounds print a timeline of their start and seek. */
  readonly trace?: boolean;
}

/** Runs `body` with the tabs profiled when the run asks for profiles. */
export async function profiled<T>(
  ctx: Context,
  peers: readonly Peer[],
  body: () => Promise<T>,
): Promise<T> {
  const profiles = ctx.profiles;
  if (!profiles) return body();
  await startProfiling(peers);
  try {
    return await body();
  } finally {
    const taken = await stopProfiling(peers).catch(() => []);
    const n = String(profiles.length + 1).padStart(2, '0');
    taken.forEach((profile, i) =>
      profiles.push({ name: `${n} ${peers[i]?.label ?? ''}`, profile }),
    );
  }
}

/** Generous: a slow figure is a result; only a stuck run is a failure. */
export const timeoutFor = (lengthBytes: number): number => 60_000 + (lengthBytes / MiB) * 2_000;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function openPeer(group: PeerGroup, driver: Driver, name: string): Promise<Peer> {
  const peer = await group.open(name, driver.url);
  await driver.ready(peer);
  return peer;
}

export interface OneToOneOptions {
  /** Time a 1 → 1 download (false: the seeder only serves the swarm). */
  readonly download: boolean;
  /**
   * Reload the leecher 1 s after done and time until it seeds again; then download again in a
   * second leecher and reload it as soon as it is done.
   */
  readonly reload: boolean;
  /** Then, from the same seeder, this many fresh leechers at once (0: none). */
  readonly swarmLeechers: number;
  /** Seed → magnet and hashing figures are kept under this fixture's label. */
  readonly recordSeed: boolean;
}

/**
 * One seeder: seed → magnet and raw SHA-1 in its page; one leecher (first piece, done,
 * heap, CPU), optionally reloaded; then optionally a 1 → N swarm from the same seeder.
 */
export async function oneToOne(
  ctx: Context,
  driver: Driver,
  fixture: BenchFixture,
  options: OneToOneOptions,
): Promise<Values> {
  const L = label(fixture.lengthBytes);
  const named = (role: string): string => `${driver.variant} ${L} ${role}`;
  const sizeMiB = fixture.lengthBytes / MiB;
  const timeoutMs = timeoutFor(fixture.lengthBytes);
  const values: Values = {};
  const group = new PeerGroup(ctx.browser);
  try {
    const seeder = await openPeer(group, driver, named('seeder'));
    await driver.loadFixture(seeder, fixture.name, ctx.staticOrigin);
    const seed = await profiled(ctx, [seeder], () => driver.seed(seeder, ctx.announce));
    group.check();
    if (options.recordSeed) {
      const seedS = (seed.doneMs - seed.startMs) / 1000;
      const sha1Ms = await driver.rawSha1Ms(seeder, seed.pieceLength);
      values[`seed.${L}.s`] = seedS;
      values[`seed.${L}.MiBps`] = sizeMiB / seedS;
      values[`limit.sha1.${L}.MiBps`] = sizeMiB / (sha1Ms / 1000);
    }

    if (options.download) {
      const leecher = await openPeer(group, driver, named('leecher'));
      const shoal = driver.variant === 'shoal';
      if (shoal) await resetWriteLag(leecher);
      const cpuBefore = await Promise.all([taskDurationS(seeder), taskDurationS(leecher)]);
      const heap = sampleHeap([leecher]);
      let download;
      try {
        download = await profiled(ctx, [leecher, seeder], () =>
          driver.download(leecher, seed, ctx.announce, timeoutMs),
        );
      } finally {
        const [leecherPeak] = await heap.stop();
        values[`dl.${L}.heapPeakMiB`] = (leecherPeak ?? Number.NaN) / MiB;
      }
      const cpuAfter = await Promise.all([taskDurationS(seeder), taskDurationS(leecher)]);
      group.check();
      const doneS = (download.doneMs - download.startMs) / 1000;
      values[`dl.${L}.doneS`] = doneS;
      values[`dl.${L}.MiBps`] = sizeMiB / doneS;
      if (download.metadataMs !== null)
        values[`dl.${L}.metadataS`] = (download.metadataMs - download.startMs) / 1000;
      if (download.firstPieceMs !== null) {
        values[`dl.${L}.firstPieceS`] = (download.firstPieceMs - download.startMs) / 1000;
        values[`dl.${L}.transferMiBps`] =
          sizeMiB / ((download.doneMs - download.firstPieceMs) / 1000);
      }
      values[`dl.${L}.cpuSeederMsPerMiB`] = ((cpuAfter[0] - cpuBefore[0]) * 1000) / sizeMiB;
      values[`dl.${L}.cpuLeecherMsPerMiB`] = ((cpuAfter[1] - cpuBefore[1]) * 1000) / sizeMiB;
      if (shoal) Object.assign(values, await readWriteLag(leecher, fixture.lengthBytes));

      if (options.reload) {
        // Give the app a moment to keep what it verified, as a user would before a reload.
        await sleep(1000);
        const startMs = Date.now();
        const reload = await driver.reloadToSeeding(
          leecher,
          seed,
          download,
          ctx.announce,
          timeoutMs,
        );
        group.check();
        values[`reload.${L}.s`] = (reload.seedingMs - startMs) / 1000;
        values[`reload.${L}.refetchedMiB`] = reload.receivedBytes / MiB;
      }
      // Out of the swarm that follows: only the seeder and fresh leechers are in it.
      await leecher.context.close();
      if (options.reload)
        Object.assign(values, await reloadAtDone(group, driver, seed, fixture.lengthBytes, ctx));
    }

    if (options.swarmLeechers > 0) {
      const leechers: Peer[] = [];
      for (let i = 0; i < options.swarmLeechers; i++) {
        leechers.push(await openPeer(group, driver, named(`swarm leecher ${String(i + 1)}`)));
      }
      const uploadedBefore = await driver.uploadedBytes(seeder, seed.infoHash);
      const profiledPeers = [leechers[0], seeder].filter((p) => p !== undefined);
      const results = await profiled(ctx, profiledPeers, () =>
        Promise.all(
          leechers.map((peer) =>
            driver.download(peer, seed, ctx.announce, timeoutFor(fixture.lengthBytes * 3)),
          ),
        ),
      );
      const uploadedAfter = await driver.uploadedBytes(seeder, seed.infoHash);
      group.check();
      const startMs = Math.min(...results.map((r) => r.startMs));
      const doneMs = Math.max(...results.map((r) => r.doneMs));
      const receivedBytes = results.reduce((sum, r) => sum + r.receivedBytes, 0);
      values[`swarm.${L}.allDoneS`] = (doneMs - startMs) / 1000;
      values[`swarm.${L}.peerSharePct`] =
        100 * Math.max(0, 1 - (uploadedAfter - uploadedBefore) / receivedBytes);
    }
    return values;
  } finally {
    await group.close();
  }
}

/**
 * The reload with no wait: a fresh leecher downloads from the same seeder (not timed) and is
 * reloaded as soon as the bench hears it is done (one CDP round trip after the page saw it);
 * time until it seeds again, and what it fetched again.
 */
async function reloadAtDone(
  group: PeerGroup,
  driver: Driver,
  seed: SeedInfo,
  length: number,
  ctx: Context,
): Promise<Values> {
  const L = label(length);
  const timeoutMs = timeoutFor(length);
  const leecher = await openPeer(group, driver, `${driver.variant} ${L} leecher, reloaded at done`);
  try {
    const download = await driver.download(leecher, seed, ctx.announce, timeoutMs);
    const startMs = Date.now();
    const reload = await driver.reloadToSeeding(leecher, seed, download, ctx.announce, timeoutMs);
    group.check();
    process.stderr.write(
      `  ${driver.variant} ${L}: reloaded ${String(startMs - Math.round(download.doneMs))} ms after done\n`,
    );
    return {
      [`reload0.${L}.s`]: (reload.seedingMs - startMs) / 1000,
      [`reload0.${L}.refetchedMiB`]: reload.receivedBytes / MiB,
    };
  } finally {
    await leecher.context.close();
  }
}

/**
 * The physical limit for throughput: one raw ordered RTCDataChannel between two tabs, sent
 * `bytes` in messages of each size in turn; the best rate is kept under RAW_BEST_KEY.
 */
export async function rawChannel(
  ctx: Context,
  bytes: number,
  messageSizes: readonly number[],
): Promise<Values> {
  interface RawWindow {
    rawReady?: boolean;
    raw?: {
      offer(): Promise<string>;
      answer(sdp: string): Promise<string>;
      accept(sdp: string): Promise<void>;
      receive(bytes: number): Promise<{ firstMs: number; lastMs: number; bytes: number }>;
      send(bytes: number, messageBytes: number): Promise<{ startMs: number }>;
    };
  }
  const group = new PeerGroup(ctx.browser);
  const url = `${ctx.staticOrigin}/raw.html`;
  try {
    const a = await group.open('raw sender', url);
    const b = await group.open('raw receiver', url);
    for (const p of [a, b])
      await p.page.waitForFunction(() => (window as RawWindow).rawReady === true);
    const offer = await a.page.evaluate(() => (window as RawWindow).raw?.offer() ?? '');
    const answer = await b.page.evaluate(
      (sdp) => (window as RawWindow).raw?.answer(sdp) ?? '',
      offer,
    );
    await a.page.evaluate((sdp) => (window as RawWindow).raw?.accept(sdp), answer);
    const values: Values = {};
    let best = 0;
    for (const messageBytes of messageSizes) {
      const received = b.page.evaluate(
        (n) => (window as RawWindow).raw?.receive(n) ?? Promise.reject(new Error('no page')),
        bytes,
      );
      const sent = await a.page.evaluate(
        ([n, m]) => (window as RawWindow).raw?.send(n, m) ?? Promise.reject(new Error('no page')),
        [bytes, messageBytes] as const,
      );
      const got = await received;
      group.check();
      const rate = bytes / MiB / ((got.lastMs - sent.startMs) / 1000);
      values[`limit.rtc.${String(messageBytes / 1024)}KiB.MiBps`] = rate;
      best = Math.max(best, rate);
      process.stderr.write(
        `  raw channel, ${String(messageBytes / 1024)} KiB messages: ${rate.toFixed(1)} MiB/s\n`,
      );
    }
    values[RAW_BEST_KEY] = best;
    return values;
  } finally {
    await group.close();
  }
}
