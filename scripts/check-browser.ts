// Fails early, saying what to install, when the browser tests have no browser to drive.
import { findBrowser, missingBrowserMessage } from './browser.js';

const path = findBrowser();
if (path === null) {
  console.error(`\n${missingBrowserMessage()}\n`);
  process.exit(1);
}
