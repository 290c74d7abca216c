import Server from 'bittorrent-tracker/server';

export interface RunningTracker {
  /** ws://host:port the tracker accepts announces on. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface TrackerOptions {
  port: number;
  /** Interface to bind; loopback unless told otherwise. */
  host?: string;
  /** Print announces and errors. */
  log?: (line: string) => void;
  /** Peers remembered per torrent: the most recent announcers (Spotify's tracker kept ~20). */
  recentPeers?: number;
}

/**
 * Spotify's tracker remembered only the ~20 most recent clients of each track: enough to
 * start, while the peers' own neighbours do the rest. An announce's offers go to peers
 * among these, so a newcomer meets the ones most likely still there.
 */
export const DEFAULT_RECENT_PEERS = 20;

/**
 * Starts a WebSocket-only BitTorrent tracker (WebTorrent's signalling server).
 * HTTP and UDP are off: browsers can only speak WebSocket.
 */
export function startTracker(options: TrackerOptions): Promise<RunningTracker> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log;
  const server = new Server({
    http: false,
    udp: false,
    ws: true,
    stats: false,
    // bittorrent-tracker keeps each torrent's peers in an LRU keyed by peer id: the one that
    // announced longest ago is dropped (as if it had stopped) when one more announces.
    peersCacheLength: options.recentPeers ?? DEFAULT_RECENT_PEERS,
  });
  server.on('warning', (err: Error) => log?.(`tracker warning: ${err.message}`));
  server.on('error', (err: Error) => log?.(`tracker error: ${err.message}`));
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      reject(err);
    };
    server.once('error', onError);
    server.listen(options.port, host, () => {
      server.off('error', onError);
      const port = server.ws?.address().port ?? options.port;
      resolve({
        url: `ws://${host === '127.0.0.1' || host === '::1' ? 'localhost' : host}:${String(port)}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => {
              done();
            });
          }),
      });
    });
  });
}
