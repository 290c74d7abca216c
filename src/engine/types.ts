import type { TorrentState } from './policy/torrent-status.ts';
import type { TorrentSource } from './torrent-input.ts';
import type { FileFraction } from './policy/playhead-window.ts';

export type { TorrentState, TorrentSource, FileFraction };

export interface FileSnapshot {
  /** Path inside the torrent, '/'-separated, starting with the torrent's name. */
  readonly path: string;
  readonly name: string;
  readonly lengthBytes: number;
  readonly downloadedBytes: number;
  /** 0..1 */
  readonly progress: number;
  /** Which parts of the file are verified, as fractions of it (for a seek bar); live only. */
  readonly verified?: readonly FileFraction[];
}

/** What the UI sees of one torrent: plain data, never the engine's objects. */
export interface TorrentSnapshot {
  readonly infoHash: string;
  readonly name: string;
  readonly magnetURI: string;
  /** null until the metadata has arrived. */
  readonly lengthBytes: number | null;
  readonly downloadedBytes: number;
  readonly uploadedBytes: number;
  /** 0..1 */
  readonly progress: number;
  readonly downloadRateBytesPerS: number;
  readonly uploadRateBytesPerS: number;
  readonly peers: number;
  readonly etaS: number | null;
  readonly state: TorrentState;
  readonly errorMessage: string | null;
  /** Latest non-fatal problem, e.g. a tracker that cannot be reached. */
  readonly warning: string | null;
  readonly files: readonly FileSnapshot[];
  readonly addedAtMs: number;
  /** Piece data received from peers since this page loaded (0 for a torrent restored complete). */
  readonly receivedBytes: number;
  /** Where the bytes it has came from (Spotify's breakdown: peers, CDN, cache). */
  readonly sources?: ByteSources;
  /** Its connections now, most useful first (at most MAX_PEER_LIST). */
  readonly peerList?: readonly PeerSnapshot[];
  /** Data that failed its hash check, and the peers cut off for lying or flooding. */
  readonly trust?: TrustSnapshot;
  /** Which pieces it has (verified and on disk), once its metadata is known. */
  readonly pieceMap?: PieceMapSnapshot;
  /**
   * Seeded from the user's own files where they are (File System Access handles), not from
   * a copy in this browser; `needsAccess`: the browser wants the user to allow reading them.
   */
  readonly inPlace?: { readonly needsAccess: boolean };
  /** Paused because it would not fit (on disk, or in memory without OPFS): `warning` says why. */
  readonly pausedForSpace?: boolean;
}

/** A torrent's pieces: `have`, one bit a piece, most significant bit first. */
export interface PieceMapSnapshot {
  readonly pieceCount: number;
  readonly have: Uint8Array;
}

/** Where a torrent's bytes came from. */
export interface ByteSources {
  /** Piece data from other browsers since this page loaded. */
  readonly peersBytes: number;
  /** From its web seeds (the CDN), since this page loaded. */
  readonly webSeedBytes: number;
  /** Already on this device when the page loaded (kept, or shared from the user's files). */
  readonly keptBytes: number;
}

/** What strangers sent that was refused. */
export interface TrustSnapshot {
  /** Attempts at a piece that failed the hash check (their data was thrown away). */
  readonly hashFailures: number;
  /** Peers cut off and not accepted again, with why ("sent data that failed the hash check"). */
  readonly cutOff: readonly { readonly client: string; readonly reason: string }[];
  /** Times a peer sat on our requests sending nothing: they were asked of other peers. */
  readonly snubbed: number;
  /** Peers disconnected (not banned) for claiming pieces and never sending one. */
  readonly droppedSilent: number;
}

/** One connection of a torrent, as the UI shows it. */
export interface PeerSnapshot {
  readonly id: string;
  /**
   * `web seed`: an HTTP server; `neighbour`: another Shoal tab we keep a connection with
   * (the overlay); `peer`: a browser found through the tracker.
   */
  readonly kind: 'web seed' | 'neighbour' | 'peer';
  /** Its client, from its peer id ("WebTorrent"), or "" when unknown. */
  readonly client: string;
  readonly downRateBytesPerS: number;
  readonly upRateBytesPerS: number;
  /** 0..1 of the torrent it has; null until the metadata. */
  readonly has: number | null;
}

/** One of the user's files a torrent is seeded from in place, and what it held when shared. */
export interface LinkedFile {
  readonly handle: FileSystemFileHandle;
  readonly lengthBytes: number;
  readonly lastModifiedMs: number;
}

