/**
 * A webtorrent torrent as the port's priority writer (src/engine/swarm/priorities.ts) sees
 * it, recording each call it makes: `window`/`unwindow` for stream selections, `select`,
 * `deselect` and `critical` as webtorrent names them.
 */
import type { SelectableTorrent } from '../../../src/engine/swarm/priorities.ts';

export class SelectionRecorder implements SelectableTorrent {
  readonly pieces: { readonly length: number };
  strategy: 'sequential' | 'rarest' = 'rarest';
  calls: string[] = [];
  constructor(pieceCount: number) {
    this.pieces = { length: pieceCount };
  }
  select(from: number, to: number, priority = 0): void {
    this.calls.push(`select ${String(from)}-${String(to)} p${String(priority)}`);
  }
  deselect(from: number, to: number): void {
    this.calls.push(`deselect ${String(from)}-${String(to)}`);
  }
  critical(from: number, to: number): void {
    this.calls.push(`critical ${String(from)}-${String(to)}`);
  }
  _select(from: number, to: number, priority: number): void {
    this.calls.push(`window ${String(from)}-${String(to)} p${String(priority)}`);
  }
  _deselect(from: number, to: number): void {
    this.calls.push(`unwindow ${String(from)}-${String(to)}`);
  }
}
