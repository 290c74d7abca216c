import type { TorrentSnapshot } from '../engine/types.ts';

/**
 * "Remove and delete data" with Undo: the torrent leaves the list at once and a notice
 * offers Undo; only when that time is up is it removed and its data deleted. Until then
 * the engine keeps it exactly as it was (still shared, still playable), so Undo loses
 * nothing, and a page closed meanwhile deletes nothing: the safe default.
 */

/** The store, as the deletes see it. */
export interface UndoHost {
  torrent(infoHash: string): TorrentSnapshot | undefined;
  selected(): string | null;
  /** Shows a notice that offers Undo for `infoHash`; returns its id. */
  showNotice(message: string, infoHash: string): number;
  dropNotice(id: number): void;
  /** Reads the engine again: a hidden torrent leaves the state, an undone one comes back. */
  refresh(): void;
  select(infoHash: string): void;
  /** Removes the torrent from the engine with its data. */
  remove(infoHash: string): Promise<void>;
}

interface Pending {
  timer: ReturnType<typeof setTimeout> | null;
  /** When its time is up (performance.now() ms), while the countdown runs. */
  dueMs: number;
  /** The time it had left when the user held it (the pointer on its notice); null: running. */
  heldLeftMs: number | null;
  readonly noticeId: number;
  /** It was the torrent shown in detail: Undo shows it again. */
  readonly wasSelected: boolean;
  /** Its time is up and the engine is deleting it: no longer undoable. */
  committing: boolean;
}

export class UndoableDeletes {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly host: UndoHost,
    private readonly undoMs: number,
  ) {}

  /** Whether the state must leave this torrent out (deleted, maybe still undone). */
  hides(infoHash: string): boolean {
    return this.pending.has(infoHash);
  }

  /** Hides the torrent and offers Undo; deletes it once `undoMs` have passed. */
  delete(infoHash: string): void {
    const torrent = this.host.torrent(infoHash);
    if (!torrent || this.pending.has(infoHash)) return;
    const noticeId = this.host.showNotice(`Deleted "${torrent.name}".`, infoHash);
    this.pending.set(infoHash, {
      timer: setTimeout(() => void this.commit(infoHash), this.undoMs),
      dueMs: performance.now() + this.undoMs,
      heldLeftMs: null,
      noticeId,
      wasSelected: this.host.selected() === infoHash,
      committing: false,
    });
    this.host.refresh();
  }

  /**
   * Stops the countdown while the user reads the notice (the pointer is on it), and runs it
   * on from where it was when they leave: the time to undo is the user's, as WCAG's timing
   * rule asks. Focus does not hold it: focus goes to Undo by itself, and a delete held until
   * focus moves would wait for ever for a user who clicked and looked away.
   */
  hold(infoHash: string, held: boolean): void {
    const pending = this.pending.get(infoHash);
    if (!pending || pending.committing) return;
    if (held && pending.heldLeftMs === null) {
      if (pending.timer !== null) clearTimeout(pending.timer);
      pending.timer = null;
      pending.heldLeftMs = Math.max(0, pending.dueMs - performance.now());
    } else if (!held && pending.heldLeftMs !== null) {
      const left = pending.heldLeftMs;
      pending.heldLeftMs = null;
      pending.dueMs = performance.now() + left;
      pending.timer = setTimeout(() => void this.commit(infoHash), left);
    }
  }

  /** Brings the torrent back as it was; false when it is too late. */
  undo(infoHash: string): boolean {
    const pending = this.pending.get(infoHash);
    if (!pending || pending.committing) return false;
    if (pending.timer !== null) clearTimeout(pending.timer);
    this.pending.delete(infoHash);
    this.host.dropNotice(pending.noticeId);
    this.host.refresh();
    if (pending.wasSelected) this.host.select(infoHash);
    return true;
  }

  /** Deletes now (the time is up, or the user dismissed the notice). */
  async commit(infoHash: string): Promise<void> {
    const pending = this.pending.get(infoHash);
    if (!pending || pending.committing) return;
    if (pending.timer !== null) clearTimeout(pending.timer);
    pending.committing = true;
    this.host.dropNotice(pending.noticeId);
    try {
      await this.host.remove(infoHash);
    } finally {
      // Hidden until the engine no longer has it, so no refresh in between shows it again.
      this.pending.delete(infoHash);
      this.host.refresh();
    }
  }

  /** Like a closed page: deletes still waiting for their time never happen. */
  dispose(): void {
    for (const pending of this.pending.values())
      if (pending.timer !== null) clearTimeout(pending.timer);
    this.pending.clear();
  }
}
