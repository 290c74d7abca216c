import type { Engine } from '../engine/types.ts';
import type { HoldsMessage } from './protocol.ts';

/**
 * Tells the service worker which torrents this tab holds, whenever that changes, so that a
 * stream's first request goes straight to this tab. Without it the worker asked the tabs
 * first (`shoal-has`), a round trip through a tab that is busy connecting and downloading
 * just then: 40–100 ms of a play's start in `npm run bench -- --only stream --trace`. The
 * worker still asks when it has not heard (it was restarted, or the tab is older than it).
 */
export class HeldTorrents {
  private readonly held = new Set<string>();
  private readonly offs: (() => void)[] = [];

  private readonly onControllerChange = (): void => {
    this.tell();
  };

  constructor(
    engine: Pick<Engine, 'has' | 'on' | 'snapshots'>,
    private readonly container: Pick<
      ServiceWorkerContainer,
      'controller' | 'addEventListener' | 'removeEventListener'
    >,
  ) {
    for (const torrent of engine.snapshots()) this.held.add(torrent.infoHash);
    const added = (infoHash: string): void => {
      if (this.held.has(infoHash) || !engine.has(infoHash)) return;
      this.held.add(infoHash);
      this.tell();
    };
    this.offs.push(
      // An added torrent is persisted at once; 'change' is the engine's other news of it.
      engine.on('persist', added),
      engine.on('change', added),
      engine.on('removed', (infoHash) => {
        if (this.held.delete(infoHash)) this.tell();
      }),
    );
    container.addEventListener('controllerchange', this.onControllerChange);
    this.tell();
  }

  dispose(): void {
    for (const off of this.offs) off();
    this.container.removeEventListener('controllerchange', this.onControllerChange);
  }

  private tell(): void {
    const message: HoldsMessage = { type: 'shoal-holds', infoHashes: [...this.held] };
    this.container.controller?.postMessage(message);
  }
}
