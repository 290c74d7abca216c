/**
 * The engine: Shoal's torrents over the swarm (swarm/client.ts), to our `Engine` interface:
 * plain snapshots out, typed sources in. It keeps each torrent's record (what is kept of it
 * while the page lives); its lifecycle (start, pause, resume, fail, remove) is torrent-life.ts's.
 */
import { SwarmClient } from './swarm/client.ts';
import { Emitter } from './emitter.ts';
import { SeedCopy } from './storage/file-backed-store.ts';
import type { PieceBackend } from './storage/pack-client.ts';
import { MemoryBackend } from './storage/memory-backend.ts';
import { MemoryGuard } from './storage/memory-guard.ts';
import { MEMORY_BUDGET } from './policy/memory-budget.ts';
import { storeRegistry } from './storage/store-registry.ts';
import { prepareSeed } from './storage/seed-files.ts';
import { linkedFilesOf } from './storage/in-place.ts';
import { persistedOf, restoredPieces } from './storage/kept.ts';
import { snapshotOf } from './snapshot.ts';
import { fullBitfield } from './policy/bitfield.ts';
import { liveBitfield, whenReady } from './live-torrent.ts';
import { copyStopped } from './storage/storage-notices.ts';
import { errorText, type TorrentRecord } from './torrent-watch.ts';
import { TorrentLife } from './torrent-life.ts';
import { Overlay, type OverlayStats, type QueryTally } from './overlay/overlay.ts';
import { RUNNING } from './policy/lifecycle.ts';
import { TorrentStreams } from './streaming/torrent-streams.ts';
import { DEFAULT_PEER_ASSIST, type PeerAssistSettings } from '../config/peer-assist.ts';
import type { PeerAssist } from './assist/peer-assist.ts';
import {
  EngineError,
  type Engine,
  type EngineEvents,
  type FileReadable,
  type PlaybackReport,
  type PersistedTorrent,
  type TorrentSnapshot,
  type TorrentSource,
} from './types.ts';

export interface EngineOptions {
  readonly announce: readonly string[];
  readonly iceServers: readonly RTCIceServer[];
  readonly maxConns: number;
  readonly nowMs?: () => number;
  /** Web seed as CDN, emergency mode, prefetch, choking, connection limits. */
  readonly peerAssist?: PeerAssistSettings;
  /** How often each torrent's controller re-steers and applies peer assist. */
  readonly tickMs?: number;
  /** Where the stores' pieces go (storage/pack-client.ts; the pack worker unless told otherwise). */
  readonly storeBackend?: PieceBackend;
  /**
   * Where downloads are kept: 'opfs' (the default) on this device across reloads; 'memory'
   * when the browser gives no OPFS (launch/capabilities.ts): in the page's memory, lost when
   * it closes, so no torrent is kept across a reload either (`keepsTorrents`).
   */
  readonly storage?: 'opfs' | 'memory';
  /**
   * With `storage: 'memory'`, the bytes of downloads the page may hold (policy/memory-budget.ts
   * `memoryBudgetBytes`, from what the browser says of the device); its fallback otherwise.
   */
  readonly memoryBudgetBytes?: number;
}

export class ShoalEngine implements Engine {
  private readonly client: SwarmClient;
  private readonly records = new Map<string, TorrentRecord>();
  private readonly events = new Emitter<EngineEvents>();
  private readonly nowMs: () => number;
  private readonly streams: TorrentStreams<TorrentRecord>;
  private readonly tickTimer: ReturnType<typeof setInterval>;
  /** Torrents listed by `restore` whose store is still being read, until they start. */
  private readonly restoring = new Map<string, Promise<void>>();
  /** The other Shoal tabs we are connected to: asked for each torrent added. */
  private readonly overlay: Overlay;
  /** The one owner of each record's lifecycle: starts, pauses, fails and removes it. */
  private readonly lifecycle: TorrentLife;

  /** Downloads and shares live in the page's memory: nothing is copied to disk. */
  private readonly inMemory: boolean;
  /** With downloads in memory: pauses those that would not fit (storage/memory-guard.ts). */
  private readonly memoryGuard: MemoryGuard | null;

  /**
   * Whether torrents are kept across a reload (persisted, restored): not when downloads live
   * in memory, since a reload would find none of their pieces.
   */
  get keepsTorrents(): boolean {
    return !this.inMemory;
  }

