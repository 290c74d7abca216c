// The whole app over a fake engine, for the tests that drive it as a user does
// (delete-undo.test.ts, page-title-names.test.ts): a torrent to show, the engine the store
// sees, and the app mounted over both.
import type { Engine, EngineEvents, TorrentSnapshot } from '../../../src/engine/types.ts';
import { AppStore } from '../../../src/store/app-store.ts';
import { ShoalApp } from '../../../src/ui/shoal-app/shoal-app.ts';

export const MiB = 1024 * 1024;
export const LEAVES = 'd2474e86c95b19b8bcfdb92bc12c9d44667cfa36';
export const OTHER = 'a'.repeat(40);

export const torrent = (over: Partial<TorrentSnapshot> = {}): TorrentSnapshot => ({
  infoHash: LEAVES,
  name: 'Leaves of Grass',
  magnetURI: `magnet:?xt=urn:btih:${over.infoHash ?? LEAVES}`,
  lengthBytes: 16 * MiB,
  downloadedBytes: 16 * MiB,
  uploadedBytes: 0,
  progress: 1,
  downloadRateBytesPerS: 0,
  uploadRateBytesPerS: 0,
  peers: 0,
  etaS: null,
  state: 'seeding',
  errorMessage: null,
  warning: null,
  files: [
    {
      path: `${over.name ?? 'Leaves of Grass'}/a.bin`,
      name: 'a.bin',
      lengthBytes: 16 * MiB,
      downloadedBytes: 16 * MiB,
      progress: 1,
    },
  ],
  addedAtMs: 1,
  receivedBytes: 0,
  ...over,
});

/** The engine as the store sees it: torrents it holds, and what it was asked to remove. */
export class FakeEngine {
  torrents: TorrentSnapshot[];
  readonly removed: [string, boolean][] = [];
  private readonly changes = new Set<EngineEvents['change']>();

  constructor(torrents: TorrentSnapshot[]) {
    this.torrents = torrents;
  }

  snapshots(): TorrentSnapshot[] {
    return this.torrents;
  }

  has(infoHash: string): boolean {
    return this.torrents.some((t) => t.infoHash === infoHash);
  }

  add(): Promise<TorrentSnapshot> {
    return Promise.reject(new Error('This torrent is already in your list.'));
  }

  remove(infoHash: string, opts: { deleteData: boolean }): Promise<void> {
    this.removed.push([infoHash, opts.deleteData]);
    this.torrents = this.torrents.filter((t) => t.infoHash !== infoHash);
    return Promise.resolve();
  }

  /** What the engine says while a download runs. */
  change(): void {
    for (const listener of this.changes) listener('');
  }

  on(event: keyof EngineEvents, listener: EngineEvents['change']): () => void {
    if (event !== 'change') return () => undefined;
    this.changes.add(listener);
    return () => this.changes.delete(listener);
  }
}

const storage = {
  estimate: () => Promise.resolve({ usage: 32 * MiB, quota: 1024 * MiB }),
  persisted: () => Promise.resolve(true),
  persist: () => Promise.resolve(true),
};

/** The app a test mounted: its element, its store, and the fake engine under them. */
export interface MountedApp {
  readonly app: ShoalApp;
  readonly store: AppStore;
  readonly engine: FakeEngine;
}

/** The whole app over a fake engine, as a user sees it. */
export async function mountApp(
  torrents: TorrentSnapshot[],
  options: { undoMs?: number; throttleMs?: number } = {},
): Promise<MountedApp> {
  const engine = new FakeEngine(torrents);
  const store = new AppStore(engine as unknown as Engine, {
    undoMs: options.undoMs ?? 500,
    throttleMs: options.throttleMs ?? 20,
    pollMs: 60_000,
    storage,
    storagePollMs: 60_000,
  });
  store.refresh();
  await store.refreshStorage();
  const app = new ShoalApp(store, { defaultTrackers: [] });
  document.body.append(app);
  await app.updateComplete;
  return { app, store, engine };
}

/** Takes a mounted app down (after each test): its element leaves the page, its store stops. */
export function unmount(mounted: MountedApp | null): void {
  mounted?.app.remove();
  mounted?.store.dispose();
}

export const settle = async (app: ShoalApp): Promise<void> => {
  await app.updateComplete;
  await new Promise((resolve) => setTimeout(resolve, 0));
  const root = app.shadowRoot;
  await root?.querySelector('shoal-torrent-list')?.updateComplete;
  await root?.querySelector('shoal-notices')?.updateComplete;
  await root?.querySelector('shoal-storage')?.updateComplete;
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
