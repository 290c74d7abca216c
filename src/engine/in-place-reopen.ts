/**
 * Opening a torrent seeded in place (from the user's own files, storage/in-place.ts) again:
 * after a reload, or when the user allows access again. One reopening at a time per torrent
 * (a restore and a double click on Allow access share it).
 */
import { fullBitfield } from './policy/bitfield.ts';
import { SeedCopy } from './storage/file-backed-store.ts';
import { reopenInPlace } from './storage/in-place.ts';
import type { TorrentRecord } from './torrent-watch.ts';

/** Why a torrent seeded in place cannot be read now: access to ask for, or files changed. */
export interface ReopenFailure {
  readonly needsAccess: boolean;
  readonly message: string;
}

/** True: it may be seeded; false: not seeded in place, or removed meanwhile. */
export type Reopening = Promise<true | false | ReopenFailure>;

export class InPlaceReopener {
  private readonly reopening = new Map<string, Reopening>();

  constructor(
    /** Whether the record still stands for its torrent (not removed or replaced meanwhile). */
    private readonly current: (record: TorrentRecord) => boolean,
    private readonly persist: (infoHash: string) => void,
  ) {}

  /** The reopening under way for a torrent, if any. */
  pending(infoHash: string): Reopening | undefined {
    return this.reopening.get(infoHash);
  }

  /**
   * Reads a torrent seeded in place from its files again (`ask`: asks the user for access,
   * from a click). Its files and pieces go on the record; why it cannot be seeded now is
   * returned, for its lifecycle (torrent-life.ts) to take.
   */
  reopen(record: TorrentRecord, ask: boolean): Reopening {
    const pending = this.reopening.get(record.infoHash);
    if (pending) return pending;
    const reopening = this.reopenFiles(record, ask).finally(() => {
      this.reopening.delete(record.infoHash);
    });
    this.reopening.set(record.infoHash, reopening);
    return reopening;
  }

  private async reopenFiles(record: TorrentRecord, ask: boolean): Reopening {
    const { linked, torrentId } = record;
    if (!linked || typeof torrentId === 'string') return false;
    const reopened = await reopenInPlace(linked, torrentId, record.name ?? record.infoHash, ask);
    if (!this.current(record)) return false;
    if (!reopened.ok) return { needsAccess: 'needsAccess' in reopened, message: reopened.message };
    Object.assign(record, {
      warning: null,
      linked: reopened.linked,
      seedCopy: new SeedCopy(reopened.files, () => undefined, { inPlace: true }),
      bitfield: fullBitfield(reopened.files.layout.pieceCount),
    });
    this.persist(record.infoHash);
    return true;
  }
}