  constructor(private readonly options: EngineOptions) {
    this.nowMs = options.nowMs ?? Date.now;
    this.inMemory = options.storage === 'memory';
    this.streams = new TorrentStreams(this.nowMs);
    this.client = new SwarmClient(options);
    this.overlay = new Overlay(this.client, this.nowMs);
    const memory = this.inMemory ? new MemoryBackend() : null;
    this.memoryGuard = memory
      ? new MemoryGuard(options.memoryBudgetBytes ?? MEMORY_BUDGET.fallbackBytes, memory)
      : null;
    this.lifecycle = new TorrentLife(
      this.client,
      memory ?? options.storeBackend ?? null,
      {
        changed: (infoHash) => {
          this.changed(infoHash);
        },
        persist: (infoHash) => {
          this.events.emit('persist', infoHash);
        },
        notice: (notice) => {
          this.events.emit('notice', notice);
        },
        findPeers: (infoHash) => {
          // Neighbours are asked beside the tracker's announce.
          this.overlay.find(infoHash);
        },
      },
      options.peerAssist ?? DEFAULT_PEER_ASSIST,
      this.nowMs,
    );
    this.tickTimer = setInterval(() => {
      for (const record of this.records.values()) record.control?.tick();
      for (const over of this.memoryGuard?.check(this.records.values()) ?? [])
        void this.lifecycle.pauseForMemory(over.record, over.warning, over.notice);
      void this.overlay.prune();
    }, options.tickMs ?? 500);
    this.client.onError((err) => {
      this.events.emit('notice', { level: 'error', message: errorText(err) });
    });
  }

