// A Chromium the test starts itself (not through Playwright's launcher), on a profile folder
// of its own, attached over CDP: so that a test can kill the whole browser the way a crash
// or a power cut would (SIGKILL, no unload, no shutdown) and start it again on the same
// profile.
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { BROWSER_ARGS, browserPath } from '../../../scripts/browser.js';

export interface OwnChromium {
  readonly browser: Browser;
  /** The profile's default context: its storage is the profile folder's. */
  readonly context: BrowserContext;
  /** SIGKILLs the browser and every process it started; resolves once the browser is gone. */
  kill(): Promise<void>;
}

const LISTENING = /DevTools listening on (ws:\/\/\S+)/;

function devToolsUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  const stderr = child.stderr;
  if (!stderr) return Promise.reject(new Error('no stderr to read the DevTools address from'));
  return new Promise((resolve, reject) => {
    let seen = '';
    const done = (err: Error | null, url = '') => {
      clearTimeout(timer);
      stderr.off('data', onData);
      child.off('exit', onExit);
      // Keep draining it, so the browser never blocks on a full pipe.
      stderr.resume();
      if (err) reject(err);
      else resolve(url);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const url = LISTENING.exec(seen)?.[1];
      if (url !== undefined) done(null, url);
    };
    const onExit = (code: number | null) => {
      done(new Error(`Chromium exited (${String(code)}) before listening:\n${seen}`));
    };
    const timer = setTimeout(() => {
      done(new Error(`Chromium did not listen for DevTools within ${String(timeoutMs)} ms`));
    }, timeoutMs);
    stderr.on('data', onData);
    child.once('exit', onExit);
  });
}

/**
 * Starts /usr/bin/chromium (or CHROME_PATH) headless on `userDataDir`, with the flags the
 * other tests use, and attaches to it. `origin` is granted camera and microphone: without
 * them Chromium hides host candidates behind mDNS names, and WebRTC never connects here.
 */
export async function launchOwnChromium(userDataDir: string, origin: string): Promise<OwnChromium> {
  const child = spawn(
    browserPath(),
    [...BROWSER_ARGS, `--user-data-dir=${userDataDir}`, '--remote-debugging-port=0', 'about:blank'],
    // Its own process group, so that a kill takes the renderers and utility processes too.
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const kill = async (): Promise<void> => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await exited;
  };
  try {
    const browser = await chromium.connectOverCDP(await devToolsUrl(child, 30_000));
    const context = browser.contexts()[0];
    if (!context) throw new Error('Chromium has no default context');
    await context.grantPermissions(['camera', 'microphone'], { origin });
    return { browser, context, kill };
  } catch (err) {
    await kill();
    throw err;
  }
}
