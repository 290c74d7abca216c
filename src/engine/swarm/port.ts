/**
 * The swarm as the rest of the engine sees it: one torrent in Shoal's terms. Only
 * `engine/swarm/` knows webtorrent; everything else (peer assist, stream steering, the
 * snapshot the UI sees, the kept state) is written against these interfaces and tested
 * against small fakes of them.
 */
import type { OverlayMessage } from '../overlay/protocol.ts';
import type { PieceRange } from '../policy/playhead-window.ts';
import type { RequestDecision } from '../policy/request-queue.ts';

/** One file of a torrent, where it lies in the torrent's bytes, and how much is verified. */
export interface SwarmFile {
  readonly path: string;
  readonly name: string;
  /** Where the file starts in the torrent's bytes. */
  readonly offset: number;
  readonly length: number;
  readonly downloaded: number;
  readonly done: boolean;
}

/** A block request of ours a peer has not answered yet (a peer answers them in order). */
export interface QueuedBlock {
  readonly piece: number;
  readonly offset: number;
  readonly length: number;
}

/** One connection of a torrent: a peer, or a web seed. */
export interface SwarmPeer {
  /** Stable for the connection's life, unique in the page. */
  readonly id: string;
  readonly isWebSeed: boolean;
  readonly closed: boolean;
  /** The other end's peer id (hex), once its handshake arrived; a web seed has none. */
  readonly remoteId: string | null;
  /**
   * Its connection is a Shoal neighbour's (it carries the overlay's control channel or other
   * torrents' wires, and outlives this wire): snubbed if silent, never dropped.
   */
  readonly neighbour: boolean;
  /** How many of `pieceCount` pieces it said it has. */
  hasCount(pieceCount: number): number;
  /** Whether the peer said it has `piece`. */
  has(piece: number): boolean;
  /** Whether it has every one of `pieceCount` pieces: a seeder, which never needs us. */
  hasAll(pieceCount: number): boolean;
  /** Piece data it delivers per second, as measured. */
  downRateBytesPerS(): number;
  upRateBytesPerS(): number;
  /** It wants pieces of ours. */
  readonly interested: boolean;
  /** We choke it (it may not ask us for anything). */
  readonly choked: boolean;
  setChoked(choked: boolean): void;
  disconnect(): void;
  /** Our requests to it, oldest first. */
  readonly queued: readonly QueuedBlock[];
  /** It chokes us: it may not be asked for anything now. */
  readonly chokesUs: boolean;
  /** Takes back our queued requests for the pieces `withdraw` names; others may take them. */
  withdraw(withdraw: (piece: number) => boolean): void;
  /** We ask it for nothing (policy/snub.ts: it sat on our requests and sent nothing). */
  readonly snubbed: boolean;
  /**
   * Snubs it (true): withdraws every request of ours outstanding on it, so other peers fetch
   * those blocks, and asks it for nothing more until released (false).
   */
  setSnubbed(snubbed: boolean): void;
  /**
   * Disconnects it for never delivering a block while snubbed; counted, not banned. Closes
   * this torrent's wire only: a neighbour's connection stays (never asked of a neighbour).
   */
  dropSilent(): void;
  /** Piece data bytes as they go down from it or up to it. */
  onBytes(direction: 'down' | 'up', cb: (bytes: number) => void): void;
}

/**
 * What the torrent should fetch first, written whole by `applyPriorities` (its only writer):
 * the port applies what changed since the plan before.
 */
export interface PriorityPlan {
  /** Fetched before anything else but critical pieces: playhead windows, prefetch. */
  readonly windows: readonly PieceRange[];
  /** The rest of the torrent is fetched too (off while a stream's buffer is short). */
  readonly fillRest: boolean;
  /** Requested now, ahead of everything: pieces a player waits for. */
  readonly critical: readonly PieceRange[];
  /** How pieces of equal priority are picked. */
  readonly strategy: 'sequential' | 'rarest';
}

/** Everything fetched, rarest first: what a torrent does when nobody streams it. */
export const IDLE_PRIORITIES: PriorityPlan = {
  windows: [],
  fillRest: true,
  critical: [],
  strategy: 'rarest',
};

/** A web seed serving only the pieces it is allowed (swarm/webseed-conn.ts). */
export interface WebSeedGate {
  allow(ranges: readonly PieceRange[]): void;
  readonly stats: { readonly requests: number; readonly bytes: number };
}

