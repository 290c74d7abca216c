// Unit and component tests, in Chromium, built by Vite (the same resolution as the app).
import { playwrightLauncher } from '@web/test-runner-playwright';
import { BROWSER_ARGS, browserPath } from './scripts/browser.js';
import { viteServe } from './test/vite-wtr-plugin.js';

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  files: ['test/unit/**/*.test.ts'],
  plugins: [viteServe()],
  concurrency: 1,
  // Not 8000: that is the tracker's port under `npm start`.
  port: 8765,
  nodeResolve: false,
  testFramework: { config: { timeout: 10000 } },
  // `npm run fuzz` runs the fuzz suites for as long as they take.
  ...(process.env.VITE_FUZZ_RUNS ? { testsFinishTimeout: 24 * 60 * 60 * 1000 } : {}),
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath: browserPath(), args: BROWSER_ARGS },
    }),
  ],
};
