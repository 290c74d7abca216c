// End-to-end tests: build the app for the test tracker, then run Playwright. As root on
// Linux the browsers run in a private network namespace (scripts/isolate.ts), so no test
// traffic (WebRTC candidates included) can leave the machine.
import { run, runIsolated } from './isolate.ts';
import { E2E_PORTS, TRACKER_URL } from '../test/e2e/support/ports.ts';
import { prepareDemo } from './demo.ts';

const args = process.argv.slice(2);

if (!process.env.SHOAL_E2E_SKIP_BUILD) {
  // The demo a first visit offers, in public/ for the build to copy (demo.spec.ts plays it).
  await prepareDemo(TRACKER_URL);
  const built = run('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', 'dist-e2e'], {
    ...process.env,
    TRACKER_PORT: String(E2E_PORTS.tracker),
  });
  if (built !== 0) process.exit(built);
}

const isolated = runIsolated(
  ['npx', 'playwright', 'test', ...args],
  process.env,
  'running e2e tests',
);
process.exit(isolated ?? run('npx', ['playwright', 'test', ...args]));
