/** The shape of the app's state, what its intents answer, and the store's options. */
import type { Settings } from '../config/settings.ts';
import type { Notice, TorrentSnapshot } from '../engine/types.ts';
import type { CacheStatus, StorageAccess, StorageStatus } from './storage-governor.ts';
import type { Retention } from './torrent-db.ts';

export interface NoticeEntry extends Notice {
  readonly id: number;
  /** A delete that waits out its undo time: the notice offers Undo for this torrent. */
  readonly undo?: string;
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
  readonly cache: CacheStatus | null;
  /** The app's server has the demo (store/demo.ts), offered while the list is empty. */
  readonly demo: boolean;
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
  /** How long "remove and delete data" can be undone before the data is really deleted. */
  readonly undoMs?: number;
}
