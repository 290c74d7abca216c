// `npm start`: the app (Vite dev server) and a local WebSocket tracker, together.
// PORT (5173) and TRACKER_PORT (8000) override the ports; HOST binds the app elsewhere.
import { createServer } from 'vite';
import { ONE_MACHINE_SWARM, startLocalTracker, trackerPortFromEnv } from './local-tracker.ts';
import { prepareDemo } from './demo.ts';

const appPort = Number(process.env.PORT ?? 5173);
const trackerPort = trackerPortFromEnv();

const tracker = await startLocalTracker(trackerPort);
// The demo the empty list offers (public/demo/, served by the app as its own web seed).
await prepareDemo(tracker.url);

const server = await createServer({ server: { port: appPort, strictPort: true } });
await server.listen();
const appUrl = server.resolvedUrls?.local[0] ?? `http://localhost:${String(appPort)}/`;

console.log(`\n  Shoal app:      ${appUrl}`);
console.log(`  Shoal tracker:  ${tracker.url}\n`);
console.log(ONE_MACHINE_SWARM);

const stop = (): void => {
  void Promise.all([server.close(), tracker.close()]).then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
