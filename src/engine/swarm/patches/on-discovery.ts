/**
 * Runs a patch of a torrent's trackers as soon as its discovery makes them, before any of
 * them has answered: webtorrent starts discovery after the add returns (on listening, or once
 * its store is ready), or at once for a torrent whose add went that far.
 */

/** The trackers of a torrent whose discovery has started (none before). */
export interface Discovering {
  readonly discovery?: { tracker?: { _trackers?: readonly object[] } | null } | null;
}

export function onDiscovery(
  wt: Discovering & { _startDiscovery(): void },
  patch: (trackers: readonly object[]) => void,
): void {
  const run = (): void => {
    patch(wt.discovery?.tracker?._trackers ?? []);
  };
  const start = wt._startDiscovery.bind(wt);
  wt._startDiscovery = () => {
    start();
    run();
  };
  if (wt.discovery) run();
}
