/**
 * Writes a priority plan into webtorrent's selections, critical pieces and strategy: the only
 * code that does (piece streams hold their own range's selection, as webtorrent's own file
 * streams do). Each plan is applied as the difference from the one before.
 */
import type { PieceRange } from '../policy/playhead-window.ts';
import { IDLE_PRIORITIES, type PriorityPlan } from './port.ts';

/** Above the priority (1) webtorrent gives the rest of a stream's range. */
export const WINDOW_PRIORITY = 2;

/** The members of a webtorrent torrent a plan is written to. */
export interface SelectableTorrent {
  readonly pieces: { readonly length: number };
  strategy: 'sequential' | 'rarest';
  select(from: number, to: number, priority?: number): void;
  deselect(from: number, to: number): void;
  critical(from: number, to: number): void;
  /**
   * webtorrent's stream selections (what its own file streams use): never merged with other
   * selections, and each removed exactly, one for one. Public `select` merges a range
   * with any overlapping or adjacent one and keeps the higher priority, so a window over
   * the whole-torrent selection would raise the whole torrent.
   */
  _select(from: number, to: number, priority: number, notify: null, isStream: true): void;
  _deselect(from: number, to: number, isStream: true): void;
}

const key = (r: PieceRange): string => `${String(r.from)}-${String(r.to)}`;

export class PriorityWriter {
  private applied: PriorityPlan = IDLE_PRIORITIES;

  constructor(private readonly torrent: SelectableTorrent) {}

  apply(next: PriorityPlan): void {
    const t = this.torrent;
    const prev = this.applied;
    const last = t.pieces.length - 1;
    if (last < 0) return;
    // A range named twice (a prefetch that is also a window) is one selection.
    const windows = [...new Map(next.windows.map((r) => [key(r), r])).values()];
    this.applied = { ...next, windows };
    const kept = new Set(windows.map(key));
    const had = new Set(prev.windows.map(key));
    for (const r of prev.windows) if (!kept.has(key(r))) t._deselect(r.from, r.to, true);
    for (const r of windows) {
      if (!had.has(key(r))) t._select(r.from, r.to, WINDOW_PRIORITY, null, true);
    }
    // The whole-torrent selection (priority 0) is the rest: off while a buffer is short.
    if (prev.fillRest && !next.fillRest) t.deselect(0, last);
    if (!prev.fillRest && next.fillRest) t.select(0, last, 0);
    for (const r of next.critical) t.critical(r.from, r.to);
    t.strategy = next.strategy;
  }
}
