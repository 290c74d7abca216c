/**
 * What the engine keeps of each torrent while the page lives (TorrentRecord), and how it
 * follows one live webtorrent torrent: its events become the record's state, the engine's
 * change, persist and notice events, and our tuning of the torrent (peer assist, rarest-first
 * walk, pipeline floor, the skipped verification pass of an empty store). The torrent is
 * seen through the members read here: webtorrent-client.ts is still the one module that
 * knows webtorrent.
 */
import type { PeerAssistSettings } from '../config/peer-assist.ts';
import type { SeedCopy } from './storage/file-backed-store.ts';
import {
  streamFirstRequests,
  type FirstRequestTorrent,
  type FirstRequestWire,
} from './first-requests.ts';
import type { KeptRecord } from './storage/kept.ts';
import { skipVerifyPass } from './live-torrent.ts';
import { OpfsChunkStore, isStorageFull } from './storage/opfs-chunk-store.ts';
import { PeerAssist, type AssistTorrent } from './peer-assist.ts';
import { promptCritical, type CriticalTorrent } from './prompt-critical.ts';
import { useLinearRarestPiece } from './rarest-piece.ts';
import { boundPipeline, type RateMeter } from './request-pipeline.ts';
import type { LiveTorrent } from './snapshot.ts';
import type { StreamSteering } from './stream-steering.ts';
import type { Notice } from './types.ts';
import { checkShape } from './webtorrent-shape.ts';

/** The members of a webtorrent torrent this follows. */
export type WatchedTorrent = AssistTorrent &
  LiveTorrent &
  CriticalTorrent &
  FirstRequestTorrent<FirstRequestWire> & {
    readonly torrentFile: Uint8Array;
    readonly _rarityMap?: object | null;
    once(event: 'ready', cb: () => void): unknown;
    on(event: 'metadata' | 'ready' | 'done' | 'close', cb: () => void): unknown;
    on(event: 'verified', cb: (index: number) => void): unknown;
    on(
      event: 'wire',
      cb: (wire: Parameters<Parameters<AssistTorrent['on']>[1]>[0] & WatchedWire) => void,
    ): unknown;
    on(event: 'error' | 'warning', cb: (err: Error | string) => void): unknown;
  };

interface WatchedWire {
  downloadSpeed: RateMeter;
  readonly type?: string;
  on(event: 'download', cb: (bytes: number) => void): unknown;
}

/** What the engine keeps of a torrent while the page lives. */
export interface TorrentRecord<T extends LiveTorrent> extends KeptRecord {
  wt: T | null;
  /** Steers the live torrent's priorities after its stream reads (made on the first one). */
  steering: StreamSteering | null;
  /** Applies the peer-assist policy to the live torrent (peer-assist.ts). */
  assist: PeerAssist | null;
  /** Shared from the user's files this session: served from them while they are copied. */
  seedCopy: SeedCopy | null;
}

export const errorText = (err: Error | string): string =>
  typeof err === 'string' ? err : err.message;

/** What watching a torrent needs of the engine. */
export interface WatchHooks<R> {
  readonly peerAssist: PeerAssistSettings;
  readonly nowMs: () => number;
  changed(infoHash: string): void;
  persist(infoHash: string): void;
  notice(notice: Notice): void;
  /** A write failed for want of space: pause this torrent only. */
  pauseForSpace(record: R): void;
  /** Takes the live torrent off the record (after an error). */
  detach(record: R): void;
}

/** Follows a live torrent's events into its record and the engine's events. */
export function watchTorrent<T extends WatchedTorrent, R extends TorrentRecord<T>>(
  record: R,
  wt: T,
  hooks: WatchHooks<R>,
): void {
  const assist = new PeerAssist(
    wt,
    hooks.peerAssist,
    hooks.nowMs,
    () => record.wt === wt && record.steering?.active === true,
  );
  record.assist = assist;
  streamFirstRequests(wt);
  promptCritical(wt);
  if (wt.ready) assist.onReady();
  else
    wt.once('ready', () => {
      assist.onReady();
    });
  const changed = (): void => {
    hooks.changed(record.infoHash);
  };
  const persist = (): void => {
    if (record.wt === wt) hooks.persist(record.infoHash);
  };
  wt.on('metadata', () => {
    // Nothing to verify in a folder found empty: webtorrent would ask it for every piece.
    if (!record.bitfield && OpfsChunkStore.knownEmpty(record.infoHash)) skipVerifyPass(wt);
    useLinearRarestPiece(wt);
    record.name = wt.name ?? record.name;
    record.torrentId = wt.torrentFile;
    changed();
    persist();
  });
  wt.on('verified', persist);
  // Pieces written behind count as kept once on disk; a write that failed pauses or stops.
  const unwatch = OpfsChunkStore.watchWrites(record.infoHash, (err) => {
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
  wt.on('wire', (wire) => {
    boundPipeline(wire);
    // Piece data only: the torrent's own counter also counts protocol messages.
    wire.on('download', (bytes) => {
      if (record.wt === wt) record.receivedBytes += bytes;
    });
  });
  wt.on('ready', () => {
    // Every tuning above relies on webtorrent's private members: a missing one stops here, named.
    try {
      checkShape(wt);
    } catch (err) {
      failed(err instanceof Error ? err : String(err));
      return;
    }
    useLinearRarestPiece(wt);
    changed();
    persist();
  });
  wt.on('done', changed);
  wt.on('wire', changed);
  const failed = (err: Error | string): void => {
    if (record.wt !== wt) return;
    if (isStorageFull(err)) {
      hooks.pauseForSpace(record);
      return;
    }
    record.errorMessage = errorText(err);
    hooks.detach(record);
    persist();
    hooks.notice({
      level: 'error',
      message: `${record.name ?? record.infoHash}: ${record.errorMessage}`,
      infoHash: record.infoHash,
    });
    changed();
  };
  wt.on('error', failed);
  wt.on('warning', (err) => {
    const message = errorText(err);
    if (record.warning === message) return;
    record.warning = message;
    // A tracker that cannot be reached is news; other warnings (a bad piece from a peer)
    // show on the torrent only.
    const tracker = /(?:wss?:\/\/\S+)/.exec(message)?.[0];
    if (tracker) {
      hooks.notice({
        level: 'warning',
        message: `Tracker ${tracker} cannot be reached; other trackers and peers keep working.`,
        infoHash: record.infoHash,
      });
    }
    changed();
  });
}
