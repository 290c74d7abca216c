// Shared by the e2e tests and the bench: run a command, and when root on Linux, run it inside
// a private network namespace so no test traffic (WebRTC candidates included) leaves the machine.
import { spawnSync } from 'node:child_process';

export const run = (
  command: string,
  commandArgs: string[],
  env: NodeJS.ProcessEnv = process.env,
): number => spawnSync(command, commandArgs, { stdio: 'inherit', env }).status ?? 1;

// Loopback, plus a veth pair whose both ends stay inside the namespace: with loopback alone
// Chromium reports navigator.onLine === false, and the app would show its offline state
// everywhere. The default route points into that pair: Firefox gathers no WebRTC candidate
// at all without one ("failed to find default addresses"). Nothing leaves the namespace:
// it has no other link, and the pair's far end is in it too.
const NETNS_SETUP = [
  'ip link set lo up',
  '(ip link add shoal0 type veth peer name shoal1' +
    ' && ip addr add 10.77.0.1/30 dev shoal0 && ip addr add 10.77.0.2/30 dev shoal1' +
    ' && ip link set shoal0 up && ip link set shoal1 up && ip route add default dev shoal0 || true)',
].join(' && ');

/**
 * Runs `command` (argv) in a fresh network namespace and returns its exit code, or returns
 * null when this process cannot make one (not root, not Linux, no unshare) or already runs
 * inside one; `what` names the run in the warning printed then.
 */
export function runIsolated(
  command: string[],
  env: NodeJS.ProcessEnv,
  what: string,
): number | null {
  const canIsolate =
    process.platform === 'linux' &&
    process.getuid?.() === 0 &&
    !process.env.SHOAL_IN_NETNS &&
    run('unshare', ['-n', 'true']) === 0;
  if (!canIsolate) {
    if (!process.env.SHOAL_IN_NETNS) {
      console.warn(
        `Not root (or no unshare): ${what} without a private network namespace. ` +
          "Chromium may also offer this machine's other interface addresses as WebRTC candidates.",
      );
    }
    return null;
  }
  const quoted = command.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');
  return run('unshare', ['-n', 'sh', '-c', `${NETNS_SETUP} && exec ${quoted}`], {
    ...env,
    SHOAL_IN_NETNS: '1',
  });
}
