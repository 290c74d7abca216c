// A newcomer's first visit to `npm start` must not reload the page by itself. Vite's dev
// server reloads a page when it finds, while serving it, a dependency its start-up scan
// missed (one imported only by a worker, say), and a first visit that was streaming broke.
// This starts the dev server with an empty dependency cache, as a fresh clone has, opens the
// app in Chromium, and fails if the page navigates again or Vite says it re-optimised.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createLogger, createServer } from 'vite';
import { BROWSER_ARGS, browserPath } from './browser.js';

const PORT = Number(process.env.FIRST_VISIT_PORT ?? 5291);
/** How long the first visit is watched: the app loads its workers and lazy parts within it. */
const WATCH_MS = 12_000;

const cacheDir = await mkdtemp(join(tmpdir(), 'shoal-vite-cache-'));
const said: string[] = [];
const logger = createLogger('info', { allowClearScreen: false });
const log = (msg: string): void => {
  said.push(msg);
};
logger.info = log;
logger.warn = log;
const server = await createServer({
  cacheDir,
  customLogger: logger,
  clearScreen: false,
  server: { port: PORT, strictPort: true },
});
await server.listen();
const browser = await chromium.launch({ executablePath: browserPath(), args: BROWSER_ARGS });
let navigations = 0;
try {
  const page = await browser.newPage();
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations++;
  });
  await page.goto(`http://localhost:${String(PORT)}/`);
  await page.locator('shoal-app').waitFor({ state: 'attached', timeout: 30_000 });
  await page.waitForTimeout(WATCH_MS);
} finally {
  await browser.close();
  await server.close();
  await rm(cacheDir, { recursive: true, force: true });
}
const reoptimised = said.filter((line) => /optimized|reloading/i.test(line));
if (navigations !== 1 || reoptimised.length > 0) {
  console.error(
    `The first visit reloaded itself (${String(navigations)} navigations):\n${reoptimised.join('\n')}`,
  );
  process.exit(1);
}
console.log('first visit: one load, no reload');