  on<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): () => void {
    return this.events.on(event, listener);
  }

  has(infoHash: string): boolean {
    return this.records.has(infoHash);
  }

  add(source: TorrentSource): Promise<TorrentSnapshot> {
    const existing = this.records.get(source.infoHash);
    if (existing) {
      return Promise.reject(
        new EngineError(`"${existing.name ?? source.infoHash}" is already in your list.`),
      );
    }
    const record = this.newRecord({
      infoHash: source.infoHash,
      torrentId: source.kind === 'magnet' ? source.magnetURI : source.bytes,
      name: source.name,
    });
    this.records.set(record.infoHash, record);
    this.lifecycle.start(record);
    this.events.emit('persist', record.infoHash);
    return Promise.resolve(this.snapshot(record));
  }

  /** A record with nothing verified or received yet: about to run, unless told otherwise. */
  private newRecord(
    fields: Pick<TorrentRecord, 'infoHash' | 'torrentId' | 'name'> & Partial<TorrentRecord>,
  ): TorrentRecord {
    return {
      wt: null,
      control: null,
      seedCopy: null,
      linked: null,
      life: RUNNING,
      warning: null,
      bitfield: null,
      summary: null,
      receivedBytes: 0,
      webSeedBytes: 0,
      addedAtMs: this.nowMs(),
      ...fields,
    };
  }

  restore(saved: PersistedTorrent): Promise<void> {
    // Its pieces would be looked for on a disk this engine does not use.
    if (!this.keepsTorrents)
      return Promise.reject(new EngineError('Torrents are not kept in this browser.'));
    if (this.records.has(saved.infoHash)) return Promise.resolve();
    const restored = this.restoreRecord(saved).finally(() => {
      this.restoring.delete(saved.infoHash);
    });
    this.restoring.set(
      saved.infoHash,
      restored.catch(() => undefined),
    );
    return restored;
  }

  private async restoreRecord(saved: PersistedTorrent): Promise<void> {
    // Listed at once (so an add of the same torrent meanwhile is a duplicate), started once
    // the store says which pieces are still there.
    const record = this.newRecord({
      infoHash: saved.infoHash,
      torrentId: saved.torrentFile ?? saved.magnetURI,
      name: saved.name,
      life: { phase: 'restoring', paused: saved.paused },
      summary: saved.summary,
      addedAtMs: saved.addedAtMs,
      linked: saved.linkedFiles ?? null,
    });
    this.records.set(record.infoHash, record);
    // Seeded in place: its files, if they may be read and still match. Otherwise trust a
    // verified piece only if its file is still in OPFS; the rest is fetched again.
    const inPlace = record.linked ? this.lifecycle.inPlace.reopen(record, false) : null;
    if (!inPlace) Object.assign(record, await restoredPieces(saved));
    const reopened = (await inPlace) ?? true;
    if (this.records.get(record.infoHash) !== record) return;
    // Not if the user resumed, removed or shared it again meanwhile (it is not restoring).
    this.lifecycle.restored(record, typeof reopened === 'object' ? reopened : null);
    this.changed(record.infoHash);
  }

  persisted(infoHash: string): PersistedTorrent | null {
    const record = this.records.get(infoHash);
    // Kept in memory only: nothing to say a reload would find.
    if (!record || !this.keepsTorrents) return null;
    return persistedOf(record, liveBitfield(record.wt));
  }

  /**
   * Shares the user's files: resolves with the magnet once their pieces are hashed. Peers are
   * served from the files while a background task copies them into OPFS (file-backed-store);
   * in memory (no OPFS) they are served from the files alone, with no copy.
   */
  async seed(
    files: readonly File[],
    handles?: readonly FileSystemFileHandle[],
    name?: string,
  ): Promise<TorrentSnapshot> {
    const prepared = await prepareSeed(files, this.options.announce, name);
    // With the files' handles, they are seeded where they are, and nothing is copied; nor
    // is anything copied without a disk to copy to.
    const linked = linkedFilesOf(files, handles);
    // The same torrent may be coming back from a reload: share it once that is settled.
    await this.restoring.get(prepared.infoHash);
    await this.lifecycle.inPlace.pending(prepared.infoHash);
    let record = this.records.get(prepared.infoHash);
    if (record && (record.seedCopy !== null || (record.wt?.done ?? false))) {
      throw new EngineError('These files are already in your list.');
    }
    if (record) {
      // The same files again, for a torrent not all on this device (its copy had not
      // finished before a reload): share them, and copy what is missing.
      await this.lifecycle.restart(record);
    } else {
      record = this.newRecord({
        infoHash: prepared.infoHash,
        torrentId: prepared.torrentFile,
        name: prepared.layout.name,
      });
      this.records.set(record.infoHash, record);
    }
    const seeding = record;
    const copy: SeedCopy = new SeedCopy(
      prepared,
      () => {
        if (seeding.seedCopy !== copy) return;
        const notice = copyStopped(copy, seeding);
        if (notice) this.events.emit('notice', notice);
        this.changed(seeding.infoHash);
        this.events.emit('persist', seeding.infoHash);
      },
      { deferred: true, inPlace: linked !== null || this.inMemory },
    );
    // The copy steps aside while peers are connected (file-backed-store.ts).
    copy.serving = () => (seeding.wt?.peers().length ?? 0) > 0;
    record.linked = linked;
    record.torrentId = prepared.torrentFile;
    record.bitfield = fullBitfield(prepared.layout.pieceCount);
    record.seedCopy = copy;
    this.lifecycle.start(record);
    // An error before it is ready shows on the torrent.
    if (record.wt) await whenReady(record.wt).catch(() => undefined);
    copy.start();
    this.changed(record.infoHash);
    this.events.emit('persist', record.infoHash);
    return this.snapshot(record);
  }

  private changed(infoHash: string): void {
    this.events.emit('change', infoHash);
  }

  private record(infoHash: string): TorrentRecord {
    const record = this.records.get(infoHash);
    if (!record) throw new EngineError('That torrent is no longer in your list.');
    return record;
  }

  pause(infoHash: string): Promise<void> {
    return this.lifecycle.pause(this.record(infoHash));
  }

  resume(infoHash: string): Promise<void> {
    return this.lifecycle.resume(this.record(infoHash));
  }

  async remove(infoHash: string, { deleteData }: { deleteData: boolean }): Promise<void> {
    const record = this.record(infoHash);
    this.records.delete(infoHash);
    try {
      await this.lifecycle.remove(record, deleteData);
    } finally {
      this.changed(infoHash);
      this.events.emit('removed', infoHash);
    }
  }

  /** What the UI sees: pieces still being written count as not had yet. */
  private snapshot(record: TorrentRecord): TorrentSnapshot {
    return snapshotOf(
      record,
      record.wt ? storeRegistry.unwritten(record.infoHash) : new Set(),
      this.overlay.neighbourIds(),
    );
  }

  snapshots(): TorrentSnapshot[] {
    return [...this.records.values()].map((record) => this.snapshot(record));
  }

  readFile(infoHash: string, path: string): FileReadable {
    return this.streams.readFile(this.record(infoHash), path);
  }

  async openFile(infoHash: string, path: string): Promise<FileReadable> {
    // A torrent being restored is listed (paused) until its store has been read: wait for it.
    await this.restoring.get(infoHash);
    return this.streams.openFile(this.record(infoHash), path);
  }

  playback(report: PlaybackReport): void {
    const record = this.records.get(report.infoHash);
    record?.control?.report(report);
  }

  /** What the peer-assist layer did for a torrent (web seed requests and bytes, emergency). */
  assistStatus(infoHash: string): PeerAssist['status'] | null {
    return this.records.get(infoHash)?.control?.assist.status ?? null;
  }

  /** What the neighbour overlay has done since the page loaded. */
  overlayStats(): OverlayStats & { trackerOffersSkipped: number } {
    // A neighbour's tracker offer for a torrent it already serves us over its connection.
    return { ...this.overlay.stats, trackerOffersSkipped: this.client.offersSkipped };
  }

  /** The queries about one torrent that reached this tab from its neighbours (tests, diagnosis). */
  overlayQueriesFor(infoHash: string): QueryTally {
    return this.overlay.queriesFor(infoHash);
  }

  destroy(): Promise<void> {
    clearInterval(this.tickTimer);
    this.overlay.close();
    return this.client.destroy();
  }
}
