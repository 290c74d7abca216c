import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AppState, AppStore } from '../store/app-store.ts';

/** Keeps a host rendering the store's current state while it is connected. */
export class StoreController implements ReactiveController {
  state: AppState;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly store: AppStore,
  ) {
    this.state = store.state;
    host.addController(this);
  }

  hostConnected(): void {
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
