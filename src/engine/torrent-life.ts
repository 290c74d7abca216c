/**
 * The one owner of every torrent's lifecycle (policy/lifecycle.ts): the only code that moves
 * a record from phase to phase (the lint refuses an assignment to `life` anywhere else), and
 * that starts or stops its live torrent with it. Events the machine does not take in the
 * record's phase (a late failure of a torrent removed meanwhile) are dropped.
 */
import type { PeerAssistSettings } from '../config/peer-assist.ts';
import { InPlaceReopener, type ReopenFailure } from './in-place-reopen.ts';
import { detachLive, removeAndKeep } from './live-stop.ts';
import { nextLife, type Life, type LifeEvent } from './policy/lifecycle.ts';
import type { PieceBackend } from './storage/pack-client.ts';
import { isStorageFull } from './storage/opfs-chunk-store.ts';
import { storeRegistry } from './storage/store-registry.ts';
import { pausedForSpace } from './storage/storage-notices.ts';
import type { SwarmClient } from './swarm/client.ts';
import type { SwarmTorrent } from './swarm/port.ts';
import { errorText, startLive, type TorrentRecord, type WatchHooks } from './torrent-watch.ts';
import type { Notice } from './types.ts';

/** What the lifecycle tells the engine. */
export interface LifeHooks {
  changed(infoHash: string): void;
  persist(infoHash: string): void;
  notice(notice: Notice): void;
  /** Ask the neighbours for peers of a torrent (added, or short of peers). */
  findPeers(infoHash: string): void;
}

/** Whether a record still stands for its torrent: not removed. */
export const current = (record: TorrentRecord): boolean => record.life.phase !== 'stopped';

export class TorrentLife {
  private readonly watch: WatchHooks<TorrentRecord>;
  /** Torrents seeded in place whose files are being opened again. */
  readonly inPlace: InPlaceReopener;

  constructor(
    private readonly client: SwarmClient,
    private readonly backend: PieceBackend | null,
    private readonly hooks: LifeHooks,
    peerAssist: PeerAssistSettings,
    nowMs: () => number,
  ) {
    this.watch = {
      peerAssist,
      nowMs,
      changed: (infoHash) => {
        hooks.changed(infoHash);
      },
      persist: (infoHash) => {
        hooks.persist(infoHash);
      },
      notice: (notice) => {
        hooks.notice(notice);
      },
      findPeers: (infoHash) => {
        hooks.findPeers(infoHash);
      },
      failed: (record, err) => {
        this.failed(record, err);
      },
    };
    this.inPlace = new InPlaceReopener(current, (infoHash) => {
      hooks.persist(infoHash);
    });
  }

  /** Moves a record to the phase `event` leads to; false if it does not apply there. */
  private enter(record: TorrentRecord, event: LifeEvent): boolean {
    const next: Life | null = nextLife(record.life, event);
    if (!next) return false;
    record.life = next;
    return true;
  }

  /** Runs a record (added, resumed, restored or shared again) with a live torrent. */
  start(record: TorrentRecord): void {
    this.enter(record, { type: 'start' });
    if (record.life.phase !== 'running' || record.wt) return;
    startLive(this.client, record, this.backend, this.watch);
    this.hooks.findPeers(record.infoHash);
  }

  /** A restored record whose store has been read: as it was when the page closed. */
  restored(record: TorrentRecord, failure: ReopenFailure | null): void {
    if (record.life.phase !== 'restoring') return;
    const { paused } = record.life;
    // The user's pause wins over files waiting for access: resuming asks for it anyway.
    if (failure) this.reopenFailed(record, failure, paused);
    else if (paused) this.enter(record, { type: 'pause', reason: 'user' });
    else this.start(record);
  }

  private reopenFailed(record: TorrentRecord, failure: ReopenFailure, paused: boolean): void {
    if (failure.needsAccess) {
      this.enter(record, { type: 'pause', reason: paused ? 'user' : 'access' });
      record.warning = failure.message;
    } else {
      this.enter(record, { type: 'fail', message: failure.message });
      record.warning = null;
    }
  }

