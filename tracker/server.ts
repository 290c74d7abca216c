// Runs the tracker on its own: `npm run tracker`. TRACKER_PORT, TRACKER_HOST, and each limit
// of limits.ts as TRACKER_<NAME> (e.g. TRACKER_MAX_SOCKETS, TRACKER_RECENT_PEERS).
// `kill -USR2 <pid>` prints one JSON line: sockets, torrents, peers and memory.
import { limitsFrom } from './limits.ts';
import { startTracker } from './tracker.ts';

const port = Number(process.env.TRACKER_PORT ?? 8000);
const host = process.env.TRACKER_HOST ?? '127.0.0.1';
const { limits, ignored } = limitsFrom(process.env);
for (const setting of ignored) console.error(`ignored ${setting}: not a positive number`);
const tracker = await startTracker({
  port,
  host,
  limits,
  log: (line) => {
    console.error(line);
  },
});
console.log(`Shoal tracker listening on ${tracker.url}`);
process.on('SIGUSR2', () => {
  // Under `node --expose-gc` the figures are taken after a full collection.
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  console.log(JSON.stringify({ ...tracker.stats(), rssBytes: rss, heapUsedBytes: heapUsed }));
});
const stop = (): void => {
  void tracker.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
