// `npm run serve`: the app as it is deployed (`vite build` into dist/, served by `vite preview`)
// with its local WebSocket tracker, together. PORT (4173) and TRACKER_PORT (8000) override the
// ports; the build is told the tracker's port (served from localhost, the app announces to it).
import { build, preview } from 'vite';
import { ONE_MACHINE_SWARM, startLocalTracker, trackerPortFromEnv } from './local-tracker.ts';
import { prepareDemo } from './demo.ts';

const appPort = Number(process.env.PORT ?? 4173);
const trackerPort = trackerPortFromEnv();

// The demo goes into public/, which the build copies.
await prepareDemo(`ws://localhost:${String(trackerPort)}`);
await build({ logLevel: 'warn' });
const tracker = await startLocalTracker(trackerPort);
const server = await preview({ preview: { port: appPort, strictPort: true } });
const appUrl = server.resolvedUrls?.local[0] ?? `http://localhost:${String(appPort)}/`;

console.log(`\n  Shoal app (built):  ${appUrl}`);
console.log(`  Shoal tracker:      ${tracker.url}\n`);
console.log(ONE_MACHINE_SWARM);

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
