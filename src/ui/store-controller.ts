import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** A store a component can follow: its current state, and word when it changes. */
export interface Subscribable<S> {
  readonly state: S;
  subscribe(listener: (state: S) => void): () => void;
}

/** Keeps a host rendering the store's current state while it is connected. */
export class StoreController<S> implements ReactiveController {
  state: S;
  private unsubscribe: (() => void) | null = null;

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
      this.state = state;
      this.host.requestUpdate();
    });
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
