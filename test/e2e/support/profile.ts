import { chromium, type BrowserContext } from '@playwright/test';
import { BROWSER_ARGS, browserPath } from '../../../scripts/browser.js';
import { APP_ORIGIN } from './ports.ts';

/** A browser on a profile kept in `dir` (it survives a close), allowed to make WebRTC peers. */
export async function launchProfile(dir: string): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: browserPath(),
    args: BROWSER_ARGS,
  });
  await context.grantPermissions(['camera', 'microphone'], { origin: APP_ORIGIN });
  return context;
}