/** What must be kept for a torrent to come back after a reload, as it was. */
export interface PersistedTorrent {
  readonly infoHash: string;
  readonly name: string | null;
  readonly magnetURI: string;
  /** The .torrent (info dictionary included) once known; null while only the magnet is. */
  readonly torrentFile: Uint8Array | null;
  /** Verified pieces, one bit each, most significant bit first. */
  readonly bitfield: Uint8Array | null;
  readonly paused: boolean;
  readonly addedAtMs: number;
  /**
   * Shared from the user's files, whose copy into this device's storage had not finished:
   * only `bitfield`'s pieces were copied (of `pieceCount`); the page says so after a reload.
   */
  readonly unfinishedCopy?: { readonly pieceCount: number };
  /** Seeded from the user's files where they are, in the torrent's file order: no copy. */
  readonly linkedFiles?: readonly LinkedFile[];
  /** Size and progress as last seen, shown while the torrent is paused or starting. */
  readonly summary: TorrentSummary | null;
}

export interface TorrentSummary {
  readonly lengthBytes: number;
  readonly downloadedBytes: number;
  readonly files: readonly FileSnapshot[];
}

export interface Notice {
  readonly level: 'info' | 'warning' | 'error';
  readonly message: string;
  readonly infoHash?: string;
}

export interface EngineEvents {
  /** Something about this torrent changed (chatty: throttle before rendering). */
  change: (infoHash: string) => void;
  notice: (notice: Notice) => void;
  /** Something worth keeping changed (added, metadata, pieces verified, paused, resumed). */
  persist: (infoHash: string) => void;
  /** The torrent left the list: forget it. */
  removed: (infoHash: string) => void;
}

export interface FileReadable {
  readonly name: string;
  readonly lengthBytes: number;
  readonly mimeType: string;
  /**
   * The file's bytes, or those of an inclusive range, each piece as soon as it is verified.
   * Each chunk is the reader's own, a view of a whole buffer: it may be transferred.
   */
  readonly stream: (range?: { start: number; end: number }) => ReadableStream<Uint8Array>;
}

/** What the player reports of the file it plays (a few times a second, and on its events). */
export interface PlaybackReport {
  readonly infoHash: string;
  readonly path: string;
  readonly positionS: number;
  readonly durationS: number;
  /** Seconds the element has buffered from its current time on. */
  readonly bufferedAheadS: number;
  /** It plays, or waits for data to play; false when paused. */
  readonly playing: boolean;
  /** The media event that made the report (`seeking` and `play` start a new read). */
  readonly event: string;
}

/** Our typed face of the BitTorrent engine. Only the adapter knows it is webtorrent. */
export interface Engine {
  add(source: TorrentSource): Promise<TorrentSnapshot>;
  /**
   * `handles` (File System Access, one per file in the same order): seed from the files
   * where they are and keep the handles, instead of copying them into this browser. `name`:
   * what the user named a share of several files (else the folder's name, or "N files").
   */
  seed(
    files: readonly File[],
    handles?: readonly FileSystemFileHandle[],
    name?: string,
  ): Promise<TorrentSnapshot>;
  pause(infoHash: string): Promise<void>;
  /** A torrent seeded in place whose files need access asks the user: call it from a click. */
  resume(infoHash: string): Promise<void>;
  remove(infoHash: string, opts: { deleteData: boolean }): Promise<void>;
  has(infoHash: string): boolean;
  /**
   * Whether torrents are kept across a reload (absent: they are). Not when the browser gives
   * no storage: then `persisted` says nothing and `restore` refuses.
   */
  readonly keepsTorrents?: boolean;
  /** Brings back a torrent kept by an earlier page, trusting only pieces still on disk. */
  restore(saved: PersistedTorrent): Promise<void>;
  persisted(infoHash: string): PersistedTorrent | null;
  snapshots(): TorrentSnapshot[];
  readFile(infoHash: string, path: string): FileReadable;
  /**
   * For playback: like readFile, but waits for the metadata of a torrent still fetching it
   * (or being restored), and each read of the file steers the torrent's piece priorities
   * (policy/playhead-window.ts) for as long as it is open.
   */
  openFile(infoHash: string, path: string): Promise<FileReadable>;
  /** Where playback is: the peer-assist policy (web seed, emergency, prefetch) follows it. */
  playback?(report: PlaybackReport): void;
  on<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): () => void;
  destroy(): Promise<void>;
}

export class EngineError extends Error {
  override readonly name = 'EngineError';
}
