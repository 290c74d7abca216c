import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { PersistedTorrent } from '../engine/types.ts';

interface ShoalDb extends DBSchema {
  torrents: { key: string; value: PersistedTorrent };
}

/** Torrents kept across reloads: metadata, user state and verified pieces, in IndexedDB. */
export class TorrentDb {
  private constructor(private readonly db: IDBPDatabase<ShoalDb>) {}

  static async open(name = 'shoal'): Promise<TorrentDb> {
    const db = await openDB<ShoalDb>(name, 1, {
      upgrade(database) {
        database.createObjectStore('torrents', { keyPath: 'infoHash' });
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

  delete(infoHash: string): Promise<void> {
    return this.db.delete('torrents', infoHash);
  }

  close(): void {
    this.db.close();
  }
}
