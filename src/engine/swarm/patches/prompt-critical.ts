/**
 * A piece a stream waits for is requested in the task that marked it critical.
 *
 * webtorrent's `critical()` ends with `_update()`, and in a browser that is a
 * `requestIdleCallback` with a 250 ms timeout: the request round runs when the page is next
 * idle. While blocks are arriving the page is rarely idle. In a traced seek of
 * `npm run bench -- --only stream` the seek's first piece was marked critical at +44 ms and
 * its request left at +120 ms.
 *
 * Here each `critical()` is followed, once the calling task's microtasks are done, by one
 * request round over the torrent's connections (several calls in a task make one round).
 * webtorrent's idle round still runs later, and finds the pipelines full.
 */

/** The members of a webtorrent torrent this reads and wraps. */
export interface CriticalTorrent {
  readonly destroyed?: boolean;
  readonly ready?: boolean;
  readonly paused?: boolean;
  critical(from: number, to: number): void;
  /** webtorrent's request round over every connection (what its idle callback runs). */
  _updateWireWrapper(): void;
}

const prompted = new WeakSet<CriticalTorrent>();

/** Makes `wt.critical()` request at once (idempotent). */
export function promptCritical(wt: CriticalTorrent): void {
  if (prompted.has(wt)) return;
  prompted.add(wt);
  const original = wt.critical.bind(wt);
  let scheduled = false;
  const round = (): void => {
    scheduled = false;
    // A paused torrent asks for nothing (webtorrent's idle round would not either).
    if (wt.destroyed === true || wt.ready !== true || wt.paused === true) return;
    wt._updateWireWrapper();
  };
  wt.critical = (from: number, to: number): void => {
    original(from, to);
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(round);
  };
}
