/**
 * What the engine keeps of each torrent while the page lives (TorrentRecord), and how it
 * follows one live torrent of the swarm: its events update the record's data (name, bytes,
 * warning) and become the engine's change, persist and notice events; a failure goes to the
 * lifecycle (torrent-life.ts); its controller is made.
 */
import type { PeerAssistSettings } from '../config/peer-assist.ts';
import type { SwarmClient } from './swarm/client.ts';
import { FileBackedStore, type SeedCopy } from './storage/file-backed-store.ts';
import type { PieceBackend } from './storage/pack-client.ts';
import type { KeptRecord } from './storage/kept.ts';
import { OpfsChunkStore } from './storage/opfs-chunk-store.ts';
import { storeRegistry } from './storage/store-registry.ts';
import { TorrentControl } from './streaming/control.ts';
import type { SwarmTorrent } from './swarm/port.ts';
import type { Notice } from './types.ts';

/** What the engine keeps of a torrent while the page lives. */
export interface TorrentRecord extends KeptRecord {
  wt: SwarmTorrent | null;
  /** The live torrent's one controller: playback, steering, peer assist, one plan. */
  control: TorrentControl | null;
  /** Shared from the user's files this session: served from them while they are copied. */
  seedCopy: SeedCopy | null;
}

/** A tracker's address in a warning: the warning is about that tracker. */
const TRACKER_URL = /wss?:\/\/\S+/;

export const errorText = (err: Error | string): string =>
  typeof err === 'string' ? err : err.message;

/** What watching a torrent needs of the engine. */
export interface WatchHooks<R> {
  readonly peerAssist: PeerAssistSettings;
  readonly nowMs: () => number;
  changed(infoHash: string): void;
  persist(infoHash: string): void;
  notice(notice: Notice): void;
  /** It runs short of peers: ask the neighbours too. */
  findPeers(infoHash: string): void;
  /** The live torrent failed (or a write of it, maybe for want of space): stop it. */
  failed(record: R, err: Error | string): void;
}

/**
 * Starts a record's live torrent: added to the swarm on the store its pieces live in (the
 * user's files while they are being copied, else OPFS, or the page's memory when `backend` is
 * a MemoryBackend), and followed.
 */
export function startLive<R extends TorrentRecord>(
  client: SwarmClient,
  record: R,
  backend: PieceBackend | null,
  hooks: WatchHooks<R>,
): void {
  // A magnet's store is made only once its metadata arrives: open its folder meanwhile
  // (on disk only: pieces kept in memory have no folder, and no worker is started for them).
  if (typeof record.torrentId === 'string' && !record.seedCopy && !backend?.inMemory) {
    storeRegistry.prepare(record.infoHash);
  }
  const writer = backend ? { backend } : {};
  let failed: ((err: Error) => void) | null = null;
  const wt = client.add(
    record.torrentId,
    {
      ...(record.seedCopy
        ? {
            store: FileBackedStore,
            storeOpts: { seedCopy: record.seedCopy, ...writer },
            // Blocks come from the files' read-ahead (views of the bytes read) or from OPFS
            // (one read per piece, kept for its other blocks): webtorrent's cache in front
            // would copy every piece and block again.
            storeCacheSlots: 0,
          }
        : { store: OpfsChunkStore, storeOpts: { ...writer } }),
      bitfield: record.bitfield,
    },
    {
      // Nothing to verify in a folder found empty: the swarm would ask it for every piece.
      emptyStore: () => !record.bitfield && storeRegistry.knownEmpty(record.infoHash),
      failed: (err) => failed?.(err),
    },
  );
  record.wt = wt;
  failed = watchTorrent(record, wt, hooks);
}

/**
 * Follows a live torrent's events into its record and the engine's events. Returns what
 * stops the torrent on a failure found outside its events (its tuning, swarm/tune.ts).
 */
export function watchTorrent<R extends TorrentRecord>(
  record: R,
  wt: SwarmTorrent,
  hooks: WatchHooks<R>,
): (err: Error | string) => void {
  const control = new TorrentControl(wt, hooks.peerAssist, hooks.nowMs, () => {
    hooks.findPeers(record.infoHash);
  });
  record.control = control;
  if (wt.ready) control.assist.onReady();
  else
    wt.once('ready', () => {
      control.assist.onReady();
    });
  const changed = (): void => {
    hooks.changed(record.infoHash);
  };
  const persist = (): void => {
    if (record.wt === wt) hooks.persist(record.infoHash);
  };
  wt.on('metadata', () => {
    record.name = wt.name ?? record.name;
    record.torrentId = wt.torrentFile;
    changed();
    persist();
  });
  wt.on('verified', persist);
  // Pieces written behind count as kept once on disk; a write that failed pauses or stops.
  const unwatch = storeRegistry.watchWrites(record.infoHash, (err) => {
    if (record.wt !== wt) return;
    if (err !== null) {
      failed(err);
      return;
    }
    // What the UI counts as had (and complete) follows the disk.
    changed();
    persist();
  });
  wt.on('close', unwatch);
  wt.on('peer', (peer) => {
    // Piece data only: the torrent's own counter also counts protocol messages.
    peer.onBytes('down', (bytes) => {
      if (record.wt !== wt) return;
      if (peer.isWebSeed) record.webSeedBytes += bytes;
      else record.receivedBytes += bytes;
    });
    changed();
  });
  wt.on('ready', () => {
    // A tuning that failed at 'ready' (swarm/tune.ts) has stopped the torrent already.
    if (record.wt !== wt) return;
    changed();
    persist();
  });
  wt.on('done', changed);
  const failed = (err: Error | string): void => {
    if (record.wt === wt) hooks.failed(record, err);
  };
  wt.on('error', failed);
  wt.on('warning', (err) => {
    const message = errorText(err);
    if (record.warning === message) return;
    record.warning = message;
    // A tracker that cannot be reached is news; other warnings (a bad piece from a peer)
    // show on the torrent only.
    const tracker = TRACKER_URL.exec(message)?.[0];
    if (tracker) {
      hooks.notice({
        level: 'warning',
        message: `Tracker ${tracker} cannot be reached; other trackers and peers keep working.`,
        infoHash: record.infoHash,
      });
    }
    changed();
  });
  // A tracker answered again: its warning is over.
  wt.on('trackerAnnounce', () => {
    if (record.wt !== wt || record.warning === null || !TRACKER_URL.test(record.warning)) return;
    record.warning = null;
    changed();
  });
  return failed;
}
