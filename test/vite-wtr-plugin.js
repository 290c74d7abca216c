// A web-test-runner plugin that serves every module through a Vite dev server, so unit
// and component tests resolve, transform and alias imports exactly as the app's build does.
import { createServer } from 'vite';

/** @returns {import('@web/test-runner').TestRunnerPlugin} */
export function viteServe() {
  /** @type {import('vite').ViteDevServer | undefined} */
  let vite;
  let origin = '';
  return {
    name: 'shoal-vite-serve',
    async serverStart() {
      vite = await createServer({
        clearScreen: false,
        logLevel: 'warn',
        server: { hmr: false, port: 0, host: '127.0.0.1' },
        // Find every dependency up front, so Vite never re-optimises mid-run.
        optimizeDeps: { entries: ['index.html', 'test/unit/**/*.test.ts'] },
        plugins: [
          {
            // @open-wc/testing imports web-test-runner's socket, which only wtr serves.
            name: 'wtr-socket-external',
            resolveId(id) {
              return id.endsWith('__web-dev-server__web-socket.js')
                ? { id: '/__web-dev-server__web-socket.js', external: true }
                : undefined;
            },
          },
        ],
      });
      await vite.listen();
      const address = vite.httpServer?.address();
      if (!address || typeof address === 'string') throw new Error('Vite did not start');
      origin = `http://127.0.0.1:${String(address.port)}`;
    },
    async serverStop() {
      await vite?.close();
    },
    async serve(context) {
      // web-test-runner's own files (its runner, mocha, the WebSocket) stay with it.
      if (context.path.startsWith('/__web') || context.path.startsWith('/__wds')) return undefined;
      if (!/\.(ts|js|mjs|css|json|svg)$/.test(context.path) && !context.path.startsWith('/@'))
        return undefined;
      const response = await fetch(origin + context.url);
      if (!response.ok) return undefined;
      return { body: await response.text(), type: response.headers.get('content-type') ?? 'js' };
    },
  };
}
