import { LitElement, css, html, nothing } from 'lit';
import type { StorageStatus } from '../../store/app-store.ts';
import { formatBytes } from '../format.ts';
import { controls } from '../shared-styles.ts';

/** How much of this site's browser storage the torrents use, and whether it is kept. */
export class ShoalStorage extends LitElement {
  static override properties = {
    status: { attribute: false },
  };

  declare status: StorageStatus | null;

  constructor() {
    super();
    this.status = null;
  }

  static override styles = [
    controls,
    css`
      :host {
        display: block;
        font-size: 0.9em;
      }
      .bar {
        margin: 0.3rem 0;
      }
      p {
        margin: 0;
      }
    `,
  ];

  override render() {
    const s = this.status;
    if (!s) return nothing;
    const share = s.quotaBytes > 0 ? Math.min(1, s.usageBytes / s.quotaBytes) : 0;
    return html`
      <p class="muted">
        <span class="usage"
          >Storage: ${formatBytes(s.usageBytes)} used of ${formatBytes(s.quotaBytes)} this browser
          allows</span
        >
        ·
        <span class="persisted"
          >${
            s.persisted ? 'kept by the browser' : 'the browser may clear it when the disk runs low'
          }</span
        >
      </p>
      <div
        class="bar"
        role="progressbar"
        aria-label="Storage used"
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${Math.round(share * 100)}
      >
        <div style="width: ${String(share * 100)}%"></div>
      </div>
    `;
  }
}

customElements.define('shoal-storage', ShoalStorage);

declare global {
  interface HTMLElementTagNameMap {
    'shoal-storage': ShoalStorage;
  }
}
