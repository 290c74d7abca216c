// The tracker `npm start` and `npm run serve` run beside the app, and what both say about it.
import { startTracker, type RunningTracker } from '../tracker/tracker.ts';

/** TRACKER_PORT (8000), also set for the app's build, which is told the tracker's port. */
export function trackerPortFromEnv(): number {
  const port = Number(process.env.TRACKER_PORT ?? 8000);
  process.env.TRACKER_PORT = String(port);
  return port;
}

/** Starts the local tracker, or exits saying how to free its port. */
export function startLocalTracker(port: number): Promise<RunningTracker> {
  return startTracker({
    port,
    log: (line) => {
      console.error(line);
    },
  }).catch((err: unknown) => {
    console.error(
      `Could not start the tracker on port ${String(port)}: ${err instanceof Error ? err.message : String(err)}\n` +
        'Set TRACKER_PORT to a free port.',
    );
    process.exit(1);
  });
}

/** How to make a swarm on one machine (one profile runs its torrents in one tab). */
export const ONE_MACHINE_SWARM =
  '  For a swarm on one machine, open the app in a normal window and in a private window (or\n' +
  '  another browser profile): windows of one profile share its storage, and Shoal runs in\n' +
  '  one tab per profile. Ctrl+C stops both.\n';
