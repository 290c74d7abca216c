import { LitElement, css, html, nothing } from 'lit';
import type { PwaState } from '../../pwa/pwa-store.ts';
import { dispatch } from '../events.ts';
import { controls } from '../shared-styles.ts';

/**
 * The app-level offers and news: install, a new version waiting (never applied behind the
 * user's back), being offline, opening magnet links, notifications.
 */
export class ShoalPwaBar extends LitElement {
  static override properties = {
    state: { attribute: false },
  };

  declare state: PwaState | null;

  constructor() {
    super();
    this.state = null;
  }

  static override styles = [
    controls,
    css`
      :host {
        display: grid;
        gap: 0.5rem;
      }
      .banner {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1rem;
        padding: 0.6rem 0.8rem;
        border-radius: 0.5rem;
        border: 1px solid var(--shoal-border);
        background: var(--shoal-surface);
      }
      .banner p {
        margin: 0;
        flex: 1 1 14rem;
      }
      .update {
        border-color: var(--shoal-accent);
      }
      .offline {
        border-color: var(--shoal-warning);
      }
      .offers {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
    `,
  ];

  override render() {
    const s = this.state;
    if (!s) return nothing;
    const offers = [
      s.installable
        ? html`<button
            @click=${() => {
              dispatch(this, 'shoal-install', {});
            }}
          >
            Install Shoal
          </button>`
        : nothing,
      s.magnetHandler === 'offered'
        ? html`<button
            @click=${() => {
              dispatch(this, 'shoal-handle-magnets', {});
            }}
          >
            Open magnet links with Shoal
          </button>`
        : nothing,
      s.notifications === 'default'
        ? html`<button
            @click=${() => {
              dispatch(this, 'shoal-enable-notifications', {});
            }}
          >
            Notify me when downloads finish
          </button>`
        : nothing,
    ];
    return html`
      ${
        s.updateWaiting
          ? html`<div class="banner update" role="alert">
              <p>
                A new version of Shoal is ready. Reloading pauses transfers for a moment; they
                resume by themselves.
              </p>
              <button
                @click=${() => {
                  dispatch(this, 'shoal-apply-update', {});
                }}
              >
                Reload now
              </button>
              <button
                @click=${() => {
                  dispatch(this, 'shoal-dismiss-update', {});
                }}
              >
                Later
              </button>
            </div>`
          : nothing
      }
      ${
        s.online
          ? nothing
          : html`<div class="banner offline" role="status">
              <p>
                You are offline. Shoal shows and plays what it holds; new downloads and sharing wait
                for the network.
              </p>
            </div>`
      }
      ${offers.some((o) => o !== nothing) ? html`<div class="offers">${offers}</div>` : nothing}
      ${
        s.magnetHandler === 'asked'
          ? html`<p class="muted" role="status">
              Your browser may ask you to confirm that Shoal opens magnet links.
            </p>`
          : nothing
      }
    `;
  }
}

customElements.define('shoal-pwa-bar', ShoalPwaBar);

declare global {
  interface HTMLElementTagNameMap {
    'shoal-pwa-bar': ShoalPwaBar;
  }
}
