// A download added to a really hidden tab, against the same download in a tab in front.
//
// A page Playwright launches is never hidden: its launch flags switch background throttling
// off and it emulates focus on every page. So the leecher here runs in a Chromium the bench
// starts itself, with only the usual headless and WebRTC flags, attached over CDP: the page
// under test is a tab of the default context and an `about:blank` tab of the same window is
// brought to the front. Chromium starts throttling a hidden tab's timers and idle callbacks
// about 10 s after it is hidden, so the download is added only after `hiddenForS`. The seeder
// is an ordinary tab of the bench's own browser.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { BROWSER_ARGS, browserPath } from '../scripts/browser.js';
import { PeerGroup, type Peer } from './browser.ts';
import type { Driver } from './drivers.ts';
import { MiB, label, type BenchFixture } from './fixtures.ts';
import type { RowSpec } from './report.ts';
import { openPeer, sleep, type Context, type Values } from './scenarios.ts';

export interface HiddenPlan {
  readonly size: number;
  /** Seconds the tab is hidden before the download is added. */
  readonly hiddenForS: number;
  /** Seconds a download may take before its rate is taken from what arrived so far. */
  readonly capS: number;
  readonly rounds: number;
}

/** A Chromium of the bench's own, throttling hidden tabs as a user's does. */
interface OwnBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

async function launchThrottling(): Promise<OwnBrowser> {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-hidden-'));
  const proc: ChildProcess = spawn(
    browserPath(),
    [...BROWSER_ARGS, `--user-data-dir=${dir}`, '--remote-debugging-port=0', 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const close = async (): Promise<void> => {
    if (proc.exitCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
    }
    // Its helper processes may still be writing to the profile for a moment.
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch (err) {
      process.stderr.write(`  could not delete ${dir}: ${String(err)}\n`);
    }
  };
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => {
        reject(new Error(`no DevTools endpoint from Chromium: ${text.slice(-500)}`));
      }, 20_000);
      proc.stderr?.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const found = /DevTools listening on (ws:\/\/\S+)/.exec(text);
        if (found?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(found[1]);
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Chromium exited (${String(code)}): ${text.slice(-500)}`));
      });
    });
    const browser = await chromium.connectOverCDP(endpoint, { noDefaults: true });
    return {
      browser,
      async close() {
        await browser.close().catch(() => undefined);
        await close();
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}

const visibility = (page: Page): Promise<string> => page.evaluate(() => document.visibilityState);

/**
 * One contender's download of `fixture` into a tab of a throttling Chromium, hidden for
 * `plan.hiddenForS` first (or in front all along): its rate from the add until complete, or
 * until `plan.capS` with what arrived by then.
 */
export async function hiddenDownload(
  ctx: Context,
  driver: Driver,
  fixture: BenchFixture,
  plan: HiddenPlan,
  hidden: boolean,
): Promise<Values> {
  const L = label(fixture.lengthBytes);
  const group = new PeerGroup(ctx.browser);
  const own = await launchThrottling();
  try {
    const seeder = await openPeer(group, driver, `${driver.variant} ${L} seeder`);
    await driver.loadFixture(seeder, fixture.name, ctx.staticOrigin);
    const seed = await driver.seed(seeder, ctx.announce);
    group.check();

    const context = own.browser.contexts()[0];
    const front = context?.pages()[0];
    if (!context || !front) throw new Error('the own Chromium has no default tab');
    await context.addInitScript('globalThis.__name ??= (fn) => fn;');
    await context.grantPermissions(['camera', 'microphone'], {
      origin: new URL(driver.url).origin,
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(`${driver.variant} leecher: ${err.message}`));
    const leecher: Peer = {
      label: `${driver.variant} ${L} leecher (${hidden ? 'hidden' : 'in front'})`,
      page,
      context,
      cdp: await context.newCDPSession(page),
      errors,
    };
    await page.goto(driver.url);
    await driver.ready(leecher);
    if (hidden) {
      await front.bringToFront();
      await sleep(plan.hiddenForS * 1000);
      const state = await visibility(page);
      if (state !== 'hidden') throw new Error(`the leecher's tab is ${state}, not hidden`);
    } else {
      await page.bringToFront();
      const state = await visibility(page);
      if (state !== 'visible') throw new Error(`the leecher's tab is ${state}, not visible`);
    }

    const capMs = plan.capS * 1000;
    const startMs = Date.now();
    const download = driver.download(leecher, seed, ctx.announce, capMs + 60_000);
    const outcome = await Promise.race([
      download.then((info) => ({ info })),
      sleep(capMs).then(() => null),
    ]);
    download.catch(() => undefined);
    if (errors[0] !== undefined) throw new Error(`page error: ${errors[0]}`);
    group.check();
    const key = `hidden.${L}.${hidden ? 'hidden' : 'visible'}`;
    if (outcome) {
      const s = (outcome.info.doneMs - outcome.info.startMs) / 1000;
      return { [`${key}.MiBps`]: fixture.lengthBytes / MiB / s, [`${key}.completePct`]: 100 };
    }
    const received = await driver.receivedBytes(leecher, seed.infoHash);
    const s = (Date.now() - startMs) / 1000;
    process.stderr.write(
      `  ${leecher.label}: ${(received / MiB).toFixed(1)} MiB in the ${String(plan.capS)} s cap\n`,
    );
    return {
      [`${key}.MiBps`]: received / MiB / s,
      [`${key}.completePct`]: (100 * received) / fixture.lengthBytes,
    };
  } finally {
    await group.close();
    await own.close();
  }
}

export function hiddenRows(plan: HiddenPlan): RowSpec[] {
  const L = label(plan.size);
  const H = `hidden.${L}`;
  return [
    {
      section:
        `a ${L} download added to a tab hidden for ${String(plan.hiddenForS)} s ` +
        `(a Chromium with throttling on, profile on disk; rate until complete or ${String(plan.capS)} s)`,
      key: `${H}.visible.MiBps`,
      label: 'rate, tab in front',
      unit: 'MiB/s',
      better: 'higher',
    },
    { key: `${H}.hidden.MiBps`, label: 'rate, tab hidden', unit: 'MiB/s', better: 'higher' },
    {
      key: `${H}.hidden.completePct`,
      label: `share downloaded within ${String(plan.capS)} s, hidden`,
      unit: '%',
      better: 'higher',
    },
    {
      key: `derived.${H}.keptShare`,
      label: 'hidden rate ÷ in-front rate',
      unit: '×',
      better: 'higher',
      goal: { text: '≥0.8', met: (s) => s >= 0.8 },
      derive: (medianOf) => medianOf(`${H}.hidden.MiBps`) / medianOf(`${H}.visible.MiBps`),
    },
  ];
}
