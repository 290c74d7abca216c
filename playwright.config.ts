import { defineConfig } from '@playwright/test';
import { BROWSER_ARGS, browserPath } from './scripts/browser.js';
import { E2E_PORTS } from './test/e2e/support/ports.ts';

const env = { ...process.env } as Record<string, string>;

export default defineConfig({
  testDir: 'test/e2e',
  // Each test drives several browser contexts; this machine has 2 cores.
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 60_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  forbidOnly: Boolean(process.env.CI),
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: browserPath(), args: BROWSER_ARGS },
    trace: 'retain-on-failure',
  },
  webServer: [
    {
      command: 'npx tsx tracker/server.ts',
      port: E2E_PORTS.tracker,
      env: { ...env, TRACKER_PORT: String(E2E_PORTS.tracker), TRACKER_HOST: '127.0.0.1' },
      reuseExistingServer: false,
    },
    {
      command: `npx vite preview --outDir dist-e2e --port ${String(E2E_PORTS.app)} --strictPort --host 127.0.0.1`,
      port: E2E_PORTS.app,
      reuseExistingServer: false,
    },
    {
      command: 'npx tsx test/e2e/support/static-server.ts',
      port: E2E_PORTS.static,
      reuseExistingServer: false,
    },
  ],
});
