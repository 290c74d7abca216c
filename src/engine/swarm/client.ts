/**
 * The one module that imports webtorrent's bundle: a client that adds torrents as
 * `SwarmTorrent`s (port.ts), each tuned (tune.ts) as it is added, and removes them.
 */
// Must come first: webtorrent's bundle reads RTCPeerConnection when it is evaluated.
import './browser/install.ts';
import { warmStartOf } from './browser/warm-start.ts';
import { concatBytes, sha1Hex } from '../bytes.ts';
import WebTorrent, { type WtTorrent } from 'webtorrent/dist/webtorrent.min.js';
import { Neighbours } from './neighbours/neighbours.ts';
import type { NeighbourDial, NeighbourLink, SignalSend, SwarmTorrent } from './port.ts';
import { WebTorrentSwarm } from './torrent.ts';
import { tune, type TuneHooks } from './tune.ts';

export interface SwarmClientOptions {
  readonly announce: readonly string[];
  readonly iceServers: readonly RTCIceServer[];
  readonly maxConns: number;
}

/** How a torrent is added: its store (an abstract-chunk-store class), and what it has. */
export interface SwarmAddOptions {
  readonly store: unknown;
  /** Spread into the options the store's constructor receives. */
  readonly storeOpts: Record<string, unknown>;
  /** Pieces it has verified already (none are hashed again). */
  readonly bitfield?: Uint8Array | null;
  /**
   * Pieces webtorrent keeps in its own cache in front of the store (its default 20; 0: none,
   * for a store that answers block reads from memory itself).
   */
  readonly storeCacheSlots?: number;
}

/** How long a neighbour's metadata waits for the torrent's first wire (see supplyMetadata). */
const WIRE_WAIT_MS = 100;

export class SwarmClient {
  private readonly client: WebTorrent;
  private readonly live = new WeakMap<SwarmTorrent, WtTorrent>();
  /** The other Shoal tabs we are connected to (the neighbour overlay's transport). */
  private readonly neighbours: Neighbours;
  /** Whether the browser can make WebRTC connections at all. */
  private readonly webrtc: boolean;
  /** Tracker offers not answered: from a peer a torrent already had (tune.ts). */
  offersSkipped = 0;

  constructor(private readonly options: SwarmClientOptions) {
    const rtcConfig = { iceServers: [...options.iceServers] };
    // Without WebRTC (some builds and privacy modes) a WebSocket tracker can only fail, and
    // its warnings would blame the tracker: no tracker then (the page says what is missing).
    this.webrtc = typeof RTCPeerConnection === 'function';
    this.client = new WebTorrent({
      maxConns: options.maxConns,
      tracker: this.webrtc ? { rtcConfig } : false,
      // Web seeds are added by assist/peer-assist.ts, gated by the policy, never as stock ones.
      webSeeds: false,
    });
    this.neighbours = new Neighbours(this.client.peerId, rtcConfig);
    // The first torrent's announce finds its tracker socket open and its offers made.
    const warm = warmStartOf(window);
    warm?.offers.warm(rtcConfig);
    warm?.sockets.warm(options.announce);
  }

  onError(cb: (err: Error | string) => void): void {
    this.client.on('error', cb);
  }

  /** Adds and tunes a torrent (throws a WebTorrentShapeError if it cannot be tuned). */
  add(torrentId: string | Uint8Array, opts: SwarmAddOptions, hooks: TuneHooks): SwarmTorrent {
    const wt = this.client.add(torrentId, {
      announce: this.webrtc ? [...this.options.announce] : [],
      store: opts.store,
      storeOpts: opts.storeOpts,
      strategy: 'rarest',
      ...(opts.bitfield ? { bitfield: opts.bitfield } : {}),
      ...(opts.storeCacheSlots !== undefined ? { storeCacheSlots: opts.storeCacheSlots } : {}),
    });
    try {
      tune(wt, {
        ...hooks,
        offerSkipped: () => {
          this.offersSkipped++;
        },
      });
    } catch (err) {
      void this.client.remove(wt, null).catch(() => undefined);
      throw err;
    }
    // Every connection it makes may lead to a neighbour.
    wt.on('peer', (conn) => {
      this.neighbours.carrier(conn);
    });
    const swarm = new WebTorrentSwarm(wt);
    this.live.set(swarm, wt);
    return swarm;
  }

