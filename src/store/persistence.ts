import type { Engine } from '../engine/types.ts';
import type { TorrentDb } from './torrent-db.ts';

export interface PersistenceOptions {
  /** Pieces verify many times a second: write a torrent at most this often. */
  readonly debounceMs?: number;
  readonly onError?: (message: string) => void;
}

/**
 * Keeps every torrent the engine holds in the database, and brings them back on load.
 * Writes are coalesced per torrent; a page being hidden flushes what is pending.
 * An engine that keeps no torrents (its downloads live in memory: no OPFS) leaves the database
 * alone: nothing is written, restored or deleted, so torrents kept by a visit that had storage
 * are there again, whole, once the browser gives it back.
 */
export class TorrentPersistence {
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly debounceMs: number;
  private readonly unsubscribe: (() => void)[];
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly engine: Engine,
    private readonly db: TorrentDb,
    private readonly options: PersistenceOptions = {},
  ) {
    this.debounceMs = options.debounceMs ?? 500;
    this.unsubscribe = this.keeps
      ? [
          engine.on('persist', (infoHash) => {
            this.schedule(infoHash);
          }),
          engine.on('removed', (infoHash) => {
            this.cancel(infoHash);
            this.enqueue(() => db.delete(infoHash));
          }),
        ]
      : [];
  }

  private get keeps(): boolean {
    return this.engine.keepsTorrents !== false;
  }

  /** Re-adds every kept torrent; resolves with how many came back. */
  async restoreAll(): Promise<number> {
    if (!this.keeps) return 0;
    const saved = await this.db.all();
    const results = await Promise.allSettled(saved.map((torrent) => this.engine.restore(torrent)));
    const failed = results.filter((r) => r.status === 'rejected').length;
    if (failed > 0)
      this.options.onError?.(`${String(failed)} saved torrent(s) could not be restored.`);
    return saved.length - failed;
  }

  private schedule(infoHash: string): void {
    if (this.pending.has(infoHash)) return;
    this.pending.set(
      infoHash,
      setTimeout(() => {
        this.pending.delete(infoHash);
        this.write(infoHash);
      }, this.debounceMs),
    );
  }

  private cancel(infoHash: string): void {
    const timer = this.pending.get(infoHash);
    if (timer !== undefined) clearTimeout(timer);
    this.pending.delete(infoHash);
  }

  private write(infoHash: string): void {
    const torrent = this.engine.persisted(infoHash);
    if (torrent) this.enqueue(() => this.db.put(torrent));
  }

  /** Writes run one after another, so a delete never races an older put. */
  private enqueue(task: () => Promise<void>): void {
    this.writes = this.writes.then(task).catch((err: unknown) => {
      this.options.onError?.(
        `Could not save the torrent list: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
  }

  /** Writes everything pending now (e.g. when the page is being hidden). */
  flush(): Promise<void> {
    for (const infoHash of [...this.pending.keys()]) {
      this.cancel(infoHash);
      this.write(infoHash);
    }
    return this.writes;
  }

  dispose(): void {
    for (const off of this.unsubscribe) off();
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
