import prettyBytes from 'pretty-bytes';
import type { Settings } from '../config/settings.ts';
import { planStorage, type StorageTorrent } from '../engine/policy/cache.ts';
import type { Notice, TorrentSnapshot } from '../engine/types.ts';
import type { Retention } from './torrent-db.ts';

/**
 * The storage governor: keeps what the app stores within what the browser allows. It reads
 * the browser's figures (use, quota, whether it promised to keep this site's data), keeps
 * streamed cache within its budget by evicting the least recently used, pauses a download
 * that would not fit (saying so once, until it is resumed or removed), and asks the browser
 * to persist the site's storage once the user keeps something. What to evict or pause is the
 * cache policy's decision (`planStorage`); the governor applies it through the store.
 */

export interface StorageStatus {
  readonly usageBytes: number;
  readonly quotaBytes: number;
  /** Whether the browser promised not to clear this site's storage under pressure. */
  readonly persisted: boolean;
}

/** What streamed torrents fill, against their budget. */
export interface CacheStatus {
  readonly usageBytes: number;
  readonly budgetBytes: number;
}

/** The part of `navigator.storage` the store uses. */
export interface StorageAccess {
  estimate(): Promise<{ usage?: number; quota?: number }>;
  persisted(): Promise<boolean>;
  persist(): Promise<boolean>;
}

/** The part of the app's state the governor decides from. */
export interface GovernedState {
  readonly torrents: readonly TorrentSnapshot[];
  readonly retention: Readonly<Record<string, Retention>>;
  /** The torrent open now: never evicted. */
  readonly selected: string | null;
  readonly settings: Pick<Settings, 'cacheBudgetBytes'>;
}

/** The store, as the governor sees it: its state, and the intents it acts through. */
export interface GovernorHost {
  state(): GovernedState;
  /** Publishes new figures. */
  set(next: { storage: StorageStatus } | { cache: CacheStatus }): void;
  remove(infoHash: string, deleteData: boolean): Promise<void>;
  pause(infoHash: string): Promise<void>;
  notify(notice: Notice): void;
}

const formatSize = (bytes: number): string =>
  prettyBytes(bytes, { binary: true, maximumFractionDigits: 1 });

export class StorageGovernor {
  private readonly timer: ReturnType<typeof setInterval>;
  private askedToPersist = false;
  /** Downloads paused for want of space, so each is reported once. */
  private readonly pausedForSpace = new Set<string>();
  private enforcing = false;

  /** Without `storage` there are no figures, and nothing is enforced. */
  constructor(
    private readonly storage: StorageAccess | null,
    private readonly host: GovernorHost,
    pollMs: number,
  ) {
    void this.refresh();
    this.timer = setInterval(() => {
      void this.refresh();
    }, pollMs);
  }

  dispose(): void {
    clearInterval(this.timer);
  }

  /** A download resumed or removed: if it runs out of space again, that is said again. */
  forget(infoHash: string): void {
    this.pausedForSpace.delete(infoHash);
  }

  /** Reads how much storage is used and whether the browser keeps it. */
  async refresh(): Promise<void> {
    if (!this.storage) return;
    try {
      const [{ usage = 0, quota = 0 }, persisted] = await Promise.all([
        this.storage.estimate(),
        this.storage.persisted(),
      ]);
      this.host.set({ storage: { usageBytes: usage, quotaBytes: quota, persisted } });
      if (quota > 0) await this.keepWithinStorage(usage, quota);
    } catch {
      // No figures is better than wrong ones.
    }
  }

  /** Once the user keeps something, ask the browser not to clear it under pressure. */
  async askToPersist(): Promise<void> {
    if (!this.storage || this.askedToPersist) return;
    this.askedToPersist = true;
    await this.storage.persist().catch(() => false);
    await this.refresh();
  }

  private storageTorrents(): StorageTorrent[] {
    const state = this.host.state();
    return state.torrents.map((t) => {
      const retention = state.retention[t.infoHash];
      return {
        infoHash: t.infoHash,
        sizeBytes: t.downloadedBytes,
        lastUsedMs: retention?.lastUsedMs ?? t.addedAtMs,
        kept: retention?.kept ?? true,
        inUse: t.infoHash === state.selected,
        downloading: t.state === 'downloading',
        remainingBytes: t.lengthBytes === null ? 0 : Math.max(0, t.lengthBytes - t.downloadedBytes),
      };
    });
  }

  /**
   * Keeps the cache within its budget and running downloads within the browser's quota:
   * evicts least recently used cache, and pauses a download that still would not fit.
   */
  private async keepWithinStorage(usageBytes: number, quotaBytes: number): Promise<void> {
    if (this.enforcing) return;
    this.enforcing = true;
    try {
      await this.applyStoragePlan(usageBytes, quotaBytes);
    } finally {
      this.enforcing = false;
    }
  }

  private async applyStoragePlan(usageBytes: number, quotaBytes: number): Promise<void> {
    const plan = planStorage({
      torrents: this.storageTorrents(),
      usageBytes,
      quotaBytes,
      budgetSetting: this.host.state().settings.cacheBudgetBytes,
    });
    this.host.set({ cache: { usageBytes: plan.cacheUsageBytes, budgetBytes: plan.budgetBytes } });
    const name = (infoHash: string) =>
      this.host.state().torrents.find((t) => t.infoHash === infoHash)?.name ?? infoHash;
    for (const infoHash of plan.evict) {
      const label = name(infoHash);
      await this.host.remove(infoHash, true);
      this.host.notify({
        level: 'info',
        message: `Removed "${label}" from the cache (streamed, least recently used) to stay within ${formatSize(plan.budgetBytes)}.`,
      });
    }
    for (const { infoHash, neededBytes, freeBytes } of plan.tooBig) {
      if (this.pausedForSpace.has(infoHash)) continue;
      this.pausedForSpace.add(infoHash);
      await this.host.pause(infoHash);
      this.host.notify({
        level: 'error',
        message: `Paused "${name(infoHash)}": it needs ${formatSize(neededBytes)} more and this browser allows ${formatSize(Math.max(0, freeBytes))} more. Free space (clear the cache or remove torrents with their data), then resume it.`,
      });
    }
  }
}
