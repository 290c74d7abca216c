import type { Page } from '@playwright/test';

/** A page of either driver (Playwright's, or puppeteer's for Firefox): it runs a function. */
interface EvaluatingPage {
  evaluate<R>(pageFunction: () => R | Promise<R>): Promise<R>;
}

interface TorrentFigures {
  readonly infoHash: string;
  readonly state: string;
  readonly progress: number;
  readonly lengthBytes: number | null;
  readonly downloadedBytes: number;
  readonly receivedBytes: number;
}

/** The app's own figures for its first torrent, read from its store. */
export function firstTorrent(page: Page): Promise<TorrentFigures | null> {
  return page.evaluate(() => {
    const shoal = (
      window as unknown as { shoal?: { store: { state: { torrents: TorrentFigures[] } } } }
    ).shoal;
    const t = shoal?.store.state.torrents[0];
    return t
      ? {
          infoHash: t.infoHash,
          state: t.state,
          progress: t.progress,
          lengthBytes: t.lengthBytes,
          downloadedBytes: t.downloadedBytes,
          receivedBytes: t.receivedBytes,
        }
      : null;
  });
}

export interface KeptTorrent {
  /** Verified pieces in the kept bitfield. */
  readonly pieces: number;
  readonly paused: boolean;
}

/** How many verified pieces the app has written to IndexedDB for its torrents. */
export async function keptPieces(page: EvaluatingPage): Promise<number[]> {
  return (await keptTorrents(page)).map((t) => t.pieces);
}

/** A torrent's record in the app's IndexedDB (src/engine/types.ts PersistedTorrent), as read here. */
export interface KeptRow {
  readonly infoHash: string;
  readonly name: string | null;
  readonly magnetURI: string;
  /** The .torrent's bytes, once the metadata is known. */
  readonly torrentFile: number[] | null;
  readonly bitfield: number[] | null;
  readonly paused: boolean;
  readonly addedAtMs: number;
  readonly summary: unknown;
}

/** Every record the app has written to IndexedDB about its torrents. */
export function keptRows(page: EvaluatingPage): Promise<KeptRow[]> {
  return page.evaluate(
    () =>
      new Promise<KeptRow[]>((resolve, reject) => {
        const open = indexedDB.open('shoal');
        open.onerror = () => {
          reject(new Error('no database'));
        };
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('torrents')) {
            db.close();
            resolve([]);
            return;
          }
          const request = db.transaction('torrents').objectStore('torrents').getAll();
          request.onsuccess = () => {
            const rows = request.result as (Omit<KeptRow, 'torrentFile' | 'bitfield'> & {
              torrentFile: Uint8Array | null;
              bitfield: Uint8Array | null;
            })[];
            db.close();
            resolve(
              rows.map((r) => ({
                infoHash: r.infoHash,
                name: r.name,
                magnetURI: r.magnetURI,
                torrentFile: r.torrentFile ? [...r.torrentFile] : null,
                bitfield: r.bitfield ? [...r.bitfield] : null,
                paused: r.paused,
                addedAtMs: r.addedAtMs,
                summary: r.summary,
              })),
            );
          };
        };
      }),
  );
}

/** What the app has written to IndexedDB about its torrents: paused, and pieces kept. */
export async function keptTorrents(page: EvaluatingPage): Promise<KeptTorrent[]> {
  return (await keptRows(page)).map((row) => ({
    paused: row.paused,
    pieces: (row.bitfield ?? []).reduce((sum, byte) => {
      let n = 0;
      for (let b = byte; b; b >>= 1) n += b & 1;
      return sum + n;
    }, 0),
  }));
}

/** Streams the tab is reading from its engine for the service worker right now. */
export function activeStreams(page: Page): Promise<number | undefined> {
  return page.evaluate(
    () =>
      (window as unknown as { shoal?: { streams: { activeStreams: number } | null } }).shoal
        ?.streams?.activeStreams,
  );
}
