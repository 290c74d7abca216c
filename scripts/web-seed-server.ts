// A BEP 19 web seed for the e2e tests and the bench: a plain HTTP server on loopback that
// serves fixture files by name with single Range requests, allows any origin (CORS), and
// counts what it was asked for: GET requests, bytes sent, and OPTIONS preflights.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';

export interface WebSeedCounts {
  requests: number;
  bytes: number;
  preflights: number;
  /** Each GET's Range header (or "" for a whole file). */
  ranges: string[];
}

export class WebSeedServer {
  readonly counts: WebSeedCounts = { requests: 0, bytes: 0, preflights: 0, ranges: [] };
  private readonly files = new Map<string, Uint8Array>();
  private readonly server: Server;

  private constructor(paths: readonly string[]) {
    for (const path of paths) this.files.set(basename(path), readFileSync(path));
    this.server = createServer((req, res) => {
      const cors = { 'Access-Control-Allow-Origin': '*' };
      if (req.method === 'OPTIONS') {
        this.counts.preflights++;
        res.writeHead(204, {
          ...cors,
          'Access-Control-Allow-Headers': '*',
          'Access-Control-Allow-Methods': 'GET',
        });
        res.end();
        return;
      }
      // Any folder in front of the name (a multi-file torrent's) is accepted.
      const name = basename(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
      const data = this.files.get(name);
      if (!data) {
        res.writeHead(404, cors).end();
        return;
      }
      this.counts.requests++;
      const range = req.headers.range ?? '';
      this.counts.ranges.push(range);
      const match = /^bytes=(\d+)-(\d*)$/.exec(range);
      if (!match) {
        this.counts.bytes += data.byteLength;
        res.writeHead(200, { ...cors, 'Content-Length': data.byteLength }).end(data);
        return;
      }
      const start = Number(match[1]);
      const end = Math.min(data.byteLength - 1, match[2] ? Number(match[2]) : data.byteLength - 1);
      if (start > end) {
        res
          .writeHead(416, { ...cors, 'Content-Range': `bytes */${String(data.byteLength)}` })
          .end();
        return;
      }
      const body = data.subarray(start, end + 1);
      this.counts.bytes += body.byteLength;
      res
        .writeHead(206, {
          ...cors,
          'Content-Length': body.byteLength,
          'Content-Range': `bytes ${String(start)}-${String(end)}/${String(data.byteLength)}`,
        })
        .end(body);
    });
  }

  static async start(paths: readonly string[]): Promise<WebSeedServer> {
    const seed = new WebSeedServer(paths);
    await new Promise<void>((resolve) => seed.server.listen(0, '127.0.0.1', resolve));
    return seed;
  }

  /** The web seed URL: a file's for a single-file torrent, the folder's for several. */
  url(name = ''): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${String(port)}/${encodeURIComponent(name)}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }
}