  async pause(record: TorrentRecord): Promise<void> {
    if (!this.enter(record, { type: 'pause', reason: 'user' })) return;
    const wt = detachLive(record);
    // Seeded in place: its files are opened and checked again when it is resumed.
    if (record.linked) record.seedCopy = null;
    if (wt && !wt.destroyed) await this.removeAndKeep(record, wt);
    this.hooks.changed(record.infoHash);
    this.hooks.persist(record.infoHash);
  }

  /**
   * Pauses a download that would not fit in the page's memory (storage/memory-guard.ts),
   * saying why on the torrent and among the notices; what it holds is kept.
   */
  async pauseForMemory(record: TorrentRecord, warning: string, notice: string): Promise<void> {
    if (!this.enter(record, { type: 'pause', reason: 'space' })) return;
    record.warning = warning;
    const wt = detachLive(record);
    if (wt && !wt.destroyed) await this.removeAndKeep(record, wt);
    this.hooks.notice({ level: 'error', message: notice, infoHash: record.infoHash });
    this.hooks.changed(record.infoHash);
  }

  async resume(record: TorrentRecord): Promise<void> {
    // Seeded in place but not reading its files (no access, or they changed): try them again.
    if (record.linked && !record.wt && record.seedCopy === null) {
      // Asks for access first, while the click that resumed it still counts.
      const reopened = await this.inPlace.reopen(record, true);
      if (reopened === true) this.start(record);
      else if (reopened && current(record)) this.reopenFailed(record, reopened, false);
    } else {
      if (record.life.phase === 'running') return;
      record.warning = null;
      this.start(record);
    }
    this.hooks.changed(record.infoHash);
    this.hooks.persist(record.infoHash);
  }

  /** Takes a record off the list: its live torrent removed, its data deleted if asked. */
  async remove(record: TorrentRecord, deleteData: boolean): Promise<void> {
    this.enter(record, { type: 'remove' });
    const wt = record.wt;
    record.wt = null;
    record.control = null;
    if (wt && !wt.destroyed) await this.client.remove(wt, deleteData);
    else if (deleteData) await storeRegistry.destroyFor(record.infoHash, this.backend ?? undefined);
  }

  /**
   * Stops a record's live torrent to add it again (the same files shared again): what it
   * verified is kept; it runs again with `start`.
   */
  async restart(record: TorrentRecord): Promise<void> {
    const wt = detachLive(record);
    if (wt && !wt.destroyed) await this.removeAndKeep(record, wt);
    record.warning = null;
  }

  /**
   * A live torrent failed: for want of space it is paused (its verified pieces kept; the one
   * that failed is not among them), no other torrent touched; otherwise it shows the error.
   */
  private failed(record: TorrentRecord, err: Error | string): void {
    const space = isStorageFull(err);
    const message = errorText(err);
    const event: LifeEvent = space ? { type: 'pause', reason: 'space' } : { type: 'fail', message };
    if (!this.enter(record, event)) return;
    record.warning = space ? pausedForSpace.warning : record.warning;
    this.stopLive(record);
    this.hooks.persist(record.infoHash);
    const name = record.name ?? record.infoHash;
    this.hooks.notice({
      level: 'error',
      message: space ? pausedForSpace.notice(name) : `${name}: ${message}`,
      infoHash: record.infoHash,
    });
    this.hooks.changed(record.infoHash);
  }

  /**
   * Stops a record's live torrent after a failure: detached, and removed from the swarm
   * unless it destroyed itself (a write behind that failed leaves it running, and resuming
   * it then was refused as a duplicate).
   */
  private stopLive(record: TorrentRecord): void {
    const wt = detachLive(record);
    if (wt && !wt.destroyed) void this.client.remove(wt, false).catch(() => undefined);
  }

  private removeAndKeep(record: TorrentRecord, wt: SwarmTorrent): Promise<void> {
    return removeAndKeep(this.client, record, wt, () => current(record));
  }
}
