import prettyBytes from 'pretty-bytes';
import { DEFAULT_SETTINGS, mergeSettings, type Settings } from '../config/settings.ts';
import { parseMagnetOrInfoHash, parseTorrentFile } from '../engine/torrent-input.ts';
import type { Engine, Notice, PlaybackReport, TorrentSnapshot } from '../engine/types.ts';
import { planStorage, type StorageTorrent } from '../engine/policy/cache.ts';
import { magnetInSharedText } from './launch.ts';
import type { Retention } from './torrent-db.ts';

export interface NoticeEntry extends Notice {
  readonly id: number;
}

export interface StorageStatus {
  readonly usageBytes: number;
  readonly quotaBytes: number;
  /** Whether the browser promised not to clear this site's storage under pressure. */
  readonly persisted: boolean;
}

/** The part of `navigator.storage` the store uses. */
export interface StorageAccess {
  estimate(): Promise<{ usage?: number; quota?: number }>;
  persisted(): Promise<boolean>;
  persist(): Promise<boolean>;
}

export interface AppState {
  readonly torrents: readonly TorrentSnapshot[];
  readonly notices: readonly NoticeEntry[];
  /** The torrent whose details are shown. */
  readonly selected: string | null;
  readonly settings: Settings;
  readonly storage: StorageStatus | null;
  /** A torrent the user just shared: its link and QR code are shown until closed. */
  readonly sharing: string | null;
  /** Kept or cache, and last use, by info-hash. A torrent with no entry counts as kept. */
  readonly retention: Readonly<Record<string, Retention>>;
  /** What streamed torrents fill, against their budget (once storage figures are known). */
  readonly cache: { readonly usageBytes: number; readonly budgetBytes: number } | null;
}

export type ActionResult =
  | { readonly ok: true; readonly infoHash: string }
  | { readonly ok: false; readonly message: string };

export interface AppStoreOptions {
  /** Most state updates a second that reach the UI while the engine is chatty. */
  readonly throttleMs?: number;
  /** How often speeds and ETAs are refreshed while nothing else happens. */
  readonly pollMs?: number;
  /** How many notices are kept on screen. */
  readonly maxNotices?: number;
  /** The settings in force, and where changed ones are kept. */
  readonly settings?: Settings;
  readonly saveSettings?: (settings: Settings) => void;
  /** Browser storage to report on; none, and no storage line is shown. */
  readonly storage?: StorageAccess;
  /** How often the storage figures are read (and the cache kept within its budget). */
  readonly storagePollMs?: number;
  /** Where kept-or-cache choices are saved. */
  readonly saveRetention?: (retention: Retention) => Promise<void>;
  readonly now?: () => number;
}

type Listener = (state: AppState) => void;

const formatSize = (bytes: number): string =>
  prettyBytes(bytes, { binary: true, maximumFractionDigits: 1 });

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * App state and the user's intents. The UI subscribes; the engine's events are
 * coalesced here so Lit renders at most every `throttleMs`.
 */
export class AppStore {
  private current: AppState;
  private readonly listeners = new Set<Listener>();
  private nextNoticeId = 1;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly pollTimer: ReturnType<typeof setInterval>;
  private readonly throttleMs: number;
  private readonly maxNotices: number;
  private readonly unsubscribe: (() => void)[];
  private readonly persistSettings: (settings: Settings) => void;
  private readonly storage: StorageAccess | null;
  private readonly storageTimer: ReturnType<typeof setInterval>;
  private askedToPersist = false;
  private readonly saveRetention: (retention: Retention) => Promise<void>;
  private readonly now: () => number;
  /** Downloads paused for want of space, so each is reported once. */
  private readonly pausedForSpace = new Set<string>();
  private enforcing = false;

  constructor(
    private readonly engine: Engine,
    options: AppStoreOptions = {},
  ) {
    this.current = {
      torrents: [],
      notices: [],
      selected: null,
      settings: options.settings ?? DEFAULT_SETTINGS,
      storage: null,
      sharing: null,
      retention: {},
      cache: null,
    };
    this.saveRetention = options.saveRetention ?? (() => Promise.resolve());
    this.now = options.now ?? Date.now;
    this.storage = options.storage ?? null;
    void this.refreshStorage();
    this.storageTimer = setInterval(() => {
      void this.refreshStorage();
    }, options.storagePollMs ?? 5000);
    this.persistSettings = options.saveSettings ?? (() => undefined);
    this.throttleMs = options.throttleMs ?? 250;
    this.maxNotices = options.maxNotices ?? 5;
    this.unsubscribe = [
      engine.on('change', () => {
        this.scheduleRefresh();
      }),
      engine.on('notice', (notice) => {
        this.notify(notice);
      }),
    ];
    this.pollTimer = setInterval(() => {
      if (this.current.torrents.length > 0) this.scheduleRefresh();
    }, options.pollMs ?? 1000);
  }

