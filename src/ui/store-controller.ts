import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { drained, taskQueue } from '../next-task.ts';

/** Every controller's renders, each burst in a task of its own. */
const renders = taskQueue();

/** A store a component can follow: its current state, and word when it changes. */
export interface Subscribable<S> {
  readonly state: S;
  subscribe(listener: (state: S) => void): () => void;
}

/**
 * Keeps a host rendering the store's current state while it is connected. A change is
 * rendered in the task after it, not in the one that made it: what the page was already
 * given to do goes first (a neighbour's answer to the torrent just added, a peer's blocks;
 * rendering the new row in the add's own task held the next torrent's warm start ~10 ms),
 * and the changes of one burst render once. The row still appears in the next frame.
 */
export class StoreController<S> implements ReactiveController {
  state: S;
  private unsubscribe: (() => void) | null = null;
  private queued = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly store: Subscribable<S>,
  ) {
    this.state = store.state;
    host.addController(this);
  }

  hostConnected(): void {
    this.state = this.store.state;
    this.unsubscribe = this.store.subscribe((state) => {
      if (state === this.state) return;
      this.state = state;
      if (this.queued) return;
      this.queued = true;
      renders(() => {
        this.queued = false;
        this.host.requestUpdate();
      });
    });
  }

  /** Resolves once the host has rendered the store's latest state. */
  async rendered(): Promise<void> {
    // Queued after this controller's own task: the host's update has been asked for by then.
    if (this.queued) await drained(renders);
    await this.host.updateComplete;
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
