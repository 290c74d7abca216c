// One bench run inside the private network namespace: fixtures, servers, one Chromium,
// the rounds (contenders interleaved, their order rotated each round), the table, the JSON.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { launchBrowser } from './browser.ts';
import type { Driver, Variant } from './drivers.ts';
import { shoalDriver } from './shoal-driver.ts';
import { stockDriver } from './stock-driver.ts';
import {
  STREAM_FIXTURE,
  deterministicFixture,
  label,
  playlistFixtures,
  streamFixture,
} from './fixtures.ts';
import { nextTorrent, overlayFixtures, playlist } from './overlay.ts';
import type { Plan } from './plan.ts';
import { rowSpecs } from './plan.ts';
import { computeRows, renderTable, type Sample } from './report.ts';
import { gitCommit, saveResults } from './results-file.ts';
import { beforeRun, noisyBecause, watchNoise } from './quiet.ts';
import { median } from './stats.ts';
import { renderSummary, saveProfiles, summarise } from './profile.ts';
import { oneToOne, rawChannel, type Context, type Values } from './scenarios.ts';
import { storeWrite } from './storage.ts';
import { httpFloor, streamPlay } from './streaming.ts';
import { assistSwarm } from './assist.ts';
import { hiddenDownload } from './hidden.ts';
import { APP_ORIGIN, STATIC_ORIGIN, TRACKER_URL, startServers } from './servers.ts';