  get state(): AppState {
    return this.current;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    listener(this.current);
    return () => {
      this.listeners.delete(listener);
    };
  }

  dispose(): void {
    clearInterval(this.pollTimer);
    clearInterval(this.storageTimer);
    if (this.refreshTimer !== null) clearTimeout(this.refreshTimer);
    for (const off of this.unsubscribe) off();
    this.listeners.clear();
  }

  private set(next: Partial<AppState>): void {
    this.current = { ...this.current, ...next };
    for (const listener of this.listeners) listener(this.current);
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer !== null) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      this.refresh();
    }, this.throttleMs);
  }

  /** Reads every torrent from the engine now. */
  refresh(): void {
    const torrents = this.engine.snapshots();
    const selected =
      this.current.selected !== null && torrents.some((t) => t.infoHash === this.current.selected)
        ? this.current.selected
        : null;
    const sharing =
      this.current.sharing !== null && torrents.some((t) => t.infoHash === this.current.sharing)
        ? this.current.sharing
        : null;
    this.set({ torrents, selected, sharing });
  }

  notify(notice: Notice): void {
    const duplicate = this.current.notices.some(
      (n) => n.message === notice.message && n.level === notice.level,
    );
    if (duplicate) return;
    const entry: NoticeEntry = { ...notice, id: this.nextNoticeId++ };
    this.set({ notices: [...this.current.notices, entry].slice(-this.maxNotices) });
  }

  /** The player's position, for the engine's peer-assist policy (nothing for the UI). */
  playback(report: PlaybackReport): void {
    this.engine.playback?.(report);
  }

  dismissNotice(id: number): void {
    this.set({ notices: this.current.notices.filter((n) => n.id !== id) });
  }

  /** Keeps changed settings; the engine picks them up on the next start. */
  updateSettings(change: Partial<Settings>): void {
    const settings = mergeSettings(this.current.settings, { ...this.current.settings, ...change });
    this.persistSettings(settings);
    this.set({ settings });
  }

  select(infoHash: string | null): void {
    this.set({ selected: infoHash });
    if (infoHash !== null) this.retain(infoHash);
  }

  /** Kept-or-cache choices saved by an earlier visit. */
  loadRetention(saved: readonly Retention[]): void {
    this.set({
      retention: {
        ...Object.fromEntries(saved.map((r) => [r.infoHash, r])),
        ...this.current.retention,
      },
    });
  }

  /** Marks a torrent used now and, if `kept` is given, kept or cache. */
  private retain(infoHash: string, kept?: boolean): void {
    const before = this.current.retention[infoHash];
    const next: Retention = {
      infoHash,
      kept: kept ?? before?.kept ?? true,
      lastUsedMs: this.now(),
    };
    this.set({ retention: { ...this.current.retention, [infoHash]: next } });
    this.saveRetention(next).catch(() => undefined);
  }

  /** Keep a torrent on this device (never evicted), or let it be cache again. */
  keep(infoHash: string, kept: boolean): void {
    this.retain(infoHash, kept);
    if (kept) void this.keepStorage();
  }

  /** Removes, with their data, every cached torrent that is not open now. */
  async clearCache(): Promise<void> {
    const cached = this.current.torrents.filter(
      (t) =>
        this.current.retention[t.infoHash]?.kept === false && t.infoHash !== this.current.selected,
    );
    for (const t of cached) await this.remove(t.infoHash, true);
    await this.refreshStorage();
  }

  private storageTorrents(): StorageTorrent[] {
    return this.current.torrents.map((t) => {
      const retention = this.current.retention[t.infoHash];
      return {
        infoHash: t.infoHash,
        sizeBytes: t.downloadedBytes,
        lastUsedMs: retention?.lastUsedMs ?? t.addedAtMs,
        kept: retention?.kept ?? true,
        inUse: t.infoHash === this.current.selected,
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
      budgetSetting: this.current.settings.cacheBudgetBytes,
    });
    this.set({ cache: { usageBytes: plan.cacheUsageBytes, budgetBytes: plan.budgetBytes } });
    const name = (infoHash: string) =>
      this.current.torrents.find((t) => t.infoHash === infoHash)?.name ?? infoHash;
    for (const infoHash of plan.evict) {
      const label = name(infoHash);
      await this.remove(infoHash, true);
      this.notify({
        level: 'info',
        message: `Removed "${label}" from the cache (streamed, least recently used) to stay within ${formatSize(plan.budgetBytes)}.`,
      });
    }
    for (const { infoHash, neededBytes, freeBytes } of plan.tooBig) {
      if (this.pausedForSpace.has(infoHash)) continue;
      this.pausedForSpace.add(infoHash);
      await this.pause(infoHash);
      this.notify({
        level: 'error',
        message: `Paused "${name(infoHash)}": it needs ${formatSize(neededBytes)} more and this browser allows ${formatSize(Math.max(0, freeBytes))} more. Free space (clear the cache or remove torrents with their data), then resume it.`,
      });
    }
  }

  /** Reads how much storage is used and whether the browser keeps it. */
  async refreshStorage(): Promise<void> {
    if (!this.storage) return;
    try {
      const [{ usage = 0, quota = 0 }, persisted] = await Promise.all([
        this.storage.estimate(),
        this.storage.persisted(),
      ]);
      this.set({ storage: { usageBytes: usage, quotaBytes: quota, persisted } });
      if (quota > 0) await this.keepWithinStorage(usage, quota);
    } catch {
      // No figures is better than wrong ones.
    }
  }

  /** Once the user keeps something, ask the browser not to clear it under pressure. */
  private async keepStorage(): Promise<void> {
    if (!this.storage || this.askedToPersist) return;
    this.askedToPersist = true;
    await this.storage.persist().catch(() => false);
    await this.refreshStorage();
  }

  /** Runs an add; `kept` says whether the user keeps it or it is streamed cache. */
  private async run(action: () => Promise<TorrentSnapshot>, kept: boolean): Promise<ActionResult> {
    try {
      const snapshot = await action();
      this.refresh();
      this.retain(snapshot.infoHash, kept);
      this.select(snapshot.infoHash);
      if (kept) void this.keepStorage();
      return { ok: true, infoHash: snapshot.infoHash };
    } catch (err) {
      return { ok: false, message: messageOf(err) };
    }
  }

  // Adds report what went wrong to the caller, which shows it where the user is looking
  // (beside the field they typed in, or as a notice for a link the app was opened with).

  /** A pasted magnet link or info-hash. */
  addText(text: string): Promise<ActionResult> {
    const parsed = parseMagnetOrInfoHash(text);
    if (!parsed.ok) return Promise.resolve({ ok: false, message: parsed.message });
    return this.run(() => this.engine.add(parsed.value), true);
  }

  /**
   * A link the app was opened with: like a pasted one, but a torrent already in the list
   * is simply shown.
   */
  openLink(text: string): Promise<ActionResult> {
    const parsed = parseMagnetOrInfoHash(text);
    if (parsed.ok && this.engine.has(parsed.value.infoHash)) {
      this.select(parsed.value.infoHash);
      return Promise.resolve({ ok: true, infoHash: parsed.value.infoHash });
    }
    // Opened from a link, to watch or listen: cache until the user keeps it.
    if (!parsed.ok) return Promise.resolve({ ok: false, message: parsed.message });
    return this.run(() => this.engine.add(parsed.value), false);
  }

  /** A picked or dropped `.torrent` file. */
  async addTorrentFile(file: File): Promise<ActionResult> {
    const parsed = await parseTorrentFile(new Uint8Array(await file.arrayBuffer()), file.name);
    if (!parsed.ok) return { ok: false, message: parsed.message };
    return this.run(() => this.engine.add(parsed.value), true);
  }

  /**
   * Files or a folder to share: once seeding, its link and QR code are shown. With their
   * handles (File System Access) they are seeded where they are, without a copy.
   */
  async seed(
    files: readonly File[],
    handles?: readonly FileSystemFileHandle[],
  ): Promise<ActionResult> {
    const result = await this.run(() => this.engine.seed(files, handles), true);
    if (result.ok) this.set({ sharing: result.infoHash });
    return result;
  }

  /**
   * What another app shared with this one (Web Share Target): files are seeded; text or a
   * URL that carries a magnet link opens that torrent.
   */
  async receiveShare(share: {
    readonly files: readonly File[];
    readonly text: string;
  }): Promise<ActionResult> {
    if (share.files.length > 0) return this.seed(share.files);
    const magnet = magnetInSharedText(share.text);
    if (magnet !== null) return this.openLink(magnet);
    return {
      ok: false,
      message:
        share.text.trim() === ''
          ? 'Nothing arrived with the share: no files and no text.'
          : `The shared text has no magnet link in it: "${share.text.slice(0, 80)}".`,
    };
  }

  /** Shows (or, with null, hides) the sharing card of a torrent. */
  share(infoHash: string | null): void {
    this.set({ sharing: infoHash });
  }

  private async act(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (err) {
      this.notify({ level: 'error', message: messageOf(err) });
    }
    this.refresh();
  }

  pause(infoHash: string): Promise<void> {
    return this.act(() => this.engine.pause(infoHash));
  }

  resume(infoHash: string): Promise<void> {
    this.pausedForSpace.delete(infoHash);
    return this.act(() => this.engine.resume(infoHash));
  }

  remove(infoHash: string, deleteData: boolean): Promise<void> {
    this.set({
      retention: Object.fromEntries(
        Object.entries(this.current.retention).filter(([key]) => key !== infoHash),
      ),
    });
    this.pausedForSpace.delete(infoHash);
    return this.act(() => this.engine.remove(infoHash, { deleteData }));
  }

  file(infoHash: string, path: string): ReturnType<Engine['readFile']> {
    return this.engine.readFile(infoHash, path);
  }
}
