import { demoOnServer, demoTorrent } from './demo.ts';
import { DEFAULT_SETTINGS, mergeSettings, type Settings } from '../config/settings.ts';
import { parseMagnetOrInfoHash, parseTorrentFile } from '../engine/torrent-input.ts';
import type { Engine, Notice, PlaybackReport, TorrentSnapshot } from '../engine/types.ts';
import { magnetInSharedText } from './launch.ts';
import { StorageGovernor, type StorageAccess, type StorageStatus } from './storage-governor.ts';
import type { Retention } from './torrent-db.ts';
import { UndoableDeletes } from './undoable-deletes.ts';
import type { ActionResult, AppState, AppStoreOptions, NoticeEntry } from './app-state.ts';

export type { StorageAccess, StorageStatus };
export type { ActionResult, AppState, AppStoreOptions, NoticeEntry };

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
  /** Keeps what is stored within what the browser allows (storage-governor.ts). */
  private readonly governor: StorageGovernor;
  private readonly saveRetention: (retention: Retention) => Promise<void>;
  private readonly now: () => number;
  /** Deletes the user may still undo (undoable-deletes.ts): hidden, not yet deleted. */
  private readonly deletes: UndoableDeletes;

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
      demo: false,
    };
    this.saveRetention = options.saveRetention ?? (() => Promise.resolve());
    this.now = options.now ?? Date.now;
    this.deletes = new UndoableDeletes(
      {
        torrent: (infoHash) => this.current.torrents.find((t) => t.infoHash === infoHash),
        selected: () => this.current.selected,
        showNotice: (message, undo) => {
          const entry: NoticeEntry = { id: this.nextNoticeId++, level: 'info', message, undo };
          this.set({ notices: [...this.current.notices, entry].slice(-this.maxNotices) });
          return entry.id;
        },
        dropNotice: (id) => {
          this.set({ notices: this.current.notices.filter((n) => n.id !== id) });
        },
        refresh: () => {
          this.refresh();
        },
        select: (infoHash) => {
          this.select(infoHash);
        },
        remove: (infoHash) => this.remove(infoHash, true),
      },
      options.undoMs ?? 8000,
    );
    this.governor = new StorageGovernor(
      options.storage ?? null,
      {
        state: () => this.current,
        set: (next) => {
          this.set(next);
        },
        remove: (infoHash, deleteData) => this.remove(infoHash, deleteData),
        pause: (infoHash) => this.pause(infoHash),
        notify: (notice) => {
          this.notify(notice);
        },
      },
      options.storagePollMs ?? 5000,
    );
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
    this.governor.dispose();
    if (this.refreshTimer !== null) clearTimeout(this.refreshTimer);
    this.deletes.dispose();
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
    const torrents = this.engine.snapshots().filter((t) => !this.deletes.hides(t.infoHash));
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
    const notice = this.current.notices.find((n) => n.id === id);
    this.set({ notices: this.current.notices.filter((n) => n.id !== id) });
    // Dismissing "Deleted … Undo" gives up the undo: the delete happens now.
    if (notice?.undo !== undefined) void this.deletes.commit(notice.undo);
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
    if (kept) void this.governor.askToPersist();
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

  /** Reads how much storage is used and whether the browser keeps it; keeps within it. */
  refreshStorage(): Promise<void> {
    return this.governor.refresh();
  }

  /** Runs an add; `kept` says whether the user keeps it or it is streamed cache. */
  private async run(action: () => Promise<TorrentSnapshot>, kept: boolean): Promise<ActionResult> {
    try {
      const snapshot = await action();
      this.refresh();
      this.retain(snapshot.infoHash, kept);
      this.select(snapshot.infoHash);
      if (kept) void this.governor.askToPersist();
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
    if (this.undeleted(parsed.value.infoHash))
      return Promise.resolve({ ok: true, infoHash: parsed.value.infoHash });
    return this.run(() => this.engine.add(parsed.value), true);
  }

  /** A torrent added again while its delete can still be undone comes back, shown. */
  private undeleted(infoHash: string): boolean {
    if (!this.deletes.undo(infoHash)) return false;
    this.select(infoHash);
    return true;
  }

  /**
   * A link the app was opened with: like a pasted one, but a torrent already in the list
   * is simply shown.
   */
  openLink(text: string): Promise<ActionResult> {
    const parsed = parseMagnetOrInfoHash(text);
    if (parsed.ok && this.undeleted(parsed.value.infoHash)) {
      return Promise.resolve({ ok: true, infoHash: parsed.value.infoHash });
    }
    if (parsed.ok && this.engine.has(parsed.value.infoHash)) {
      this.select(parsed.value.infoHash);
      return Promise.resolve({ ok: true, infoHash: parsed.value.infoHash });
    }
    // Opened from a link, to watch or listen: cache until the user keeps it.
    if (!parsed.ok) return Promise.resolve({ ok: false, message: parsed.message });
    return this.run(() => this.engine.add(parsed.value), false);
  }

  /** Offers the demo if the app's server (at `base`) has it. */
  async offerDemo(base: string): Promise<void> {
    if (await demoOnServer(base)) this.set({ demo: true });
  }

  /** Adds the demo (its web seed: the server at `base`); the caller plays it. */
  async addDemo(base: string): Promise<ActionResult> {
    const file = await demoTorrent(base);
    if (!file) return { ok: false, message: 'This server has no demo: `npm start` makes one.' };
    return this.addTorrentFile(file);
  }

  /** A picked or dropped `.torrent` file. */
  async addTorrentFile(file: File): Promise<ActionResult> {
    const parsed = await parseTorrentFile(new Uint8Array(await file.arrayBuffer()), file.name);
    if (!parsed.ok) return { ok: false, message: parsed.message };
    if (this.undeleted(parsed.value.infoHash)) return { ok: true, infoHash: parsed.value.infoHash };
    return this.run(() => this.engine.add(parsed.value), true);
  }

  /**
   * Files or a folder to share: once seeding, its link and QR code are shown. With their
   * handles (File System Access) they are seeded where they are, without a copy. `name`:
   * several files' name as the user gave it (`shareNameOf` is what they are offered).
   */
  async seed(
    files: readonly File[],
    handles?: readonly FileSystemFileHandle[],
    name?: string,
  ): Promise<ActionResult> {
    const result = await this.run(() => this.engine.seed(files, handles, name), true);
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
    this.governor.forget(infoHash);
    return this.act(() => this.engine.resume(infoHash));
  }

  remove(infoHash: string, deleteData: boolean): Promise<void> {
    this.set({
      retention: Object.fromEntries(
        Object.entries(this.current.retention).filter(([key]) => key !== infoHash),
      ),
    });
    this.governor.forget(infoHash);
    return this.act(() => this.engine.remove(infoHash, { deleteData }));
  }

  /**
   * "Remove and delete data" as the user asks it: gone from the list at once, with Undo
   * offered for a few seconds before the data is really deleted (undoable-deletes.ts).
   */
  deleteWithUndo(infoHash: string): void {
    this.deletes.delete(infoHash);
  }

  /** Holds or runs on the undo countdown of a delete (the pointer is on its notice). */
  holdUndo(infoHash: string, held: boolean): void {
    this.deletes.hold(infoHash, held);
  }

  /** Brings back a torrent whose delete still waits out its undo time. */
  undoDelete(infoHash: string): void {
    this.deletes.undo(infoHash);
  }

  file(infoHash: string, path: string): ReturnType<Engine['readFile']> {
    return this.engine.readFile(infoHash, path);
  }
}