export interface SwarmEvents {
  /** The torrent's metadata arrived: name, files and pieces are known. */
  metadata: () => void;
  /** Its store is open and checked: it downloads and serves. */
  ready: () => void;
  done: () => void;
  close: () => void;
  verified: (piece: number) => void;
  peer: (peer: SwarmPeer) => void;
  error: (err: Error | string) => void;
  warning: (err: Error | string) => void;
  /** A tracker answered one of its announces (it is back, if it was gone). */
  trackerAnnounce: () => void;
}

/** Bytes of a file to stream, and whether what the reader waits for is urgent. */
export interface StreamRequest {
  readonly range: { readonly start: number; readonly end: number } | undefined;
  readonly urgent: () => boolean;
}

export interface SwarmTorrent {
  readonly infoHash: string;
  readonly name: string | undefined;
  readonly magnetURI: string;
  /** The .torrent of it (once the metadata is known). */
  readonly torrentFile: Uint8Array;
  readonly ready: boolean;
  readonly done: boolean;
  readonly destroyed: boolean;
  readonly paused: boolean;
  readonly length: number;
  readonly pieceLength: number;
  readonly pieces: { readonly length: number };
  /** Verified pieces (null before the metadata). */
  readonly bitfield: { get(index: number): boolean; readonly buffer: Uint8Array } | null;
  readonly downloaded: number;
  readonly uploaded: number;
  readonly downloadSpeed: number;
  readonly uploadSpeed: number;
  readonly numPeers: number;
  readonly files: readonly SwarmFile[];
  /** BEP 19 web seeds it names (`ws=` of a magnet, `url-list` of a .torrent). */
  readonly webSeedUrls: readonly string[];

  /** Open connections, peers and web seeds. */
  peers(): readonly SwarmPeer[];
  /** Attempts at a piece whose data failed its hash check. */
  readonly hashFailures: number;
  /** Peers it cut off (lying or flooding), never accepted again. */
  cutOff(): readonly { readonly remoteId: string; readonly reason: string }[];
  /** What the snub rule did: times a peer was snubbed, and peers dropped for sending nothing. */
  readonly snubs: { readonly snubbed: number; readonly dropped: number };
  /** The connections a piece's blocks are being asked of now. */
  askedOf(piece: number): readonly SwarmPeer[];
  /** Adds a web seed that serves only what it is allowed (null: it could not be added). */
  addGatedWebSeed(url: string, nowMs: () => number): WebSeedGate | null;
  /** Asks the trackers for more peers now. */
  reannounce(): void;
  /** The single writer of what is fetched first. */
  applyPriorities(plan: PriorityPlan): void;
  /**
   * The greedy scheduler's round (policy/request-queue.ts): blocks moved from a slow peer to
   * a faster one (cancel, request), and the pieces each peer is kept off until the next round.
   */
  steerRequests(decision: RequestDecision): void;
  /** The file's bytes in `range` as they are verified (the piece stream). */
  stream(file: SwarmFile, request: StreamRequest): ReadableStream<Uint8Array>;
  /** The file's bytes as the swarm's own file stream gives them (no steering). */
  fileStream(path: string, range?: { start: number; end: number }): ReadableStream<Uint8Array>;

  on<E extends keyof SwarmEvents>(event: E, cb: SwarmEvents[E]): void;
  once(event: 'ready' | 'close', cb: () => void): void;
}

/**
 * A neighbour (Spotify's overlay): another Shoal tab we are connected to, and the control
 * channel on that connection. Stock WebTorrent peers are never neighbours.
 */
export interface NeighbourLink {
  /** The other tab's peer id. */
  readonly remoteId: string;
  /** Its control channel is open (it may be sent to). */
  readonly open: boolean;
  send(message: OverlayMessage): void;
  /** Every message it sends, decoded; a malformed one closes its control channel instead. */
  onMessage(cb: (message: OverlayMessage) => void): void;
  /** It is no longer a neighbour (gone, pruned, or its control channel closed). */
  onClose(cb: () => void): void;
  /** Closes the connection and everything on it. */
  close(): void;
  /** Bytes sent and received over the whole connection so far (every channel on it). */
  traffic(): Promise<{ readonly sentBytes: number; readonly receivedBytes: number }>;
}

/** Sends one of our signals (an offer or answer, as JSON) through the relaying neighbour. */
export type SignalSend = (kind: 'offer' | 'answer', data: string) => void;

/** A connection being made to a tab two hops away, its signalling relayed by a neighbour. */
export interface NeighbourDial {
  /** The other end's offer or answer, relayed to us. */
  signal(kind: 'offer' | 'answer', data: string): void;
  close(): void;
}
