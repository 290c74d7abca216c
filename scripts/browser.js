// @ts-check
// Plain JS (typed by JSDoc) so that web-test-runner's JS config can use it too.
import { accessSync, constants } from 'node:fs';

/** Where Chrome/Chromium is looked for when CHROME_PATH is not set. */
export const BROWSER_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** @param {string} path */
const executable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The browser the tests drive: CHROME_PATH, else the first candidate that exists. */
/** @returns {string | null} */
export function findBrowser() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) return executable(fromEnv) ? fromEnv : null;
  return BROWSER_CANDIDATES.find(executable) ?? null;
}

/** @returns {string} */
export function browserPath() {
  const path = findBrowser();
  if (path === null) throw new Error(missingBrowserMessage());
  return path;
}

/** @returns {string} */
export function missingBrowserMessage() {
  const fromEnv = process.env.CHROME_PATH;
  return [
    fromEnv
      ? `CHROME_PATH is set to "${fromEnv}", but no executable is there.`
      : 'No Chrome or Chromium found for the browser tests.',
    'Install one, e.g. on Debian/Ubuntu:  sudo apt-get install -y chromium',
    'or point the tests at an existing one:  CHROME_PATH=/path/to/chrome npm test',
  ].join('\n');
}

/** Flags that work headless on these machines, and let two tabs connect over loopback WebRTC. */
export const BROWSER_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
];