const log = (line: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Rotates the contenders so that each runs first, second and last equally often. */
export function orderFor(round: number, variants: readonly Variant[]): Variant[] {
  const k = round % variants.length;
  return [...variants.slice(k), ...variants.slice(0, k)];
}

export async function runBench(
  plan: Plan,
  options: { profile: boolean; trace?: boolean },
): Promise<number> {
  const before = await beforeRun();
  const startLoad = before.loadBefore;
  const startedMs = Date.now();
  const sizes = [
    ...new Set([
      ...plan.sizes.map((s) => s.size),
      ...(plan.swarm.maxRounds > 0 ? [plan.swarm.size] : []),
      ...(plan.big ? [plan.big.size] : []),
      ...(plan.hidden ? [plan.hidden.size] : []),
    ]),
  ];
  log(
    `fixtures: ${[...sizes.map(label), ...(plan.overlay ? [`overlay 3 × ${label(plan.overlay.torrentBytes)} + 2 clips`] : [])].join(', ')}`,
  );
  const fixtures = new Map(sizes.map((size) => [size, deterministicFixture(size)]));
  const video = plan.stream || plan.assist || plan.many ? streamFixture() : null;
  const overlay = plan.overlay
    ? { torrents: overlayFixtures(plan.overlay.torrentBytes), tracks: playlistFixtures() }
    : null;
  const servers = await startServers();
  const browser = await launchBrowser();
  const ctx: Context = {
    browser,
    announce: TRACKER_URL,
    staticOrigin: STATIC_ORIGIN,
    ...(options.profile ? { profiles: [] } : {}),
    ...(options.trace === true ? { trace: true } : {}),
  };
  const drivers: Record<Variant, Driver> = {
    shoal: shoalDriver(APP_ORIGIN),
    stock: stockDriver(STATIC_ORIGIN, false),
    tuned: stockDriver(STATIC_ORIGIN, true),
  };
  const samples: Sample[] = [];
  const record = async (
    variant: Variant | 'limit',
    round: number,
    scenario: string,
    run: () => Promise<Values>,
  ): Promise<void> => {
    const t0 = Date.now();
    const watch = watchNoise();
    try {
      const values = await run();
      const noise = watch.stop();
      samples.push({ variant, round, scenario, values, noise });
      log(
        `round ${String(round)} ${scenario} ${variant}: ${((Date.now() - t0) / 1000).toFixed(1)} s` +
          ` (load ${noise.loadBefore.toFixed(2)} → ${noise.loadAfter.toFixed(2)},` +
          ` other processes ${noise.foreignCores.toFixed(2)} cores)`,
      );
    } catch (err) {
      const noise = watch.stop();
      samples.push({ variant, round, scenario, values: {}, error: message(err), noise });
      log(`round ${String(round)} ${scenario} ${variant}: FAILED: ${message(err)}`);
    }
  };

  const skipped: string[] = [];
  const elapsedS = (): number => (Date.now() - startedMs) / 1000;
  /** Whether work estimated to take `estimateS` still fits in the budget. */
  const fits = (what: string, estimateS: number): boolean => {
    if (plan.budgetS === null) return true;
    if (Number.isFinite(estimateS) && elapsedS() + estimateS <= plan.budgetS) return true;
    skipped.push(
      `${what} (needs ~${estimateS.toFixed(0)} s, ${(plan.budgetS - elapsedS()).toFixed(0)} s left of the budget)`,
    );
    log(`skipped, over the time budget: ${skipped.at(-1) ?? ''}`);
    return false;
  };
  /** A measurement's `limit.*` figures (measured in the contender's page) as a limit sample too. */
  const keepLimits =
    (round: number, scenario: string) =>
    (values: Values): Values => {
      const limits = Object.entries(values).filter(([key]) => key.startsWith('limit.'));
      if (limits.length > 0)
        samples.push({ variant: 'limit', round, scenario, values: Object.fromEntries(limits) });
      return values;
    };
  /** The median of a metric so far for a contender. */
  const so = (variant: Variant, key: string): number =>
    median(samples.filter((s) => s.variant === variant).map((s) => s.values[key] ?? Number.NaN));
  const swarm = plan.swarm;
  const swarmFixture = fixtures.get(swarm.size);

  try {
    for (let round = 1; round <= plan.rounds; round++) {
      if (plan.rawBytes > 0)
        await record('limit', round, 'raw data channel', () =>
          rawChannel(ctx, plan.rawBytes, plan.rawMessageSizes),
        );
      const w = plan.storeWrite;
      if (w) {
        const scenario = `store write ${label(w.bytes)}`;
        await record('shoal', round, scenario, () =>
          storeWrite(ctx, drivers.shoal, w.bytes, w.pieceBytes, round % 2 === 0).then(
            keepLimits(round, scenario),
          ),
        );
      }
      if (video && plan.stream)
        await record('limit', round, `stream ${video.name} over plain HTTP`, () =>
          httpFloor(ctx, video, STREAM_FIXTURE),
        );
      if (video && plan.stream)
        for (const variant of orderFor(round, ['shoal', 'stock'])) {
          await record(variant, round, `stream ${video.name}`, () =>
            streamPlay(ctx, drivers[variant], video, STREAM_FIXTURE),
          );
        }
      for (const assist of [plan.assist, plan.many])
        if (video && assist && round <= assist.rounds)
          for (const variant of orderFor(round, ['shoal', 'stock'])) {
            await record(variant, round, `${assist.key} ${String(assist.viewers)} viewers`, () =>
              assistSwarm(ctx, drivers[variant], video, assist),
            );
          }
      const o = plan.overlay;
      if (overlay && o && round <= o.rounds) {
        for (const variant of orderFor(round, ['shoal', 'stock'])) {
          await record(variant, round, 'overlay next torrent', () =>
            nextTorrent(ctx, drivers[variant], overlay.torrents, o),
          );
        }
        for (const variant of orderFor(round, ['shoal', 'stock'])) {
          await record(variant, round, 'overlay playlist', () =>
            playlist(ctx, drivers[variant], overlay.tracks),
          );
        }
      }
      const h = plan.hidden;
      const hiddenFixture = h ? fixtures.get(h.size) : undefined;
      if (h && hiddenFixture && round <= h.rounds)
        for (const variant of orderFor(round, ['shoal', 'stock']))
          for (const hidden of round % 2 === 0 ? [true, false] : [false, true])
            await record(variant, round, `${label(h.size)} ${hidden ? 'hidden' : 'in front'}`, () =>
              hiddenDownload(ctx, drivers[variant], hiddenFixture, h, hidden),
            );
      for (const { size, variants, reload } of plan.sizes) {
        const fixture = fixtures.get(size);
        if (!fixture) continue;
        for (const variant of orderFor(round, variants)) {
          const leechers =
            size === swarm.size && round <= swarm.coreRounds && swarm.variants.includes(variant)
              ? swarm.leechers
              : 0;
          const scenario =
            `1→1 ${label(size)}` +
            (reload ? ' + reloads' : '') +
            (leechers > 0 ? ` + 1→${String(leechers)}` : '');
          await record(variant, round, scenario, () =>
            oneToOne(ctx, drivers[variant], fixture, {
              download: true,
              reload,
              swarmLeechers: leechers,
              recordSeed: variant !== 'tuned',
            }).then(keepLimits(round, scenario)),
          );
        }
      }
    }

    // The big download (the heap's growth with size) always runs; then, while the budget
    // allows, more swarm rounds.
    const big = plan.big;
    const bigFixture = big ? fixtures.get(big.size) : undefined;
    const ref = label(swarm.size);
    for (let round = 1; big && bigFixture && round <= big.rounds; round++) {
      for (const variant of orderFor(round, ['shoal', 'stock'])) {
        await record(variant, round, `1→1 ${label(big.size)}`, () =>
          oneToOne(ctx, drivers[variant], bigFixture, {
            download: true,
            reload: false,
            swarmLeechers: 0,
            recordSeed: true,
          }),
        );
      }
    }
    for (let round = swarm.coreRounds + 1; swarmFixture && round <= swarm.maxRounds; round++) {
      const estimate = swarm.variants.reduce(
        (sum, v) => sum + 15 + so(v, `seed.${ref}.s`) + so(v, `swarm.${ref}.allDoneS`),
        0,
      );
      if (!fits(`1→${String(swarm.leechers)} swarm ${ref} round ${String(round)}`, estimate)) break;
      for (const variant of orderFor(round, swarm.variants)) {
        await record(variant, round, `1→${String(swarm.leechers)} ${ref}`, () =>
          oneToOne(ctx, drivers[variant], swarmFixture, {
            download: false,
            reload: false,
            swarmLeechers: swarm.leechers,
            recordSeed: false,
          }),
        );
      }
    }
  } finally {
    await browser.close().catch(() => undefined);
    await servers.close();
  }

  // A row nobody measured says so instead of showing dashes.
  const rows = computeRows(rowSpecs(plan), samples).map((row) =>
    row.na === undefined &&
    !Number.isFinite(row.medians.shoal) &&
    !Number.isFinite(row.medians.stock)
      ? { ...row, na: 'no samples: skipped or failed (see below)' }
      : row,
  );
  const failures = samples.filter((s) => s.error !== undefined);
  const noisy = noisyBecause(
    before,
    samples.flatMap((s) =>
      s.noise
        ? [{ name: `round ${String(s.round)} ${s.scenario} ${s.variant}`, noise: s.noise }]
        : [],
    ),
  );
  const endLoad = loadavg()[0] ?? Number.NaN;
  const title =
    `Shoal vs stock WebTorrent ${plan.quick ? '(quick) ' : ''}— medians of ${String(plan.rounds)} ` +
    `round(s), ${new Date(startedMs).toISOString()}, commit ${gitCommit()}, ${elapsedS().toFixed(0)} s, ` +
    `load ${startLoad.toFixed(2)} → ${endLoad.toFixed(2)}` +
    (noisy.length > 0 ? ': NOISY — no goal judged' : '');
  process.stdout.write(`\n${title}\n\n${renderTable(rows, { judged: noisy.length === 0 })}\n`);
  if (noisy.length > 0) {
    process.stdout.write(`\nNoisy (figures taken beside other work are not Shoal's):\n`);
    for (const reason of noisy) process.stdout.write(`  ${reason}\n`);
  }
  if (failures.length > 0) {
    process.stdout.write(`\n${String(failures.length)} run(s) FAILED:\n`);
    for (const f of failures)
      process.stdout.write(
        `  round ${String(f.round)} ${f.scenario} ${f.variant}: ${f.error ?? ''}\n`,
      );
  }

  if (skipped.length > 0) {
    process.stdout.write(`\nSkipped to stay within the time budget (--budget-min 0 runs all):\n`);
    for (const s of skipped) process.stdout.write(`  ${s}\n`);
  }

  const file = saveResults(startedMs, {
    elapsedS: elapsedS(),
    skipped,
    commit: gitCommit(),
    startLoad,
    noisy,
    plan,
    rows,
    samples,
  });
  process.stdout.write(`\nJSON: ${file}\n`);
  if (ctx.profiles && ctx.profiles.length > 0) {
    const folder = saveProfiles(file.replace(/\.json$/, '-profiles'), ctx.profiles);
    const text: string[] = [];
    for (const { name, profile } of ctx.profiles)
      text.push(renderSummary(name, await summarise(profile)));
    writeFileSync(join(folder, 'summary.txt'), `${text.join('\n\n')}\n`);
    process.stdout.write(
      `\nCPU profiles (figures of a profiled run are slower): ${folder}\n\n${text.join('\n\n')}\n`,
    );
  }
  return failures.length > 0 ? 1 : 0;
}
