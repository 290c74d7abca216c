// `npm run serve`: the app as it is deployed (`vite build` into dist/, served by `vite preview`)
// with its local WebSocket tracker, together. PORT (4173) and TRACKER_PORT (8000) override the
// ports; the build is told the tracker's port (served from localhost, the app announces to it).
import { build, preview } from 'vite';
import { startTracker } from '../tracker/tracker.ts';

const appPort = Number(process.env.PORT ?? 4173);
const trackerPort = Number(process.env.TRACKER_PORT ?? 8000);
// vite.config.ts reads it when the build loads the config.
process.env.TRACKER_PORT = String(trackerPort);

await build({ logLevel: 'warn' });
const tracker = await startTracker({
  port: trackerPort,
  log: (line) => {
    console.error(line);
  },
}).catch((err: unknown) => {
  console.error(
    `Could not start the tracker on port ${String(trackerPort)}: ${err instanceof Error ? err.message : String(err)}\n` +
      'Set TRACKER_PORT to a free port.',
  );
  process.exit(1);
});
const server = await preview({ preview: { port: appPort, strictPort: true } });
const appUrl = server.resolvedUrls?.local[0] ?? `http://localhost:${String(appPort)}/`;

console.log(`\n  Shoal app (built):  ${appUrl}`);
console.log(`  Shoal tracker:      ${tracker.url}\n`);
console.log(
  '  For a swarm on one machine, open the app in a normal window and in a private window (or\n' +
    '  another browser profile): windows of one profile share its storage, and Shoal runs in\n' +
    '  one tab per profile. Ctrl+C stops both.\n',
);

const stop = (): void => {
  void Promise.all([
    new Promise<void>((resolve) => {
      server.httpServer.close(() => {
        resolve();
      });
    }),
    tracker.close(),
  ]).then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
