// The servers a bench run needs, all on loopback: the real tracker (a child process, as
// users run it), the built app (vite preview of dist-bench) and a static server for the
// stock page, the raw-limit page, webtorrent's dist build and the fixtures.
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { once } from 'node:events';
import { connect } from 'node:net';
import { preview, type PreviewServer } from 'vite';
import { BENCH_FIXTURE_DIR } from './fixtures.ts';

export const ROOT = resolve(import.meta.dirname, '..');
export const BENCH_OUT_DIR = 'dist-bench';

export const BENCH_PORTS = {
  tracker: Number(process.env.BENCH_TRACKER_PORT ?? 18100),
  app: Number(process.env.BENCH_APP_PORT ?? 4273),
  static: Number(process.env.BENCH_STATIC_PORT ?? 4280),
};
export const APP_ORIGIN = `http://localhost:${String(BENCH_PORTS.app)}`;
export const STATIC_ORIGIN = `http://localhost:${String(BENCH_PORTS.static)}`;
export const TRACKER_URL = `ws://localhost:${String(BENCH_PORTS.tracker)}`;

const ROUTES: Record<string, string> = {
  '/stock.html': join(ROOT, 'bench/pages/stock.html'),
  '/raw.html': join(ROOT, 'bench/pages/raw.html'),
  '/webtorrent.min.js': join(ROOT, 'node_modules/webtorrent/dist/webtorrent.min.js'),
  '/sw.min.js': join(ROOT, 'node_modules/webtorrent/dist/sw.min.js'),
};
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mp4': 'video/mp4',
};

function staticFile(path: string): string | undefined {
  const routed = ROUTES[path];
  if (routed) return routed;
  if (!path.startsWith('/fixtures/')) return undefined;
  const candidate = normalize(join(BENCH_FIXTURE_DIR, decodeURIComponent(path.slice(10))));
  return candidate.startsWith(BENCH_FIXTURE_DIR) ? candidate : undefined;
}

function startStatic(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const file = staticFile(new URL(req.url ?? '/', 'http://localhost').pathname);
    try {
      if (!file) throw new Error('not found');
      const { size } = statSync(file);
      // Ranges, as any media server answers them (the plain-HTTP floor of the stream rows).
      const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
      const start = range ? Number(range[1]) : 0;
      const end = range?.[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
      res.writeHead(range ? 206 : 200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Content-Length': end - start + 1,
        'Accept-Ranges': 'bytes',
        ...(range
          ? { 'Content-Range': `bytes ${String(start)}-${String(end)}/${String(size)}` }
          : {}),
        'Access-Control-Allow-Origin': '*',
        'Cache-Control': 'no-store',
      });
      createReadStream(file, { start, end }).pipe(res);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  server.listen(port, '127.0.0.1');
  return once(server, 'listening').then(() => server);
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        done(true);
      });
      socket.once('error', () => {
        done(false);
      });
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${String(port)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface BenchServers {
  close(): Promise<void>;
}

export async function startServers(): Promise<BenchServers> {
  const tracker: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'tracker/server.ts')],
    {
      env: { ...process.env, TRACKER_PORT: String(BENCH_PORTS.tracker), TRACKER_HOST: '127.0.0.1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const trackerExit = once(tracker, 'exit').then(() => {
    throw new Error('the tracker exited');
  });
  trackerExit.catch(() => undefined);
  let app: PreviewServer | null = null;
  let stat: Server | null = null;
  const close = async (): Promise<void> => {
    tracker.kill('SIGTERM');
    await Promise.all([app?.close(), stat ? new Promise((done) => stat?.close(done)) : undefined]);
  };
  try {
    app = await preview({
      root: ROOT,
      logLevel: 'warn',
      build: { outDir: BENCH_OUT_DIR },
      preview: { port: BENCH_PORTS.app, strictPort: true, host: '127.0.0.1' },
    });
    stat = await startStatic(BENCH_PORTS.static);
    await Promise.race([waitForPort(BENCH_PORTS.tracker, 20_000), trackerExit]);
  } catch (err) {
    await close();
    throw err;
  }
  return { close };
}
