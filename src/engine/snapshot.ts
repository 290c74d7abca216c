/**
 * What the UI sees of a torrent, computed from what the engine keeps of it. The live
 * torrent is seen through the few fields of the port (swarm/port.ts) read here.
 */
import { verifiedFractions } from './policy/playhead-window.ts';
import { etaS, torrentState } from './policy/torrent-status.ts';
import { bitfieldBytes, withoutPieces } from './policy/bitfield.ts';
import { statusOf, type Life } from './policy/lifecycle.ts';
import type {
  LinkedFile,
  PeerSnapshot,
  PieceMapSnapshot,
  TorrentSnapshot,
  TorrentSummary,
  TrustSnapshot,
} from './types.ts';

/** The most connections a snapshot lists. */
export const MAX_PEER_LIST = 50;

/** A connection of a live torrent, as far as the snapshot reads it (swarm/port.ts SwarmPeer). */
export interface LivePeer {
  readonly id: string;
  readonly isWebSeed: boolean;
  readonly closed: boolean;
  readonly remoteId: string | null;
  hasCount(pieceCount: number): number;
  downRateBytesPerS(): number;
  upRateBytesPerS(): number;
}

/** BitTorrent clients by the two letters of an Azureus-style peer id ("-WW0300-"). */
const CLIENTS: Record<string, string> = {
  WW: 'WebTorrent',
  WD: 'WebTorrent Desktop',
  qB: 'qBittorrent',
  TR: 'Transmission',
  UT: 'µTorrent',
  lt: 'libtorrent',
  LT: 'libtorrent',
  DE: 'Deluge',
  BI: 'BiglyBT',
  AZ: 'Vuze',
};

/** The client named by a peer id (hex), or "" if it does not say. */
export function clientOf(peerIdHex: string | null): string {
  if (!peerIdHex || peerIdHex.length < 16) return '';
  let prefix = '';
  for (let i = 0; i < 16; i += 2)
    prefix += String.fromCharCode(parseInt(peerIdHex.slice(i, i + 2), 16));
  const match = /^-([A-Za-z]{2})[0-9A-Za-z]{4}-$/.exec(prefix);
  return match ? (CLIENTS[match[1] ?? ''] ?? match[1] ?? '') : '';
}

export interface LiveFile {
  readonly path: string;
  /** Where the file starts in the torrent's bytes. */
  readonly offset: number;
  readonly name: string;
  readonly length: number;
  readonly downloaded: number;
  readonly done: boolean;
}

export interface LiveTorrent {
  readonly name: string | undefined;
  readonly magnetURI: string;
  readonly ready: boolean;
  readonly done: boolean;
  readonly length: number;
  readonly downloaded: number;
  readonly uploaded: number;
  readonly downloadSpeed: number;
  readonly uploadSpeed: number;
  readonly numPeers: number;
  readonly files: readonly LiveFile[];
  /** Its connections (peers and web seeds). */
  peers?(): readonly LivePeer[];
  /** What it refused from its peers (see SwarmTorrent). */
  readonly hashFailures?: number;
  cutOff?(): readonly { readonly remoteId: string; readonly reason: string }[];
  readonly snubs?: { readonly snubbed: number; readonly dropped: number };
  readonly pieceLength: number;
  readonly pieces: { readonly length: number };
  /** webtorrent's verified pieces; `buffer`: one bit each, most significant bit first. */
  readonly bitfield?: { get(index: number): boolean; readonly buffer: Uint8Array } | null;
}

/** What the engine keeps of a torrent, live or not. */
export interface RecordState {
  readonly infoHash: string;
  /** What to add again on resume: the magnet, or the .torrent once metadata is known. */
  torrentId: string | Uint8Array;
  name: string | null;
  wt: LiveTorrent | null;
  /** Where it is in its lifecycle: changed only by torrent-life.ts. */
  life: Life;
  warning: string | null;
  /** Verified pieces when paused, so that resuming re-hashes nothing. */
  bitfield: Uint8Array | null;
  /** Size and progress while there is no live torrent (paused, or restoring). */
  summary: TorrentSummary | null;
  /** Piece data received from peers since this page loaded. */
  receivedBytes: number;
  /** Piece data received from its web seeds since this page loaded. */
  webSeedBytes: number;
  readonly addedAtMs: number;
  /** Seeded from the user's files where they are: their handles (in-place.ts). */
  linked?: readonly LinkedFile[] | null;
}

