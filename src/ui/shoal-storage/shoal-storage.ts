import { LitElement, css, html, nothing } from 'lit';
import { cssProps } from '../css-props.ts';
import type { TorrentSnapshot } from '../../engine/types.ts';
import type { AppState, StorageStatus } from '../../store/app-store.ts';
import { dispatch } from '../events.ts';
import { formatBytes } from '../format.ts';
import { controls } from '../shared-styles.ts';

/**
 * This site's browser storage: use against the quota and whether it is kept, the cache of
 * streamed torrents against its budget, and what each torrent holds, to keep or free.
 */
export class ShoalStorage extends LitElement {
  static override properties = {
    status: { attribute: false },
    torrents: { attribute: false },
    retention: { attribute: false },
    cache: { attribute: false },
  };

  declare status: StorageStatus | null;
  declare torrents: readonly TorrentSnapshot[];
  declare retention: AppState['retention'];
  declare cache: AppState['cache'];

  constructor() {
    super();
    this.status = null;
    this.torrents = [];
    this.retention = {};
    this.cache = null;
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
      summary {
        cursor: pointer;
        min-height: 1.5rem;
      }
      .cache {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: center;
        margin: 0.5rem 0;
      }
      table {
        width: 100%;
        border-collapse: collapse;
      }
      th,
      td {
        text-align: left;
        padding: 0.3rem 0.4rem;
        border-bottom: 1px solid var(--shoal-border);
      }
      /* The name takes what the other columns leave, cut with an ellipsis. */
      td.name {
        width: 100%;
        max-width: 0;
        overflow: hidden;
        white-space: nowrap;
        text-overflow: ellipsis;
      }
      td.num {
        white-space: nowrap;
        font-variant-numeric: tabular-nums;
      }
      td.actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3rem;
      }
    `,
  ];

  private isKept(infoHash: string): boolean {
    return this.retention[infoHash]?.kept ?? true;
  }

  override render() {
    const s = this.status;
    if (!s) return nothing;
    const share = s.quotaBytes > 0 ? Math.min(1, s.usageBytes / s.quotaBytes) : 0;
    const cached = this.torrents.filter((t) => !this.isKept(t.infoHash));
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
        <div ${cssProps({ transform: `scaleX(${String(share)})` })}></div>
      </div>
      <details>
        <summary>Storage by torrent</summary>
        ${
          this.cache
            ? html`<div class="cache">
                <p class="cache-line">
                  Cache of streamed torrents: ${formatBytes(this.cache.usageBytes)} of
                  ${formatBytes(this.cache.budgetBytes)}; the least recently used go first when it
                  is full. Kept torrents stay until you remove them.
                </p>
                <button
                  ?disabled=${cached.length === 0}
                  @click=${() => {
                    dispatch(this, 'shoal-clear-cache', {});
                  }}
                >
                  Clear cache
                </button>
              </div>`
            : nothing
        }
        ${
          this.torrents.length === 0
            ? html`<p class="muted">Nothing stored yet.</p>`
            : html`<table>
                <caption class="muted">
                  What each torrent holds
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Torrent</th>
                    <th scope="col">Stored</th>
                    <th scope="col">Kept</th>
                    <th scope="col"><span class="muted">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${this.torrents.map((t) => this.renderRow(t))}
                </tbody>
              </table>`
        }
      </details>
    `;
  }

  private renderRow(t: TorrentSnapshot) {
    const kept = this.isKept(t.infoHash);
    return html`<tr data-info-hash=${t.infoHash}>
      <td class="name" title=${t.name}>${t.name}</td>
      <td class="num">
        ${t.inPlace ? html`<span class="muted">in your files</span>` : formatBytes(t.downloadedBytes)}
      </td>
      <td class="kept">${kept ? 'Kept' : 'Cache'}</td>
      <td class="actions">
        <button
          aria-label="${kept ? 'Let it be cache' : 'Keep'}: ${t.name}"
          @click=${() => {
            dispatch(this, 'shoal-keep', { infoHash: t.infoHash, kept: !kept });
          }}
        >
          ${kept ? 'Let it be cache' : 'Keep'}
        </button>
        <button
          class="danger"
          aria-label="Delete ${t.name} and its data"
          @click=${() => {
            dispatch(this, 'shoal-remove', { infoHash: t.infoHash, deleteData: true });
          }}
        >
          Delete
        </button>
      </td>
    </tr>`;
  }
}

customElements.define('shoal-storage', ShoalStorage);

declare global {
  interface HTMLElementTagNameMap {
    'shoal-storage': ShoalStorage;
  }
}
