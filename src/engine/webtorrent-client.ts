/**
 * The only module that imports webtorrent. It adapts the browser build to our `Engine`
 * interface: plain snapshots out, typed sources in, no webtorrent object escapes.
 */
import WebTorrent, { type WtAddOptions, type WtTorrent } from 'webtorrent/dist/webtorrent.min.js';
import { Emitter } from './emitter.ts';
import { mimeTypeFor } from './mime.ts';
import { OpfsChunkStore } from './opfs-chunk-store.ts';
import { magnetOf, snapshotOf, summaryOf, type RecordState } from './snapshot.ts';
import { bitfieldBytes, trustedBitfield } from './policy/bitfield.ts';
import { pieceStream } from './piece-stream.ts';
import { useLinearRarestPiece } from './rarest-piece.ts';
import { raisePipelineFloor } from './request-pipeline.ts';
import { StreamSteering, steeredStream } from './stream-steering.ts';
import { DEFAULT_PEER_ASSIST, type PeerAssistSettings } from '../config/peer-assist.ts';
import { PeerAssist } from './peer-assist.ts';
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
  /** How often piece priorities are re-steered while a file is being streamed. */
  readonly steerMs?: number;
  /** Web seed as CDN, emergency mode, prefetch, choking, connection limits. */
  readonly peerAssist?: PeerAssistSettings;
  /** How often the peer-assist policy is applied. */
  readonly assistMs?: number;
}

interface TorrentRecord extends RecordState {
  wt: WtTorrent | null;
  /** Steers the live torrent's priorities after its stream reads (made on the first one). */
  steering: StreamSteering | null;
  /** Applies the peer-assist policy to the live torrent (peer-assist.ts). */
  assist: PeerAssist | null;
}

/** A copy of the pieces a live torrent has verified, sized as webtorrent expects it back. */
function liveBitfield(wt: WtTorrent | null): Uint8Array | null {
  return wt?.ready && wt.bitfield
    ? wt.bitfield.buffer.slice(0, bitfieldBytes(wt.pieces.length))
    : null;
}

const errorText = (err: Error | string): string => (typeof err === 'string' ? err : err.message);

export class WebTorrentEngine implements Engine {
  private readonly client: WebTorrent;
  private readonly records = new Map<string, TorrentRecord>();
  private readonly events = new Emitter<EngineEvents>();
  private readonly nowMs: () => number;
  private steerTimer: ReturnType<typeof setInterval> | null = null;
  private readonly assistTimer: ReturnType<typeof setInterval>;
  /** Torrents listed by `restore` whose store is still being read, until they start. */
  private readonly restoring = new Map<string, Promise<void>>();

  constructor(private readonly options: EngineOptions) {
    this.nowMs = options.nowMs ?? Date.now;
    this.client = new WebTorrent({
      maxConns: options.maxConns,
      tracker: { rtcConfig: { iceServers: [...options.iceServers] } },
      // Web seeds are added by peer-assist.ts, gated by the policy, never as stock ones.
      webSeeds: false,
    });
    this.assistTimer = setInterval(() => {
      for (const record of this.records.values()) record.assist?.tick();
    }, options.assistMs ?? 500);
    this.client.on('error', (err) => {
      this.events.emit('notice', { level: 'error', message: errorText(err) });
    });
  }

