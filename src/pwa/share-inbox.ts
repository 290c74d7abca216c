import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/**
 * What a share (Web Share Target) brought: kept in IndexedDB by the service worker, which
 * receives the POST, until the page has taken it (seeded the files or opened the link).
 * Used by both the worker and the page, so it touches nothing but IndexedDB.
 */
export interface SharedItem {
  readonly id: string;
  readonly receivedAtMs: number;
  readonly files: readonly File[];
  /** Title, text and URL fields joined by newlines ('' when none came). */
  readonly text: string;
}

interface InboxSchema extends DBSchema {
  shares: { key: string; value: SharedItem };
}

const DB_NAME = 'shoal-share-inbox';

/** A share nobody took for this long (the page never opened) is dropped. */
export const SHARE_TTL_MS = 24 * 60 * 60 * 1000;

export class ShareInbox {
  private constructor(private readonly db: IDBPDatabase<InboxSchema>) {}

  static async open(): Promise<ShareInbox> {
    const db = await openDB<InboxSchema>(DB_NAME, 1, {
      upgrade(database) {
        database.createObjectStore('shares', { keyPath: 'id' });
      },
    });
    return new ShareInbox(db);
  }

  async put(item: SharedItem): Promise<void> {
    await this.db.put('shares', item);
  }

  async get(id: string): Promise<SharedItem | undefined> {
    return this.db.get('shares', id);
  }

  async delete(id: string): Promise<void> {
    await this.db.delete('shares', id);
  }

  /** Drops shares older than `ttlMs`; returns how many. */
  async prune(nowMs: number, ttlMs = SHARE_TTL_MS): Promise<number> {
    const tx = this.db.transaction('shares', 'readwrite');
    let dropped = 0;
    for await (const cursor of tx.store) {
      if (nowMs - cursor.value.receivedAtMs > ttlMs) {
        await cursor.delete();
        dropped += 1;
      }
    }
    await tx.done;
    return dropped;
  }

  close(): void {
    this.db.close();
  }
}
