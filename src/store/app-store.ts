import { DEFAULT_SETTINGS, mergeSettings, type Settings } from '../config/settings.ts';
import { parseMagnetOrInfoHash, parseTorrentFile } from '../engine/torrent-input.ts';
import type { Engine, Notice, TorrentSnapshot } from '../engine/types.ts';

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
  /** How often the storage figures are read. */
  readonly storagePollMs?: number;
}

type Listener = (state: AppState) => void;

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
    };
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
    this.set({ torrents, selected });
  }

  notify(notice: Notice): void {
    const duplicate = this.current.notices.some(
      (n) => n.message === notice.message && n.level === notice.level,
    );
    if (duplicate) return;
    const entry: NoticeEntry = { ...notice, id: this.nextNoticeId++ };
    this.set({ notices: [...this.current.notices, entry].slice(-this.maxNotices) });
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

  private async run(action: () => Promise<TorrentSnapshot>): Promise<ActionResult> {
    try {
      const snapshot = await action();
      this.refresh();
      this.select(snapshot.infoHash);
      void this.keepStorage();
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
    return this.run(() => this.engine.add(parsed.value));
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
    return this.addText(text);
  }

  /** A picked or dropped `.torrent` file. */
  async addTorrentFile(file: File): Promise<ActionResult> {
    const parsed = await parseTorrentFile(new Uint8Array(await file.arrayBuffer()), file.name);
    if (!parsed.ok) return { ok: false, message: parsed.message };
    return this.run(() => this.engine.add(parsed.value));
  }

  /** Files or a folder to share. */
  seed(files: readonly File[]): Promise<ActionResult> {
    return this.run(() => this.engine.seed(files));
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
    return this.act(() => this.engine.resume(infoHash));
  }

  remove(infoHash: string, deleteData: boolean): Promise<void> {
    return this.act(() => this.engine.remove(infoHash, { deleteData }));
  }

  file(infoHash: string, path: string): ReturnType<Engine['readFile']> {
    return this.engine.readFile(infoHash, path);
  }
}