/** The live torrent's magnet, else the one it was added with ('' for a bare .torrent). */
export function magnetOf(record: RecordState): string {
  return record.wt?.magnetURI ?? (typeof record.torrentId === 'string' ? record.torrentId : '');
}

/** Bytes of [from, to) of the torrent that lie in `pieces`. */
function bytesIn(
  pieces: ReadonlySet<number>,
  pieceLength: number,
  from: number,
  to: number,
): number {
  let bytes = 0;
  for (const i of pieces)
    bytes += Math.max(0, Math.min(to, (i + 1) * pieceLength) - Math.max(from, i * pieceLength));
  return bytes;
}

/**
 * What the UI shows of a torrent. `unwritten`: pieces verified but not on disk yet; they do
 * not count as downloaded, and a torrent is not complete (not "Seeding") until they are
 * written, so that nothing shown as had is lost by a reload.
 */
export function snapshotOf(
  record: RecordState,
  unwritten: ReadonlySet<number> = new Set(),
  /** Peer ids of our neighbours (the overlay's Shoal tabs). */
  neighbours: ReadonlySet<string> = new Set(),
): TorrentSnapshot {
  const wt = record.wt;
  const hasMetadata = wt !== null && wt.ready;
  const { paused, errorMessage } = statusOf(record.life);
  const kept = hasMetadata ? null : record.summary;
  const lengthBytes = hasMetadata ? wt.length : (kept?.lengthBytes ?? null);
  const pending = hasMetadata ? unwritten : new Set<number>();
  const pieceLength = wt?.pieceLength ?? 0;
  const downloadedBytes = hasMetadata
    ? Math.max(0, Math.min(wt.downloaded, wt.length) - bytesIn(pending, pieceLength, 0, wt.length))
    : (kept?.downloadedBytes ?? 0);
  const done = hasMetadata && wt.done && pending.size === 0;
  // A finished torrent downloads nothing: do not show the decaying average.
  const downloadRate = wt && !paused && !done ? wt.downloadSpeed : 0;
  return {
    infoHash: record.infoHash,
    name: (wt?.name ?? record.name) || record.infoHash,
    magnetURI: magnetOf(record),
    lengthBytes,
    downloadedBytes,
    uploadedBytes: wt?.uploaded ?? 0,
    progress: lengthBytes === null ? 0 : lengthBytes === 0 ? 1 : downloadedBytes / lengthBytes,
    downloadRateBytesPerS: downloadRate,
    uploadRateBytesPerS: wt && !paused ? wt.uploadSpeed : 0,
    peers: wt?.numPeers ?? 0,
    etaS: lengthBytes === null || done ? null : etaS(lengthBytes - downloadedBytes, downloadRate),
    state: torrentState({
      paused,
      errorMessage,
      hasMetadata: hasMetadata || record.bitfield !== null,
      done,
    }),
    errorMessage,
    warning: record.warning,
    files: hasMetadata
      ? wt.files.map((file) => {
          const end = file.offset + file.length;
          const waiting = pending.size > 0 ? bytesIn(pending, pieceLength, file.offset, end) : 0;
          const fileDone = file.done && waiting === 0;
          const fileBytes = fileDone
            ? file.length
            : Math.max(0, Math.min(file.downloaded, file.length) - waiting);
          return {
            verified: fileDone
              ? [{ start: 0, end: 1 }]
              : verifiedFractions(
                  (i) => (wt.bitfield?.get(i) ?? false) && !pending.has(i),
                  { pieceLengthBytes: wt.pieceLength, pieceCount: wt.pieces.length },
                  { offsetBytes: file.offset, lengthBytes: file.length },
                ),
            path: file.path,
            name: file.name,
            lengthBytes: file.length,
            downloadedBytes: fileBytes,
            progress: fileDone || file.length === 0 ? 1 : fileBytes / file.length,
          };
        })
      : (kept?.files ?? []),
    addedAtMs: record.addedAtMs,
    receivedBytes: record.receivedBytes,
    sources: {
      peersBytes: record.receivedBytes,
      webSeedBytes: record.webSeedBytes,
      keptBytes: Math.max(0, downloadedBytes - record.receivedBytes - record.webSeedBytes),
    },
    peerList: peerListOf(wt, hasMetadata, neighbours),
    trust: trustOf(wt),
    ...(hasMetadata ? { pieceMap: pieceMapOf(wt, pending) } : {}),
    ...(record.life.phase === 'paused' && record.life.reason === 'space'
      ? { pausedForSpace: true }
      : {}),
    ...(record.linked
      ? {
          inPlace: {
            needsAccess: record.life.phase === 'paused' && record.life.reason === 'access',
          },
        }
      : {}),
  };
}

