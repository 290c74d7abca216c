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
    /** Called on every announce with its hex info-hash; an error refuses it. */
    filter?: (infoHash: string, params: unknown, cb: (err: Error | null) => void) => void;
  }

  /** What the server needs of a client's socket (a `ws` WebSocket, or a wrapper of one). */
  interface TrackerSocket extends EventEmitter {
    send(text: string, callback?: (err?: Error) => void): void;
    upgradeReq: unknown;
  }

  export default class Server extends EventEmitter {
    constructor(opts?: ServerOptions);
    listen(port: number, hostname: string, onListening?: () => void): void;
    close(cb?: (err?: Error) => void): void;
    ws: { address(): { port: number } } | null;
    /** Serves one client's WebSocket (for a server made with `ws: false` or `noServer`). */
    onWebSocketConnection(socket: TrackerSocket): void;
    torrents: Record<string, { peers: { length: number } }>;
  }
}
