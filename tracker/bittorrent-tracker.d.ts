// Minimal typing for the part of bittorrent-tracker we use: its WebSocket server.
declare module 'bittorrent-tracker/server' {
  import type { EventEmitter } from 'node:events';

  interface ServerOptions {
    http?: boolean;
    udp?: boolean;
    ws?: boolean;
    stats?: boolean;
    trustProxy?: boolean;
    /** Peers remembered per info-hash, least recently announced dropped first (default 1000). */
    peersCacheLength?: number;
    /** How long a peer that stops announcing is remembered, in ms (default 20 min). */
    peersCacheTtl?: number;
    filter?: (infoHash: string, params: unknown, cb: (err: Error | null) => void) => void;
  }

  export default class Server extends EventEmitter {
    constructor(opts?: ServerOptions);
    listen(port: number, hostname: string, onListening?: () => void): void;
    close(cb?: (err?: Error) => void): void;
    ws: { address(): { port: number } } | null;
    torrents: Record<string, { peers: { length: number } }>;
  }
}
