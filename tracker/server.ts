// Runs the tracker on its own: `npm run tracker` (TRACKER_PORT, TRACKER_HOST, TRACKER_RECENT_PEERS).
import { DEFAULT_RECENT_PEERS, startTracker } from './tracker.ts';

const port = Number(process.env.TRACKER_PORT ?? 8000);
const host = process.env.TRACKER_HOST ?? '127.0.0.1';
const recent = Number(process.env.TRACKER_RECENT_PEERS ?? DEFAULT_RECENT_PEERS);
const tracker = await startTracker({
  port,
  host,
  recentPeers: Number.isInteger(recent) && recent > 0 ? recent : DEFAULT_RECENT_PEERS,
  log: (line) => {
    console.error(line);
  },
});
console.log(`Shoal tracker listening on ${tracker.url}`);
const stop = (): void => {
  void tracker.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