  /** Removes a torrent and waits until its store is closed (or deleted: `deleteData`). */
  remove(swarm: SwarmTorrent, deleteData: boolean): Promise<void> {
    const wt = this.live.get(swarm);
    if (!wt) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.client
        .remove(wt, { destroyStore: deleteData }, (err) => {
          if (err) reject(err);
          else resolve();
        })
        .catch(reject);
    });
  }

  /** Our peer id (what other tabs know us by). */
  get selfId(): string {
    return this.client.peerId;
  }

  /** Tells `cb` of each new neighbour (another Shoal tab we are connected to). */
  onNeighbour(cb: (link: NeighbourLink) => void): void {
    this.neighbours.onNeighbour(cb);
  }

  /** Our live torrent with this info-hash, if any. */
  private torrent(infoHash: string): WtTorrent | undefined {
    return this.client.torrents.find((t) => t.infoHash === infoHash && !t.destroyed);
  }

  /** Whether we hold a torrent we could serve (live, with its metadata). */
  holds(infoHash: string): boolean {
    return this.torrent(infoHash)?.ready === true;
  }

  /** Whether a torrent with this info-hash is live here (added, metadata or not). */
  running(infoHash: string): boolean {
    return this.torrent(infoHash) !== undefined;
  }

  /**
   * Runs a torrent's wire to a neighbour over a new channel of their connection (no ICE, no
   * DTLS, no tracker): on channel `id` as the neighbour asked, or on a free one of ours.
   * Returns the channel's id, or null if it cannot.
   */
  wireOver(link: NeighbourLink, infoHash: string, id?: number): number | null {
    const wt = this.torrent(infoHash);
    return wt ? this.neighbours.wireOver(link, wt, id) : null;
  }

  /** The bencoded info dictionary of a torrent we hold (null: none, or no metadata yet). */
  infoOf(infoHash: string): Uint8Array | null {
    const wt = this.torrent(infoHash);
    return wt?.ready === true ? (wt.infoBuffer ?? null) : null;
  }

  /**
   * Gives a torrent added without metadata (a magnet) the info dictionary a neighbour sent,
   * if it hashes to the info-hash: no ut_metadata round trip over the wire.
   *
   * Taken in once the torrent has a wire (the neighbour's handshake done), or after
   * WIRE_WAIT_MS: building the torrent from its metadata holds the main thread for ~10 ms, and
   * taken at once it delays the handshake on the channel just opened by as much. Once the wire
   * is up, ut_metadata's request is in flight and this wins the race by its round trip.
   */
  async supplyMetadata(
    infoHash: string,
    info: Uint8Array<ArrayBuffer>,
  ): Promise<'used' | 'unneeded' | 'wrong'> {
    const wt = this.torrent(infoHash);
    if (!wt || wt.metadata) return 'unneeded';
    if ((await sha1Hex(info)) !== infoHash) return 'wrong';
    if (wt.wires.length === 0)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, WIRE_WAIT_MS);
        wt.once('wire', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    // Meanwhile it may have been removed, or got its metadata over ut_metadata.
    const still = this.torrent(infoHash);
    if (still !== wt || still.metadata) return 'unneeded';
    // What ut_metadata hands webtorrent: a torrent file holding only the info dictionary.
    const utf8 = new TextEncoder();
    still._onMetadata(concatBytes([utf8.encode('d4:info'), info, utf8.encode('e')]));
    return 'used';
  }

  /**
   * Connects to a tab two hops away for a torrent, the signalling relayed by a neighbour
   * (`send`); `ended` once it connected or failed. Null if it cannot be made now.
   */
  dial(
    infoHash: string,
    remoteId: string,
    initiator: boolean,
    send: SignalSend,
    ended: () => void,
  ): NeighbourDial | null {
    const wt = this.torrent(infoHash);
    return wt ? this.neighbours.dial(wt, remoteId, initiator, send, ended) : null;
  }

  destroy(): Promise<void> {
    this.neighbours.close();
    return new Promise((resolve) => {
      this.client.destroy(() => {
        resolve();
      });
    });
  }
}
