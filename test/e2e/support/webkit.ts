// WebKit in the e2e tests: Debian's WebKitGTK (Safari's engine), its MiniBrowser driven over
// classic WebDriver by Debian's WebKitWebDriver and selenium-webdriver. The GTK port has no
// headless mode, so it draws into a virtual X display (Xvfb) of the test's own. One driver
// and display per test file; each page is a WebDriver session of its own (its own storage).
// Classic WebDriver has no page-error events: the app is served with an error trap
// (support/error-trap.ts), and any error it recorded fails the test.
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { test as base } from '@playwright/test';
import { Builder, type WebDriver, type WebElement } from 'selenium-webdriver';
import { TRAP_KEY, serveAppWithErrorTrap } from './error-trap.ts';

const MULTIARCH = process.arch === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-linux-gnu';
export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
export const WEBKIT_BROWSER =
  process.env.WEBKIT_BROWSER_PATH ?? `/usr/lib/${MULTIARCH}/webkit2gtk-4.1/MiniBrowser`;
const XVFB = '/usr/bin/Xvfb';
/** The trapped copy of the app (its own origin, so its own storage). */
const APP_PORT = Number(process.env.E2E_WEBKIT_APP_PORT ?? 4194);

export function assertWebKit(): void {
  for (const path of [WEBKIT_DRIVER, WEBKIT_BROWSER, XVFB]) {
    try {
      accessSync(path, constants.X_OK);
    } catch {
      throw new Error(
        `No ${path} for the WebKit e2e tests. On Debian: sudo apt-get install -y ` +
          '--no-install-recommends webkit2gtk-driver xvfb (or set WEBKIT_DRIVER_PATH / WEBKIT_BROWSER_PATH).',
      );
    }
  }
}

/** Starts Xvfb on the first free display; resolves to its name (":N"). */
function startDisplay(): Promise<{ display: string; process: ChildProcess }> {
  const xvfb = spawn(XVFB, ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let said = '';
    let errors = '';
    xvfb.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    xvfb.stdio[3]?.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes('\n')) resolve({ display: `:${said.trim()}`, process: xvfb });
    });
    xvfb.on('exit', (code) => {
      reject(new Error(`Xvfb exited (${String(code)}): ${errors}`));
    });
  });
}

/** A TCP port nobody listens on right now, for the driver. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** Starts WebKitWebDriver on `display`; resolves once it answers, to its URL. */
async function startDriver(display: string): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const driver = spawn(WEBKIT_DRIVER, [`--port=${String(port)}`], {
    stdio: 'ignore',
    env: { ...process.env, DISPLAY: display },
  });
  const url = `http://127.0.0.1:${String(port)}`;
  for (let tries = 0; tries < 100; tries++) {
    if (driver.exitCode !== null) throw new Error(`WebKitWebDriver exited (${driver.exitCode})`);
    const ready = await fetch(`${url}/status`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { url, process: driver };
    await new Promise((done) => setTimeout(done, 100));
  }
  driver.kill();
  throw new Error('WebKitWebDriver did not answer within 10 s');
}

/** A WebKitGTK tab, driven the way the Playwright and puppeteer pages are. */
export class WebKitPage {
  constructor(readonly driver: WebDriver) {}

  /** Runs a self-contained function (sent as its source) in the page; awaits its promise. */
  evaluate<R, A extends unknown[] = []>(
    fn: (...args: A) => R | Promise<R>,
    ...args: A
  ): Promise<R> {
    return this.driver.executeScript<R>(
      `return (${fn.toString()}).apply(null, arguments);`,
      ...args,
    );
  }

  goto(url: string): Promise<void> {
    return this.driver.get(url);
  }

  reload(): Promise<void> {
    return this.driver.navigate().refresh();
  }

  /**
   * The first element matching the last of `selectors`, searched through every shadow root
   * inside the element matching the one before it (so `find('shoal-add-bar', 'button')` is
   * the add bar's button), once there is one.
   */
  async find(...selectors: string[]): Promise<WebElement> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const found = await this.driver.executeScript<WebElement | null>(
        `const deep = (root, selector) => {
           const hit = root.querySelector(selector);
           if (hit) return hit;
           for (const e of root.querySelectorAll('*'))
             if (e.shadowRoot) { const inner = deep(e.shadowRoot, selector); if (inner) return inner; }
           return null;
         };
         let at = document;
         for (const selector of arguments[0]) {
           const hit = deep(at.shadowRoot ?? at, selector);
           if (!hit) return null;
           at = hit;
         }
         return at;`,
        selectors,
      );
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${selectors.join(' >>> ')} within 30 s`);
      await new Promise((done) => setTimeout(done, 100));
    }
  }

  /** What the error trap recorded in this tab, or null if the trap is not in the page. */
  trappedErrors(): Promise<string[] | null> {
    return this.driver.executeScript<string[] | null>(
      `const kept = sessionStorage.getItem(arguments[0]); return kept === null ? null : JSON.parse(kept);`,
      TRAP_KEY,
    );
  }
}

interface WebKitFixtures {
  /** Opens `path` of the trapped app in a WebKitGTK session of its own. */
  newWebKitPage: (path?: string) => Promise<WebKitPage>;
}

interface WebKitWorkerFixtures {
  webkitDriverUrl: string;
  webkitAppOrigin: string;
}

export const test = base.extend<WebKitFixtures, WebKitWorkerFixtures>({
  webkitDriverUrl: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a fixture needs from this pattern
    async ({}, use) => {
      assertWebKit();
      const display = await startDisplay();
      try {
        const driver = await startDriver(display.display);
        try {
          await use(driver.url);
        } finally {
          driver.process.kill();
        }
      } finally {
        display.process.kill();
      }
    },
    { scope: 'worker' },
  ],
  webkitAppOrigin: [
    // eslint-disable-next-line no-empty-pattern -- as above
    async ({}, use) => {
      const app = await serveAppWithErrorTrap(APP_PORT);
      try {
        await use(app.origin);
      } finally {
        await app.close();
      }
    },
    { scope: 'worker' },
  ],
  newWebKitPage: async ({ webkitDriverUrl, webkitAppOrigin }, use, testInfo) => {
    const pages: WebKitPage[] = [];
    const failures: string[] = [];
    await use(async (path = '/') => {
      const driver = await new Builder()
        .usingServer(webkitDriverUrl)
        .withCapabilities({
          browserName: 'MiniBrowser',
          'webkitgtk:browserOptions': { binary: WEBKIT_BROWSER, args: ['--automation'] },
        })
        .build();
      const page = new WebKitPage(driver);
      pages.push(page);
      await page.goto(`${webkitAppOrigin}${path}`);
      return page;
    });
    for (const [i, page] of pages.entries()) {
      const label = `webkit${String(i + 1)}`;
      try {
        const errors = await page.trappedErrors();
        // Without the trap the test could not see an error: that fails it too.
        if (errors === null) failures.push(`${label}: the error trap is not in the page`);
        for (const error of errors ?? []) {
          testInfo.annotations.push({ type: `${label} error`, description: error });
          failures.push(`${label}: ${error}`);
        }
      } finally {
        await page.driver.quit();
      }
    }
    if (failures.length > 0) throw new Error(`WebKit pages reported:\n${failures.join('\n')}`);
  },
});
