import { createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import Server from 'bittorrent-tracker/server';
import { WebSocketServer } from 'ws';
import { GuardedSocket } from './guarded-socket.ts';
import { DEFAULT_LIMITS, type TrackerLimits } from './limits.ts';
import { RecentKeys } from './recent-keys.ts';

export interface TrackerStats {
  readonly sockets: number;
  readonly torrents: number;
  readonly peers: number;
}

export interface RunningTracker {
  /** ws://host:port the tracker accepts announces on. */
  readonly url: string;
  readonly port: number;
  readonly limits: TrackerLimits;
  stats(): TrackerStats;
  close(): Promise<void>;
}

export interface TrackerOptions {
  port: number;
  /** Interface to bind; loopback unless told otherwise. */
  host?: string;
  /** Print warnings and errors. */
  log?: (line: string) => void;
  /** Peers remembered per torrent (limits.recentPeers). */
  recentPeers?: number;
  /** Any limits other than the defaults. */
  limits?: Partial<TrackerLimits>;
}

/**
 * Spotify's tracker remembered only the ~20 most recent clients of each track: enough to
 * start, while the peers' own neighbours do the rest. An announce's offers go to peers
 * among these, so a newcomer meets the ones most likely still there.
 */
export const DEFAULT_RECENT_PEERS = DEFAULT_LIMITS.recentPeers;

const REFUSED =
  'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/**
 * Starts a WebSocket-only BitTorrent tracker (WebTorrent's signalling server): bittorrent-
 * tracker's announce and swarm logic behind our own HTTP and WebSocket servers, which bound
 * what each client may cost (limits.ts). HTTP and UDP are off: browsers speak WebSocket only.
 */
export function startTracker(options: TrackerOptions): Promise<RunningTracker> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log;
  const limits: TrackerLimits = {
    ...DEFAULT_LIMITS,
    ...options.limits,
    ...(options.recentPeers === undefined ? {} : { recentPeers: options.recentPeers }),
  };
  const recent = new RecentKeys(limits.maxTorrents);
  const server = new Server({
    http: false,
    udp: false,
    ws: false,
    stats: false,
    // bittorrent-tracker keeps each torrent's peers in an LRU keyed by peer id: the one that
    // announced longest ago is dropped (as if it had stopped) when one more announces.
    peersCacheLength: limits.recentPeers,
    // Called on every announce, before its swarm is looked up or made: the torrent becomes the
    // most recent, and past maxTorrents the one announced to longest ago is forgotten.
    filter: (infoHash, _params, done) => {
      const evicted = recent.touch(infoHash);
      if (evicted !== undefined) Reflect.deleteProperty(server.torrents, evicted);
      done(null);
    },
  });
  server.on('warning', (err: Error) => log?.(`tracker warning: ${err.message}`));

  const sockets = new Set<GuardedSocket>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxMessageBytes,
    perMessageDeflate: false,
    clientTracking: false,
  });
  const http = createServer((_request, response) => {
    response.writeHead(404, { 'Content-Type': 'text/plain' }).end('A WebSocket tracker.\n');
  });
  http.on('upgrade', (request, socket: Duplex, head: Buffer) => {
    if (sockets.size >= limits.maxSockets) {
      socket.end(REFUSED);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const guarded = new GuardedSocket(ws, request, limits, Date.now());
      sockets.add(guarded);
      ws.once('close', () => sockets.delete(guarded));
      server.onWebSocketConnection(guarded);
    });
  });

  // Every quarter of the idle timeout: close the sockets that said nothing for the whole of
  // it, and forget torrents whose last peer has gone (stock keeps every swarm ever made).
  const sweep = setInterval(
    () => {
      const now = Date.now();
      for (const socket of sockets) {
        if (now - socket.lastHeardMs > limits.idleTimeoutMs) socket.close();
      }
      for (const infoHash of recent.all()) {
        // No swarm yet: an announce between its check and the swarm's making (a tick apart).
        const swarm = server.torrents[infoHash];
        if (!swarm || swarm.peers.length > 0) continue;
        recent.delete(infoHash);
        Reflect.deleteProperty(server.torrents, infoHash);
      }
    },
    Math.max(250, limits.idleTimeoutMs / 4),
  );

  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, host, () => {
      http.off('error', reject);
      http.on('error', (err) => log?.(`tracker error: ${err.message}`));
      const address = http.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      resolve({
        url: `ws://${host === '127.0.0.1' || host === '::1' ? 'localhost' : host}:${String(port)}`,
        port,
        limits,
        stats: () => ({
          sockets: sockets.size,
          torrents: Object.keys(server.torrents).length,
          peers: Object.values(server.torrents).reduce((sum, swarm) => sum + swarm.peers.length, 0),
        }),
        close: () =>
          new Promise<void>((done) => {
            clearInterval(sweep);
            for (const socket of sockets) socket.terminate();
            wss.close();
            server.close();
            http.closeAllConnections();
            http.close(() => {
              done();
            });
          }),
      });
    });
  });
}
