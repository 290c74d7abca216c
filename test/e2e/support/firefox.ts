// Firefox in the e2e tests: Debian's firefox-esr, driven over WebDriver BiDi by puppeteer-core
// (no browser download). One Firefox per test file on a fresh profile; each peer opens in a
// browser context of its own (its own storage), as another user would. Pages are read the way
// a user reads them: the text the app shows, found through its components' shadow roots
// (support/in-page.ts).
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';
import { fetchDigestIn, rowStateIn, shownTextIn } from './in-page.ts';
import { test as chromiumTest, expect } from './peers.ts';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

export function assertFirefox(): void {
  try {
    accessSync(FIREFOX_PATH, constants.X_OK);
  } catch {
    throw new Error(
      `No Firefox at ${FIREFOX_PATH} for the Firefox e2e tests. On Debian: ` +
        'sudo apt-get install -y firefox-esr (or set FIREFOX_PATH).',
    );
  }
}

/**
 * Preferences for a headless run as root. Media may play without a gesture (a test cannot
 * give one); the service worker keeps Firefox's default idle timeout, so a stream that waits
 * for pieces meets the limit users meet.
 */
const PREFS: Record<string, unknown> = {
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  'browser.shell.checkDefaultBrowser': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.reporting.enabled': false,
};

export interface FirefoxPeerOptions {
  /** Where this peer's downloads land (Save without a picker), instead of being refused. */
  readonly downloadDir?: string;
}

/** Firefox's message for a WebSocket it could not open: not an error of the page's script. */
const UNREACHABLE_SOCKET = /^Firefox can.t establish a connection to the server at wss?:\/\//;

interface FirefoxFixtures {
  /** Opens a Shoal page in Firefox, in a browser context of its own. */
  newFirefoxPeer: (url: string, options?: FirefoxPeerOptions) => Promise<Page>;
}

interface FirefoxWorkerFixtures {
  /**
   * Preferences a spec sets on its Firefox beside the defaults (`test.use`), as a user does
   * in about:config, e.g. `media.peerconnection.enabled: false` (no WebRTC at all).
   */
  firefoxPrefs: Record<string, unknown>;
  firefox: Browser;
}

export const test = chromiumTest.extend<FirefoxFixtures, FirefoxWorkerFixtures>({
  firefoxPrefs: [{}, { scope: 'worker', option: true }],
  firefox: [
    async ({ firefoxPrefs }, use) => {
      assertFirefox();
      const profile = mkdtempSync(join(tmpdir(), 'shoal-firefox-'));
      mkdirSync(join(profile, 'downloads'));
      const browser = await puppeteer.launch({
        browser: 'firefox',
        executablePath: FIREFOX_PATH,
        protocol: 'webDriverBiDi',
        headless: true,
        userDataDir: profile,
        // Without WebDriver BiDi's browser.setDownloadBehavior (ESR 140 has none), downloads
        // land in the profile's download directory: see downloadsTo.
        extraPrefsFirefox: {
          ...PREFS,
          'browser.download.folderList': 2,
          'browser.download.dir': join(profile, 'downloads', 'to'),
          'browser.download.useDownloadDir': true,
          'browser.download.always_ask_before_handling_new_types': false,
          ...firefoxPrefs,
        },
      });
      downloadLinks.set(browser, join(profile, 'downloads', 'to'));
      try {
        await use(browser);
      } finally {
        await browser.close();
        rmSync(profile, { recursive: true, force: true });
      }
    },
    { scope: 'worker' },
  ],
  newFirefoxPeer: async ({ firefox }, use, testInfo) => {
    const contexts: BrowserContext[] = [];
    /** What the built app's Content-Security-Policy refused, or errors nobody caught. */
    const failures: string[] = [];
    let count = 0;
    await use(async (url, options = {}) => {
      const label = `firefox${String(++count)}`;
      const context = await contextFor(firefox, options.downloadDir);
      contexts.push(context);
      const page = await context.newPage();
      page.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        testInfo.annotations.push({ type: `${label} console`, description: msg.text() });
        if (/Content[- ]Security[- ]Policy/i.test(msg.text())) failures.push(msg.text());
      });
      page.on('pageerror', (err) => {
        const message = err instanceof Error ? err.message : String(err);
        testInfo.annotations.push({ type: `${label} pageerror`, description: message });
        // Firefox logs a WebSocket that cannot connect (the tracker, while offline) as a
        // script error where Chromium logs a console message; no script threw.
        if (!UNREACHABLE_SOCKET.test(message)) failures.push(`${label}: ${message}`);
      });
      await page.goto(url);
      return page;
    });
    await Promise.all(contexts.map((context) => context.close()));
    if (failures.length > 0) throw new Error(`Firefox pages reported:\n${failures.join('\n')}`);
  },
});

/** Per Firefox: the path its profile's download directory pref names (a link, see contextFor). */
const downloadLinks = new WeakMap<Browser, string>();

