// A plain static server for the e2e tests: the stock-webtorrent page, webtorrent's own
// dist build, and generated fixtures. Loopback only.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { E2E_PORTS } from './ports.ts';

const root = resolve(import.meta.dirname, '../../..');
const routes: Record<string, string> = {
  '/stock.html': join(root, 'test/e2e/stock/stock.html'),
  '/webtorrent.min.js': join(root, 'node_modules/webtorrent/dist/webtorrent.min.js'),
};
const fixtures = join(root, '.cache/e2e');
const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  let file = routes[path];
  if (!file && path.startsWith('/fixtures/')) {
    const candidate = normalize(
      join(fixtures, decodeURIComponent(path.slice('/fixtures/'.length))),
    );
    if (candidate.startsWith(fixtures)) file = candidate;
  }
  try {
    if (!file) throw new Error('not found');
    const { size } = statSync(file);
    res.writeHead(200, {
      'Content-Type': types[extname(file)] ?? 'application/octet-stream',
      'Content-Length': size,
      'Access-Control-Allow-Origin': '*',
    });
    createReadStream(file).pipe(res);
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  }
}).listen(E2E_PORTS.static, '127.0.0.1', () => {
  console.log(`static server on ${String(E2E_PORTS.static)}`);
});
