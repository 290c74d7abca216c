import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { PersistedTorrent } from '../engine/types.ts';

/** Whether the user keeps a torrent or it is cache, and when it was last used. */
export interface Retention {
  readonly infoHash: string;
  /** Kept on purpose (added, downloaded or shared by the user); otherwise streamed cache. */
  readonly kept: boolean;
  readonly lastUsedMs: number;
}

interface ShoalDb extends DBSchema {
  torrents: { key: string; value: PersistedTorrent };
  retention: { key: string; value: Retention };
}

/** Torrents kept across reloads: metadata, user state and verified pieces, in IndexedDB. */
export class TorrentDb {
  private constructor(private readonly db: IDBPDatabase<ShoalDb>) {}

  static async open(name = 'shoal'): Promise<TorrentDb> {
    const db = await openDB<ShoalDb>(name, 2, {
      upgrade(database, oldVersion) {
        if (oldVersion < 1) database.createObjectStore('torrents', { keyPath: 'infoHash' });
        // Torrents kept before version 2 have no entry, and count as kept.
        if (oldVersion < 2) database.createObjectStore('retention', { keyPath: 'infoHash' });
      },
    });
    return new TorrentDb(db);
  }

  all(): Promise<PersistedTorrent[]> {
    return this.db.getAll('torrents');
  }

  async put(torrent: PersistedTorrent): Promise<void> {
    await this.db.put('torrents', torrent);
  }

  async delete(infoHash: string): Promise<void> {
    const tx = this.db.transaction(['torrents', 'retention'], 'readwrite');
    await Promise.all([
      tx.objectStore('torrents').delete(infoHash),
      tx.objectStore('retention').delete(infoHash),
      tx.done,
    ]);
  }

  allRetention(): Promise<Retention[]> {
    return this.db.getAll('retention');
  }

  async putRetention(retention: Retention): Promise<void> {
    await this.db.put('retention', retention);
  }

  close(): void {
    this.db.close();
  }
}