/**
 * A browser context whose downloads land in `downloadDir` (none given: Firefox's default).
 * Firefox with BiDi's browser.setDownloadBehavior sets it per context; an ESR without it
 * (140) saves to the profile's download directory pref, a link pointed at `downloadDir` here
 * (a worker's tests run one after another, so one link per Firefox serves them).
 */
async function contextFor(firefox: Browser, downloadDir?: string): Promise<BrowserContext> {
  if (downloadDir === undefined) return firefox.createBrowserContext();
  try {
    return await firefox.createBrowserContext({
      downloadBehavior: { policy: 'allow', downloadPath: downloadDir },
    });
  } catch (err) {
    const link = downloadLinks.get(firefox);
    if (!link || !/setDownloadBehavior/.test(String(err))) throw err;
    // Firefox made the directory the pref names at start; after, it is the previous link.
    rmSync(link, { recursive: true, force: true });
    symlinkSync(downloadDir, link);
    return firefox.createBrowserContext();
  }
}

/**
 * Waits until the page's service worker controls it. Asked by evaluation, polled here:
 * puppeteer's waitForFunction builds its predicate with `new Function` in the page, which the
 * app's Content-Security-Policy refuses in Firefox ESR 140 (not in later ones).
 */
export async function controlled(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), {
      timeout: 30_000,
    })
    .toBe(true);
}

/** The state column ("Seeding", "Downloading", …) of the torrent row named `name`, or null. */
export function rowState(page: Page, name: string): Promise<string | null> {
  return page.evaluate(rowStateIn, name);
}

/** What a user reads in the elements matching `selector` (see shownTextIn). */
export function shownText(page: Page, selector: string): Promise<string> {
  return page.evaluate(shownTextIn, selector);
}

/** Shares files through the page's file input, as a user picking them would. */
export async function shareFiles(page: Page, ...paths: string[]): Promise<void> {
  const input = await page.waitForSelector('>>> input#seed-files');
  if (!input) throw new Error('no file input to share through');
  await input.uploadFile(...paths);
}

/** The magnet link the details show once it starts with `magnet:`. */
export async function shownMagnet(page: Page): Promise<string> {
  const field = await page.waitForSelector('>>> input#magnet-link', { timeout: 60_000 });
  if (!field) throw new Error('no magnet link shown');
  // Polled by evaluation, as `controlled` is.
  const value = (): Promise<string> => field.evaluate((input) => input.value);
  await expect.poll(value, { timeout: 60_000 }).toMatch(/^magnet:\?xt=urn:btih:/);
  return value();
}

/** SHA-256 (hex) of what `fetch(url)` in the page gets, and its status and length. */
export function fetchDigest(
  page: Page,
  url: string,
): Promise<{ status: number; lengthBytes: number; sha256: string } | { error: string }> {
  return page.evaluate(fetchDigestIn, url);
}

/** One response of a read: what its headers promised, what came, and how it ended. */
export interface ReadResponse {
  readonly status: number;
  readonly fromByte: number;
  readonly promisedBytes: number | null;
  readonly receivedBytes: number;
  readonly ended: 'whole' | 'error';
}

export interface ResumedRead {
  readonly sha256: string;
  readonly lengthBytes: number;
  readonly responses: ReadResponse[];
}

/**
 * Reads `url` in the page the way a media element does: a response that ends normally is
 * taken as whole (nothing more is asked for); one that errors is asked again with a Range
 * from the first byte it did not give, up to `maxRequests` requests.
 */
export function readLikeAMediaElement(
  page: Page,
  url: string,
  maxRequests = 6,
): Promise<ResumedRead> {
  return page.evaluate(
    async (url, maxRequests) => {
      const chunks: Uint8Array[] = [];
      const responses: ReadResponse[] = [];
      let receivedBytes = 0;
      while (responses.length < maxRequests) {
        const fromByte = receivedBytes;
        const response = await fetch(
          url,
          fromByte > 0 ? { headers: { Range: `bytes=${String(fromByte)}-` } } : {},
        );
        const length = response.headers.get('Content-Length');
        const reader = response.body?.getReader();
        let got = 0;
        let ended: 'whole' | 'error' = 'whole';
        try {
          for (;;) {
            const next = await reader?.read();
            if (!next || next.done) break;
            chunks.push(next.value);
            got += next.value.byteLength;
          }
        } catch {
          ended = 'error';
        }
        receivedBytes += got;
        responses.push({
          status: response.status,
          fromByte,
          promisedBytes: length === null ? null : Number(length),
          receivedBytes: got,
          ended,
        });
        if (ended === 'whole') break;
      }
      const all = new Uint8Array(receivedBytes);
      let at = 0;
      for (const chunk of chunks) {
        all.set(chunk, at);
        at += chunk.byteLength;
      }
      const digest = await crypto.subtle.digest('SHA-256', all);
      return {
        sha256: [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join(''),
        lengthBytes: receivedBytes,
        responses,
      };
    },
    url,
    maxRequests,
  );
}
