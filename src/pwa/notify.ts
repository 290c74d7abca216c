import type { TorrentSnapshot, TorrentState } from '../engine/types.ts';

export { SELECT_QUERY, isSelectMessage, selectMessage } from './select-message.ts';

const ACTIVE: readonly TorrentState[] = ['metadata', 'downloading'];

/** The app badge: downloads that are still running (not paused, not done). */
export function activeDownloads(torrents: readonly TorrentSnapshot[]): number {
  return torrents.filter((t) => ACTIVE.includes(t.state)).length;
}

/**
 * Torrents that finished downloading between two looks: they were fetching before and are
 * seeding now. One restored complete, or seeded from the user's own files, never was.
 */
export function newlyCompleted(
  before: ReadonlyMap<string, TorrentState>,
  torrents: readonly TorrentSnapshot[],
): TorrentSnapshot[] {
  return torrents.filter((t) => {
    const was = before.get(t.infoHash);
    return t.state === 'seeding' && was !== undefined && ACTIVE.includes(was);
  });
}

/** What the browser offers for telling the user (each part may be missing). */
export interface Attention {
  /** Shows a notification (through the service worker registration), if allowed. */
  notify?(title: string, options: { body: string; tag: string; data: unknown }): Promise<void>;
  setBadge?(count: number): Promise<void>;
}

/**
 * Watches the torrents: a notification when a download completes, and the app badge
 * counting running downloads.
 */
export class DownloadAttention {
  private states = new Map<string, TorrentState>();
  private badge = -1;

  constructor(private readonly attention: Attention) {}

  update(torrents: readonly TorrentSnapshot[]): void {
    for (const done of newlyCompleted(this.states, torrents)) {
      void this.attention
        .notify?.('Download complete', {
          body: `${done.name} is ready, and shared with others while Shoal is open.`,
          tag: `shoal-complete-${done.infoHash}`,
          data: { infoHash: done.infoHash },
        })
        .catch(() => undefined);
    }
    this.states = new Map(torrents.map((t) => [t.infoHash, t.state]));
    const count = activeDownloads(torrents);
    if (count !== this.badge) {
      this.badge = count;
      void this.attention.setBadge?.(count).catch(() => undefined);
    }
  }
}
