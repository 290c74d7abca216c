// The shapes of webtorrent's browser build that engine/swarm/ uses (the only code that imports it).
declare module 'webtorrent/dist/webtorrent.min.js' {
  type Callback = (err?: Error | null) => void;

  export interface WtFile {
    readonly name: string;
    readonly path: string;
    readonly length: number;
    /** Where the file starts in the torrent's bytes. */
    readonly offset: number;
    readonly downloaded: number;
    readonly progress: number;
    readonly done: boolean;
    stream(opts?: { start?: number; end?: number }): ReadableStream<Uint8Array>;
    blob(opts?: { start?: number; end?: number }): Promise<Blob>;
  }

  export interface WtWire {
    readonly remoteAddress?: string;
    readonly type?: string;
    /** Records bytes when given them, reads the rate (bytes/s) when not. */
    downloadSpeed: (delta?: number) => number;
    /** Block requests outstanding to this peer (bittorrent-protocol's). */
    readonly requests: readonly { readonly piece: number; offset: number; length: number }[];
    /** Withdraws one: its callback fails, webtorrent puts the block back in its pool. */
    cancel(index: number, offset: number, length: number): void;
    readonly destroyed?: boolean;
    /** Bytes of piece data received so far; 0: webtorrent has not seen the peer answer. */
    readonly downloaded: number;
    readonly peerChoking: boolean;
    readonly peerExtendedHandshake?: { readonly reqq?: unknown } | null;
    readonly peerPieces: { get(index: number): boolean; readonly buffer?: Uint8Array };
    /** The other end's peer id (hex), once its handshake arrived. */
    readonly peerId?: string | null;
    readonly peerInterested: boolean;
    readonly amChoking: boolean;
    readonly isSeeder?: boolean;
    uploadSpeed(): number;
    choke(): void;
    unchoke(): void;
    destroy(): void;
    /** `download`: bytes of piece data received in one block. */
    on(event: 'download' | 'upload', cb: (bytes: number) => void): this;
  }

