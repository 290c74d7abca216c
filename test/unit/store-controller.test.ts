import { expect, fixture, html as testHtml } from '@open-wc/testing';
import { LitElement, html } from 'lit';
import { StoreController } from '../../src/ui/store-controller.ts';

/** The least store a component can follow. */
class CountStore {
  state = { count: 0 };
  private readonly listeners = new Set<(state: { count: number }) => void>();
  subscribe(listener: (state: { count: number }) => void): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }
  bump(): void {
    this.state = { count: this.state.count + 1 };
    for (const listener of this.listeners) listener(this.state);
  }
}

const store = new CountStore();
const events: string[] = [];

class CountView extends LitElement {
  readonly store = new StoreController(this, store);
  override render() {
    events.push(`render ${String(this.store.state.count)}`);
    return html`<p>${this.store.state.count}</p>`;
  }
}
customElements.define('count-view', CountView);

describe('StoreController', () => {
  it('renders a change in a task after it: what the page was given to do first goes first, and a burst renders once', async () => {
    const view = await fixture<CountView>(testHtml`<count-view></count-view>`);
    events.length = 0;
    // A message already queued when the change is made (a peer's, in the app).
    const queued = new MessageChannel();
    queued.port1.onmessage = () => events.push('queued message');
    queued.port2.postMessage(null);
    store.bump();
    store.bump();
    store.bump();
    expect(events).to.deep.equal([]);
    await view.store.rendered();
    expect(events).to.deep.equal(['queued message', 'render 3']);
    expect(view.shadowRoot?.querySelector('p')?.textContent).to.equal('3');
    queued.port1.close();
  });
});
