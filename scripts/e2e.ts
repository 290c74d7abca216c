// End-to-end tests: build the app for the test tracker, then run Playwright. As root on
// Linux the browsers run in a private network namespace that has only loopback, so no
// test traffic (WebRTC candidates included) can leave the machine.
import { spawnSync } from 'node:child_process';
import { E2E_PORTS } from '../test/e2e/support/ports.ts';

const args = process.argv.slice(2);
const run = (
  command: string,
  commandArgs: string[],
  env: NodeJS.ProcessEnv = process.env,
): number => {
  const result = spawnSync(command, commandArgs, { stdio: 'inherit', env });
  return result.status ?? 1;
};

if (!process.env.SHOAL_E2E_SKIP_BUILD) {
  const built = run('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', 'dist-e2e'], {
    ...process.env,
    TRACKER_PORT: String(E2E_PORTS.tracker),
  });
  if (built !== 0) process.exit(built);
}

// Loopback, plus a veth pair whose both ends stay inside the namespace: with loopback alone
// Chromium reports navigator.onLine === false, and the app would show its offline state in
// every test. Nothing is routed out (the namespace has no other link).
const NETNS_SETUP = [
  'ip link set lo up',
  '(ip link add shoal0 type veth peer name shoal1' +
    ' && ip addr add 10.77.0.1/30 dev shoal0 && ip addr add 10.77.0.2/30 dev shoal1' +
    ' && ip link set shoal0 up && ip link set shoal1 up || true)',
].join(' && ');

const canIsolate =
  process.platform === 'linux' &&
  process.getuid?.() === 0 &&
  !process.env.SHOAL_IN_NETNS &&
  run('unshare', ['-n', 'true']) === 0;

if (canIsolate) {
  const quoted = args.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');
  process.exit(
    run('unshare', ['-n', 'sh', '-c', `${NETNS_SETUP} && exec npx playwright test ${quoted}`], {
      ...process.env,
      SHOAL_IN_NETNS: '1',
    }),
  );
} else {
  if (!process.env.SHOAL_IN_NETNS) {
    console.warn(
      'Not root (or no unshare): running e2e tests without a private network namespace. ' +
        "Chromium may also offer this machine's other interface addresses as WebRTC candidates.",
    );
  }
  process.exit(run('npx', ['playwright', 'test', ...args]));
}
