// `npm start`: the app (Vite dev server) and a local WebSocket tracker, together.
// PORT (5173) and TRACKER_PORT (8000) override the ports; HOST binds the app elsewhere.
import { createServer } from 'vite';
import { startTracker } from '../tracker/tracker.ts';

const appPort = Number(process.env.PORT ?? 5173);
const trackerPort = Number(process.env.TRACKER_PORT ?? 8000);
process.env.TRACKER_PORT = String(trackerPort);

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

const server = await createServer({ server: { port: appPort, strictPort: true } });
await server.listen();
const appUrl = server.resolvedUrls?.local[0] ?? `http://localhost:${String(appPort)}/`;

console.log(`\n  Shoal app:      ${appUrl}`);
console.log(`  Shoal tracker:  ${tracker.url}\n`);
console.log(
  '  For a swarm on one machine, open the app in a normal window and in a private window (or\n' +
    '  another browser profile): windows of one profile share its storage, and Shoal runs in\n' +
    '  one tab per profile. Ctrl+C stops both.\n',
);

const stop = (): void => {
  void Promise.all([server.close(), tracker.close()]).then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