export function summaryOf(record: RecordState): TorrentSummary | null {
  const wt = record.wt;
  if (!wt?.ready) return record.summary;
  const { lengthBytes, downloadedBytes, files } = snapshotOf(record);
  // What is verified is only known of a live torrent: not kept.
  const kept = files.map((file) => {
    const copy = { ...file };
    delete copy.verified;
    return copy;
  });
  return lengthBytes === null ? record.summary : { lengthBytes, downloadedBytes, files: kept };
}

/**
 * The summary of what is on this device when that is not what the live torrent has: a
 * shared torrent whose copy into OPFS has not finished is whole in the user's files but
 * only `has(i)` pieces of it would come back after a reload.
 */
export function summaryOfPieces(
  record: RecordState,
  has: (index: number) => boolean,
): TorrentSummary | null {
  const wt = record.wt;
  // Straight from the torrent's layout: what the live torrent holds (its files' downloaded
  // bytes, their verified ranges) is not what is asked, and cost a walk of every piece per
  // file each time a stream's writes landed.
  if (!wt?.ready) return record.summary;
  const pieceLength = wt.pieceLength;
  /** Bytes of [from, to) that lie in pieces we have. */
  const kept = (from: number, to: number): number => {
    let bytes = 0;
    for (let i = Math.floor(from / pieceLength); i * pieceLength < to; i++) {
      if (!has(i)) continue;
      bytes += Math.min(to, (i + 1) * pieceLength) - Math.max(from, i * pieceLength);
    }
    return bytes;
  };
  const files = wt.files.map((file) => {
    const downloadedBytes = kept(file.offset, file.offset + file.length);
    return {
      path: file.path,
      name: file.name,
      lengthBytes: file.length,
      downloadedBytes,
      progress: file.length === 0 ? 1 : downloadedBytes / file.length,
    };
  });
  // The files cover the torrent's bytes, one after another.
  return {
    lengthBytes: wt.length,
    downloadedBytes: files.reduce((sum, f) => sum + f.downloadedBytes, 0),
    files,
  };
}

/** The pieces a live torrent has verified and written, one bit each. */
function pieceMapOf(wt: LiveTorrent, pending: ReadonlySet<number>): PieceMapSnapshot {
  const pieceCount = wt.pieces.length;
  const bytes = bitfieldBytes(pieceCount);
  // withoutPieces copies: the snapshot does not share webtorrent's buffer.
  const verified = wt.bitfield?.buffer.subarray(0, bytes) ?? new Uint8Array(bytes);
  return { pieceCount, have: withoutPieces(verified, pending) };
}

/** What a live torrent refused from its peers (nothing when it is not running). */
function trustOf(wt: LiveTorrent | null): TrustSnapshot {
  if (!wt?.cutOff) return { hashFailures: 0, cutOff: [], snubbed: 0, droppedSilent: 0 };
  return {
    hashFailures: wt.hashFailures ?? 0,
    cutOff: wt.cutOff().map((p) => ({ client: clientOf(p.remoteId), reason: p.reason })),
    snubbed: wt.snubs?.snubbed ?? 0,
    droppedSilent: wt.snubs?.dropped ?? 0,
  };
}

/** A live torrent's connections for the UI: the busiest first, at most MAX_PEER_LIST. */
function peerListOf(
  wt: LiveTorrent | null,
  hasMetadata: boolean,
  neighbours: ReadonlySet<string>,
): PeerSnapshot[] {
  if (!wt?.peers) return [];
  const pieceCount = wt.pieces.length;
  return wt
    .peers()
    .filter((p) => !p.closed)
    .map((p): PeerSnapshot => ({
      id: p.id,
      kind: p.isWebSeed
        ? 'web seed'
        : p.remoteId !== null && neighbours.has(p.remoteId)
          ? 'neighbour'
          : 'peer',
      client: clientOf(p.remoteId),
      downRateBytesPerS: p.downRateBytesPerS(),
      upRateBytesPerS: p.upRateBytesPerS(),
      has: hasMetadata && pieceCount > 0 ? p.hasCount(pieceCount) / pieceCount : null,
    }))
    .sort(
      (a, b) =>
        b.downRateBytesPerS + b.upRateBytesPerS - (a.downRateBytesPerS + a.upRateBytesPerS) ||
        (a.id < b.id ? -1 : 1),
    )
    .slice(0, MAX_PEER_LIST);
}
