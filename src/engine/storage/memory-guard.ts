/**
 * Keeps downloads held in the page's memory (a browser without OPFS: memory-backend.ts)
 * within the device's budget (policy/memory-budget.ts): a download that would go past it is
 * paused, oldest first served, with the sizes said plainly on the torrent and among the
 * notices, before it fills the tab's memory and crashes it. Pieces it already holds stay
 * (they are few: it is paused as soon as its size is known). Resuming it runs it again, and
 * if it still does not fit it is paused again. Files the user shares are read from where they
 * are, not held: they never count.
 */
import prettyBytes from 'pretty-bytes';
import { overMemoryBudget } from '../policy/memory-budget.ts';
import type { MemoryBackend } from './memory-backend.ts';

/** What the guard reads of a torrent record. */
export interface GuardedRecord {
  readonly infoHash: string;
  readonly name: string | null;
  readonly life: { readonly phase: string };
  readonly wt: { readonly ready: boolean; readonly length: number } | null;
  /** Shared from the user's files: read from them, nothing of it held in memory. */
  readonly seedCopy: object | null;
}

export interface MemoryPause<R> {
  readonly record: R;
  /** Shown on the torrent. */
  readonly warning: string;
  /** Shown among the notices. */
  readonly notice: string;
}

const size = (bytes: number): string =>
  prettyBytes(bytes, { binary: true, maximumFractionDigits: 1 });

/** What the user is told of a download paused for want of memory. */
export function memoryWarning(
  lengthBytes: number,
  spareBytes: number,
  budgetBytes: number,
): string {
  const others =
    spareBytes < budgetBytes ? ` (${size(spareBytes)} of it left beside your other downloads)` : '';
  return `Paused: it is ${size(lengthBytes)}, and this browser gives Shoal no file storage, so downloads are held in this page's memory, where this device can spare about ${size(budgetBytes)}${others}. Downloading it here could crash the tab. Open Shoal in a browser with file storage (OPFS) to download it, or remove other downloads and resume it.`;
}

export class MemoryGuard {
  constructor(
    readonly budgetBytes: number,
    private readonly backend: MemoryBackend,
  ) {}

  /** The running records to pause now, in the order given (the order they were added). */
  check<R extends GuardedRecord>(records: Iterable<R>): MemoryPause<R>[] {
    const list = [...records];
    const over = overMemoryBudget(
      list.map((r) => ({
        infoHash: r.infoHash,
        lengthBytes: r.wt?.ready ? r.wt.length : null,
        heldBytes: this.backend.heldBytes(r.infoHash),
        running: r.life.phase === 'running' && r.seedCopy === null,
      })),
      this.budgetBytes,
    );
    return over.flatMap(({ infoHash, lengthBytes, spareBytes }) => {
      const record = list.find((r) => r.infoHash === infoHash);
      if (!record) return [];
      const warning = memoryWarning(lengthBytes, spareBytes, this.budgetBytes);
      return [{ record, warning, notice: `"${record.name ?? infoHash}": ${warning}` }];
    });
  }
}
