/**
 * webtorrent's request round runs as a task posted to a MessageChannel, never from
 * `requestIdleCallback`.
 *
 * webtorrent's `_update()` (called after every block, `have`, unchoke and selection change)
 * asks for an idle callback with a 250 ms timeout, and the round it runs is what refills each
 * peer's request pipeline. A tab hidden for ~10 s gets about one idle callback a second from
 * Chromium, so every refill waits ~1 s and a hidden tab downloads at a small fraction of its
 * visible rate (webtorrent#1568). Messages on a MessageChannel are delivered as ordinary tasks,
 * which hidden tabs do not throttle, and they still let the page render and handle input
 * between rounds. Calls made before the round runs share it: one round per burst. A torrent
 * that has every piece runs none.
 */

/** The members of a webtorrent torrent this replaces and calls. */
export interface RoundTorrent {
  readonly destroyed?: boolean;
  /** Every piece is had: a round has nothing to request. */
  readonly done?: boolean;
  _update(): void;
  /** webtorrent's request round over every connection (what its idle callback runs). */
  _updateWireWrapper(): void;
}

const posted = new WeakSet<RoundTorrent>();

/** Makes `wt._update()` run its round as a posted task (idempotent). */
export function postRequestRounds(wt: RoundTorrent): void {
  if (posted.has(wt)) return;
  posted.add(wt);
  const channel = new MessageChannel();
  let pending = false;
  channel.port1.onmessage = () => {
    pending = false;
    if (wt.destroyed === true) {
      channel.port1.close();
      return;
    }
    wt._updateWireWrapper();
  };
  wt._update = (): void => {
    // A seeder's torrent is done: each `have` a peer sends called for a round that had
    // nothing to ask for (a posted task per `have`).
    if (pending || wt.destroyed === true || wt.done === true) return;
    pending = true;
    channel.port2.postMessage(null);
  };
}