  on<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): () => void {
    return this.events.on(event, listener);
  }

  has(infoHash: string): boolean {
    return this.records.has(infoHash);
  }

  private addOptions(record: Pick<TorrentRecord, 'bitfield'>): WtAddOptions {
    return {
      announce: [...this.options.announce],
      store: OpfsChunkStore,
      strategy: 'rarest',
      ...(record.bitfield ? { bitfield: record.bitfield } : {}),
    };
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
    this.start(record);
    this.events.emit('persist', record.infoHash);
    return Promise.resolve(snapshotOf(record));
  }

  /** A record in its first state: running, nothing verified or received yet. */
  private newRecord(
    fields: Pick<TorrentRecord, 'infoHash' | 'torrentId' | 'name'> & Partial<TorrentRecord>,
  ): TorrentRecord {
    return {
      wt: null,
      steering: null,
      assist: null,
      paused: false,
      errorMessage: null,
      warning: null,
      bitfield: null,
      summary: null,
      receivedBytes: 0,
      addedAtMs: this.nowMs(),
      ...fields,
    };
  }

  restore(saved: PersistedTorrent): Promise<void> {
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
      paused: true,
      summary: saved.summary,
      addedAtMs: saved.addedAtMs,
    });
    this.records.set(record.infoHash, record);
    // Trust a verified piece only if its file is still there; the rest is fetched again.
    if (saved.torrentFile && saved.bitfield) {
      record.bitfield = trustedBitfield(
        saved.bitfield,
        await OpfsChunkStore.storedPieces(saved.infoHash),
      );
    }
    if (this.records.get(record.infoHash) !== record) return;
    record.paused = saved.paused;
    if (!record.paused) this.start(record);
    this.changed(record.infoHash);
  }

  persisted(infoHash: string): PersistedTorrent | null {
    const record = this.records.get(infoHash);
    if (!record) return null;
    return {
      infoHash,
      name: record.wt?.name ?? record.name,
      magnetURI: magnetOf(record),
      torrentFile: typeof record.torrentId === 'string' ? null : record.torrentId,
      bitfield: liveBitfield(record.wt) ?? record.bitfield,
      paused: record.paused,
      addedAtMs: record.addedAtMs,
      summary: summaryOf(record),
    };
  }

  seed(files: readonly File[]): Promise<TorrentSnapshot> {
    if (files.length === 0)
      return Promise.reject(new EngineError('Choose at least one file to share.'));
    for (const file of files) {
      // Keep a folder's structure: create-torrent reads `fullPath`.
      if (file.webkitRelativePath && !('fullPath' in file)) {
        Object.defineProperty(file, 'fullPath', { value: file.webkitRelativePath });
      }
    }
    return new Promise((resolve, reject) => {
      // Resolves once every piece is in the store (webtorrent's `onseed`), so that what is
      // kept for a reload is really on disk.
      const wt = this.client.seed(
        [...files],
        { announce: [...this.options.announce], store: OpfsChunkStore },
        () => {
          onSeeding();
        },
      );
      wt.once('error', (err) => {
        const message = errorText(err as Error);
        reject(
          new EngineError(
            message.startsWith('Cannot add duplicate torrent')
              ? 'You are already sharing these files.'
              : `Could not share these files: ${message}`,
          ),
        );
      });
      const onSeeding = (): void => {
        if (this.records.has(wt.infoHash)) {
          void this.removeFromClient(wt, false);
          reject(new EngineError('These files are already in your list.'));
          return;
        }
        const record = this.newRecord({
          infoHash: wt.infoHash,
          torrentId: wt.torrentFile,
          name: wt.name ?? null,
          wt,
        });
        this.records.set(record.infoHash, record);
        this.watch(record, wt);
        this.changed(record.infoHash);
        this.events.emit('persist', record.infoHash);
        resolve(snapshotOf(record));
      };
    });
  }

  private start(record: TorrentRecord): void {
    const wt = this.client.add(record.torrentId, this.addOptions(record));
    record.wt = wt;
    this.watch(record, wt);
  }

  private watch(record: TorrentRecord, wt: WtTorrent): void {
    const assist = new PeerAssist(
      wt,
      this.options.peerAssist ?? DEFAULT_PEER_ASSIST,
      this.nowMs,
      () => record.wt === wt && record.steering?.active === true,
    );
    record.assist = assist;
    if (wt.ready) assist.onReady();
    else
      wt.once('ready', () => {
        assist.onReady();
      });
    const changed = (): void => {
      this.changed(record.infoHash);
    };
    const persist = (): void => {
      if (record.wt === wt) this.events.emit('persist', record.infoHash);
    };
    wt.on('metadata', () => {
      useLinearRarestPiece(wt);
      record.name = wt.name ?? record.name;
      record.torrentId = wt.torrentFile;
      changed();
      persist();
    });
    wt.on('verified', persist);
    wt.on('wire', (wire) => {
      raisePipelineFloor(wire);
      // Piece data only: the torrent's own counter also counts protocol messages.
      wire.on('download', (bytes) => {
        if (record.wt === wt) record.receivedBytes += bytes;
      });
    });
    wt.on('ready', () => {
      useLinearRarestPiece(wt);
      changed();
      persist();
    });
    wt.on('done', changed);
    wt.on('wire', changed);
    wt.on('error', (err) => {
      if (record.wt !== wt) return;
      record.errorMessage = errorText(err);
      this.detach(record);
      persist();
      this.events.emit('notice', {
        level: 'error',
        message: `${record.name ?? record.infoHash}: ${record.errorMessage}`,
        infoHash: record.infoHash,
      });
      changed();
    });
    wt.on('warning', (err) => {
      const message = errorText(err);
      if (record.warning === message) return;
      record.warning = message;
      // A tracker that cannot be reached is news; other warnings (a bad piece from a peer)
      // show on the torrent only.
      const tracker = /(?:wss?:\/\/\S+)/.exec(message)?.[0];
      if (tracker) {
        this.events.emit('notice', {
          level: 'warning',
          message: `Tracker ${tracker} cannot be reached; other trackers and peers keep working.`,
          infoHash: record.infoHash,
        });
      }
      changed();
    });
  }

  /**
   * Takes the live torrent off a record, keeping what it has verified and how far it got,
   * to show while it is stopped and to start again from.
   */
  private detach(record: TorrentRecord): WtTorrent | null {
    const wt = record.wt;
    const verified = liveBitfield(wt);
    if (verified) {
      record.bitfield = verified;
      record.summary = summaryOf(record);
    }
    record.wt = null;
    record.steering = null;
    record.assist = null;
    return wt;
  }

  /** Removes a torrent from webtorrent and waits until its store is closed (or deleted). */
  private removeFromClient(wt: WtTorrent, deleteData: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client
        .remove(wt, { destroyStore: deleteData }, (err) => {
          if (err) reject(err);
          else resolve();
        })
        .catch(reject);
    });
  }

  private changed(infoHash: string): void {
    this.events.emit('change', infoHash);
  }

  private record(infoHash: string): TorrentRecord {
    const record = this.records.get(infoHash);
    if (!record) throw new EngineError('That torrent is no longer in your list.');
    return record;
  }

  async pause(infoHash: string): Promise<void> {
    const record = this.record(infoHash);
    if (record.paused) return;
    record.paused = true;
    const wt = this.detach(record);
    if (wt && !wt.destroyed) await this.removeFromClient(wt, false);
    this.changed(infoHash);
    this.events.emit('persist', infoHash);
  }

  resume(infoHash: string): Promise<void> {
    const record = this.record(infoHash);
    if (!record.paused && record.errorMessage === null) return Promise.resolve();
    record.paused = false;
    record.errorMessage = null;
    this.start(record);
    this.changed(infoHash);
    this.events.emit('persist', infoHash);
    return Promise.resolve();
  }

  async remove(infoHash: string, { deleteData }: { deleteData: boolean }): Promise<void> {
    const record = this.record(infoHash);
    this.records.delete(infoHash);
    const wt = record.wt;
    record.wt = null;
    record.steering = null;
    record.assist = null;
    try {
      if (wt && !wt.destroyed) await this.removeFromClient(wt, deleteData);
      else if (deleteData) await OpfsChunkStore.destroyFor(infoHash);
    } finally {
      this.changed(infoHash);
      this.events.emit('removed', infoHash);
    }
  }

  snapshots(): TorrentSnapshot[] {
    return [...this.records.values()].map((record) => snapshotOf(record));
  }

  readFile(infoHash: string, path: string): FileReadable {
    const wt = this.record(infoHash).wt;
    const file = wt?.files.find((f) => f.path === path);
    if (!file) throw new EngineError(`"${path}" is not available: resume the torrent first.`);
    return {
      name: file.name,
      lengthBytes: file.length,
      mimeType: mimeTypeFor(file.name),
      stream: (range) => file.stream(range),
    };
  }

  async openFile(infoHash: string, path: string): Promise<FileReadable> {
    // A torrent being restored is listed (paused) until its store has been read: wait for it.
    await this.restoring.get(infoHash);
    const record = this.record(infoHash);
    const wt = record.wt;
    if (!wt) throw new EngineError('That torrent is paused: resume it to play its files.');
    if (!wt.ready) {
      await new Promise<void>((resolve, reject) => {
        wt.once('ready', () => {
          resolve();
        });
        wt.once('close', () => {
          reject(new EngineError('That torrent was removed.'));
        });
      });
    }
    return this.streamableFile(record, path);
  }

  /** Like readFile, but each read of the file steers the torrent's piece priorities. */
  private streamableFile(record: TorrentRecord, path: string): FileReadable {
    const wt = record.wt;
    const readable = this.readFile(record.infoHash, path);
    const file = wt?.files.find((f) => f.path === path);
    if (!wt || !file) return readable;
    return {
      ...readable,
      stream: (range) => {
        // A torrent paused and resumed since has another live torrent: steer only this one.
        const steering =
          record.wt === wt ? this.steeringOf(record, wt) : new StreamSteering(wt, this.nowMs);
        const span = { offsetBytes: file.offset, lengthBytes: file.length };
        this.startSteering();
        return steeredStream(pieceStream(wt, file, range), steering, span, range?.start ?? 0);
      },
    };
  }

  private steeringOf(record: TorrentRecord, wt: WtTorrent): StreamSteering {
    if (record.steering === null) record.steering = new StreamSteering(wt, this.nowMs);
    return record.steering;
  }

  /** Re-steers while any torrent is being streamed, as the reads move on; stops after. */
  private startSteering(): void {
    if (this.steerTimer !== null) return;
    this.steerTimer = setInterval(() => {
      let active = false;
      for (const record of this.records.values()) {
        if (!record.steering?.active) continue;
        active = true;
        record.steering.steer();
      }
      if (!active && this.steerTimer !== null) {
        clearInterval(this.steerTimer);
        this.steerTimer = null;
      }
    }, this.options.steerMs ?? 500);
  }

  playback(report: PlaybackReport): void {
    this.records.get(report.infoHash)?.assist?.report(report);
  }

  /** What the peer-assist layer did for a torrent (web seed requests and bytes, emergency). */
  assistStatus(infoHash: string): PeerAssist['status'] | null {
    return this.records.get(infoHash)?.assist?.status ?? null;
  }

  destroy(): Promise<void> {
    clearInterval(this.assistTimer);
    if (this.steerTimer !== null) clearInterval(this.steerTimer);
    this.steerTimer = null;
    return new Promise((resolve) => {
      this.client.destroy(() => {
        resolve();
      });
    });
  }
}
