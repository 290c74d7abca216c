// One Chromium for the run; each peer is a browser context of its own (its own storage, as
// another user), with a CDP session for CPU and heap figures.
import {
  chromium,
  type Browser,
  type BrowserContext,
  type CDPSession,
  type Page,
} from 'playwright-core';
import { BROWSER_ARGS, browserPath } from '../scripts/browser.js';

export interface Peer {
  readonly label: string;
  readonly page: Page;
  readonly context: BrowserContext;
  readonly cdp: CDPSession;
  /** Uncaught errors of the page; any one fails the measurement. */
  readonly errors: string[];
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: browserPath(), args: BROWSER_ARGS });
}

/** The peers of one measurement; closing the group closes them all. */
export class PeerGroup {
  private readonly peers: Peer[] = [];

  constructor(private readonly browser: Browser) {}

  /** `init`: a script run in the page before its own scripts, on every load (after `__name`). */
  async open(label: string, url: string, init?: { script: string }): Promise<Peer> {
    const context = await this.browser.newContext();
    // tsx (esbuild's keepNames) wraps named functions in the page callbacks in `__name(...)`.
    await context.addInitScript('globalThis.__name ??= (fn) => fn;');
    if (init) await context.addInitScript(init.script);
    // Without a media permission Chromium hides host candidates behind mDNS names that do
    // not resolve here, and two tabs never connect.
    await context.grantPermissions(['camera', 'microphone'], { origin: new URL(url).origin });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(`${label}: ${err.message}`));
    page.on('crash', () => errors.push(`${label}: the page crashed`));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const peer: Peer = { label, page, context, cdp, errors };
    this.peers.push(peer);
    await page.goto(url);
    return peer;
  }

  /** Throws the first page error any peer of the group has had. */
  check(): void {
    const error = this.peers.flatMap((p) => p.errors)[0];
    if (error !== undefined) throw new Error(`page error: ${error}`);
  }

  async close(): Promise<void> {
    await Promise.all(this.peers.map((p) => p.context.close().catch(() => undefined)));
    this.peers.length = 0;
  }
}

/** Seconds the page's main thread spent running tasks so far (CDP TaskDuration). */
export async function taskDurationS(peer: Peer): Promise<number> {
  const { metrics } = await peer.cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? Number.NaN;
}

/** Polls the JS heap of some peers (CDP Runtime.getHeapUsage) until stopped; keeps the peak. */
export function sampleHeap(
  peers: readonly Peer[],
  intervalMs = 250,
): { stop(): Promise<number[]> } {
  const peaks = peers.map(() => 0);
  const state = { running: true };
  const loop = (async () => {
    while (state.running) {
      await Promise.all(
        peers.map(async (peer, i) => {
          const usage = await peer.cdp.send('Runtime.getHeapUsage').catch(() => null);
          if (usage) peaks[i] = Math.max(peaks[i] ?? 0, usage.usedSize);
        }),
      );
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    async stop() {
      state.running = false;
      await loop;
      return peaks;
    },
  };
}