  export interface WtTorrent {
    readonly infoHash: string;
    readonly magnetURI: string;
    readonly name: string | undefined;
    readonly length: number;
    readonly downloaded: number;
    readonly uploaded: number;
    readonly received: number;
    readonly downloadSpeed: number;
    readonly uploadSpeed: number;
    readonly progress: number;
    readonly numPeers: number;
    readonly timeRemaining: number;
    readonly ready: boolean;
    readonly done: boolean;
    readonly paused: boolean;
    readonly destroyed: boolean;
    readonly metadata: Uint8Array | null;
    readonly torrentFile: Uint8Array;
    /** The bencoded info dictionary (parse-torrent's), from the metadata on. */
    readonly infoBuffer?: Uint8Array;
    /** Takes the metadata (a parsed torrent, or a bencoded one); see metadata-once.ts. */
    _onMetadata(metadata: unknown): unknown;
    readonly files: WtFile[];
    readonly pieceLength: number;
    readonly pieces: unknown[];
    readonly bitfield?: { get(index: number): boolean; buffer: Uint8Array };
    readonly wires: WtWire[];
    /** Piece availability among the peers (from the metadata on); see rarest-piece.ts. */
    readonly _rarityMap?: object | null;
    /** BEP 19 web seeds of the torrent (`ws=` of a magnet, `url-list` of a .torrent). */
    readonly urlList?: string[];
    addWebSeed(urlOrConn: string | { connId: string }): void;
    /** Internals the port reads (3.0.21): who was asked for each piece's blocks, */
    readonly _reservations?: (WtWire | null)[][];
    /** each connection by id (a web seed's is its URL), with its wire once connected, */
    readonly _peers?: Map<string, { conn?: unknown; wire?: WtWire | null }>;
    /** the stock rechoke timer (replaced by ours), and the tracker client. */
    readonly _rechokeIntervalId?: ReturnType<typeof setInterval> | null;
    /** Makes its discovery (trackers): after the add, on listening or once its store is ready. */
    _startDiscovery(): void;
    readonly discovery?: {
      tracker?: { update?: () => void; _trackers?: readonly object[] } | null;
    } | null;
    /** Pieces a stream waits for, and the selections, as webtorrent's request rounds read them; */
    readonly _critical: readonly (boolean | undefined)[];
    readonly _selections: {
      readonly length: number;
      get(i: number): { from: number; to: number; offset: number; priority: number };
      swap(i: number, j: number): void;
    };
    /** one block of a piece asked of a peer (false: none left to ask), one peer's round. */
    _request(wire: WtWire, index: number, hotswap: boolean): boolean;
    _updateWire(wire: WtWire): unknown;
    /** webtorrent's request round over every connection (its idle callback's work). */
    _updateWireWrapper(): void;
    /** Schedules that round (an idle callback in a browser); replaced by unthrottled-round. */
    _update(): void;
    /** Read on every request round, so it may be changed on a live torrent. */
    strategy: 'sequential' | 'rarest';
    select(from: number, to: number, priority?: number): void;
    deselect(from: number, to: number): void;
    critical(from: number, to: number): void;
    /** Stream selections (3.0.21's own file streams use them): never merged, removed exactly. */
    _select(from: number, to: number, priority: number, notify: null, isStream: true): void;
    _deselect(from: number, to: number, isStream: true): void;
    on(event: 'infoHash' | 'metadata' | 'ready' | 'done' | 'noPeers', cb: () => void): this;
    on(event: 'error' | 'warning', cb: (err: Error | string) => void): this;
    on(event: 'wire', cb: (wire: WtWire) => void): this;
    /** A connection added (a tracker's simple-peer, or one handed to `addPeer`). */
    on(event: 'peer', cb: (conn: unknown) => void): this;
    /** Hands it a connection (a WebRTC peer: a byte stream with an `id`); false if refused. */
    addPeer(peer: unknown, source?: string): boolean;
    on(event: 'download' | 'upload' | 'verified', cb: (n: number) => void): this;
    once(event: string, cb: (...args: unknown[]) => void): this;
    on(event: 'close', cb: () => void): this;
    removeListener(event: string, cb: (...args: never[]) => void): this;
    /** The chunk store (wrapped in webtorrent's memory cache); null until the metadata. */
    readonly store: {
      get(
        index: number,
        opts: { offset: number; length: number },
        cb: (err: Error | null, value?: Uint8Array) => void,
      ): void;
    } | null;
    removeAllListeners(event?: string): this;
    pause(): void;
    resume(): void;
  }

  export interface WtAddOptions {
    announce?: string[];
    store?: unknown;
    /** Spread into the options the store's constructor receives. */
    storeOpts?: Record<string, unknown>;
    bitfield?: Uint8Array;
    storeCacheSlots?: number;
    destroyStoreOnDestroy?: boolean;
    strategy?: 'sequential' | 'rarest';
    maxWebConns?: number;
    name?: string;
    createdBy?: string;
    comment?: string;
    private?: boolean;
    pieceLength?: number;
  }

  export interface WtClientOptions {
    maxConns?: number;
    tracker?: { rtcConfig?: RTCConfiguration; [key: string]: unknown } | false;
    dht?: boolean;
    lsd?: boolean;
    utPex?: boolean;
    webSeeds?: boolean;
  }

  export default class WebTorrent {
    constructor(opts?: WtClientOptions);
    static readonly WEBRTC_SUPPORT: boolean;
    readonly torrents: WtTorrent[];
    readonly peerId: string;
    add(
      torrentId: string | Uint8Array,
      opts?: WtAddOptions,
      ontorrent?: (t: WtTorrent) => void,
    ): WtTorrent;
    seed(input: File[] | FileList, opts?: WtAddOptions, onseed?: (t: WtTorrent) => void): WtTorrent;
    remove(
      torrentId: string | WtTorrent,
      opts: { destroyStore?: boolean } | null,
      cb?: Callback,
    ): Promise<void>;
    get(torrentId: string): Promise<WtTorrent | null>;
    on(event: 'error' | 'warning', cb: (err: Error | string) => void): this;
    destroy(cb?: Callback): void;
  }
}
