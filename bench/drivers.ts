// How a measurement drives each contender: what every driver offers (the `Driver` below) and
// what it reports. Shoal's drives its built app page (shoal-driver.ts), stock WebTorrent's
// bench/pages/stock.html (stock-driver.ts). Both report timestamps taken in the page (epoch ms
// from performance.timeOrigin + performance.now()).
import type { Peer } from './browser.ts';

export type Variant = 'shoal' | 'stock' | 'tuned';

export interface SeedInfo {
  readonly startMs: number;
  readonly doneMs: number;
  readonly magnet: string;
  readonly infoHash: string;
  /** The .torrent, as numbers (what a stock app would keep to re-add or share it). */
  readonly torrentFile: number[];
  readonly pieceLength: number;
  readonly pieces: number;
}

export interface DownloadInfo {
  readonly startMs: number;
  readonly metadataMs: number | null;
  readonly firstPieceMs: number | null;
  readonly doneMs: number;
  /** Piece bytes received from peers. */
  readonly receivedBytes: number;
  /** Verified pieces at the end (stock only: what a tuned stock app would keep for a reload). */
  readonly bitfield?: number[];
}

export interface ReloadInfo {
  /** Epoch ms at which the torrent was complete and seeding again. */
  readonly seedingMs: number;
  /** Piece bytes fetched from peers after the reload. */
  readonly receivedBytes: number;
}

export interface StreamOptions {
  /** The media file's path in the torrent. */
  readonly fileName: string;
  readonly seekToS: number;
  readonly timeoutMs: number;
}

/** Epoch ms of one streamed play: added → playing, then a seek → seeked. */
export interface StreamInfo {
  readonly startMs: number;
  readonly playingMs: number;
  readonly seekStartMs: number;
  readonly seekedMs: number;
}

export interface WatchOptions {
  /** The media file's path in the torrent. */
  readonly fileName: string;
  /** Seconds of the media to play before it counts as watched. */
  readonly watchS: number;
  readonly timeoutMs: number;
}

/** One viewer of a swarm: added → playing, stalls while it played, added → complete. */
export interface WatchInfo {
  readonly startMs: number;
  readonly playingMs: number;
  readonly doneMs: number;
  /** `waiting` events after the first frame, not during a seek: the picture froze. */
  readonly stalls: number;
  /** How long those lasted in all (until the next `playing`, or the end). */
  readonly stalledMs: number;
  /** Piece bytes received, from peers and web seeds. */
  readonly receivedBytes: number;
  /** Each stall: when (after playing began), where, what was buffered ahead, how long. */
  readonly stallLog?: readonly string[];
}

export interface Driver {
  readonly variant: Variant;
  /** Page each peer of this variant opens. */
  readonly url: string;
  ready(peer: Peer): Promise<void>;
  /** Puts the fixture in the page's memory as a File (not timed). */
  loadFixture(peer: Peer, name: string, staticOrigin: string): Promise<number>;
  seed(peer: Peer, announce: string): Promise<SeedInfo>;
  /** Milliseconds raw WebCrypto SHA-1 takes over the loaded fixture, piece by piece. */
  rawSha1Ms(peer: Peer, pieceLength: number): Promise<number>;
  download(peer: Peer, seed: SeedInfo, announce: string, timeoutMs: number): Promise<DownloadInfo>;
  /**
   * With the page's service worker in control (not timed), adds the magnet and plays its
   * media file in a `<video>` through that worker; once playing, seeks ahead.
   */
  stream(peer: Peer, seed: SeedInfo, announce: string, options: StreamOptions): Promise<StreamInfo>;
  /**
   * As a viewer in a swarm: adds `magnet` (which may name web seeds) and plays its media file
   * from the start through the page's worker, telling the engine where playback is as the
   * app's player does; resolves once it played `watchS` seconds and the download is complete.
   */
  watch(
    peer: Peer,
    magnet: string,
    infoHash: string,
    announce: string,
    options: WatchOptions,
  ): Promise<WatchInfo>;
  uploadedBytes(peer: Peer, infoHash: string): Promise<number>;
  /** Piece bytes the page's torrent has received so far (from peers and web seeds). */
  receivedBytes(peer: Peer, infoHash: string): Promise<number>;
  /** Reloads the page and waits until the torrent seeds again from what it kept. */
  reloadToSeeding(
    peer: Peer,
    seed: SeedInfo,
    kept: DownloadInfo,
    announce: string,
    timeoutMs: number,
  ): Promise<ReloadInfo>;
}
