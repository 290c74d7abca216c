import { LitElement, css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { TorrentSnapshot } from '../../engine/types.ts';
import '../shoal-torrent-row/shoal-torrent-row.ts';

/** Every torrent, newest first. */
export class ShoalTorrentList extends LitElement {
  static override properties = {
    torrents: { attribute: false },
    selected: { attribute: false },
  };

  declare torrents: readonly TorrentSnapshot[];
  declare selected: string | null;

  constructor() {
    super();
    this.torrents = [];
    this.selected = null;
  }

  static override styles = css`
    :host {
      display: block;
    }
    ul {
      list-style: none;
      padding: 0;
      margin: 0;
      display: grid;
      /* A row is never wider than the list, however long its torrent's name. */
      grid-template-columns: minmax(0, 1fr);
      gap: 0.5rem;
    }
    .empty {
      color: var(--shoal-muted);
      text-align: center;
      padding: 2rem 1rem;
      border: 2px dashed var(--shoal-border);
      border-radius: 0.5rem;
    }
  `;

  override render() {
    if (this.torrents.length === 0) {
      return html`<p class="empty">
        No torrents yet. Paste a magnet link, open a .torrent file, or drop files here to share
        them.
      </p>`;
    }
    const sorted = [...this.torrents].sort((a, b) => b.addedAtMs - a.addedAtMs);
    return html`<ul aria-label="Torrents">
      ${repeat(
        sorted,
        (t) => t.infoHash,
        (t) =>
          html`<li>
            <shoal-torrent-row
              data-infohash=${t.infoHash}
              .torrent=${t}
              ?selected=${t.infoHash === this.selected}
            ></shoal-torrent-row>
          </li>`,
      )}
    </ul>`;
  }
}

customElements.define('shoal-torrent-list', ShoalTorrentList);

declare global {
  interface HTMLElementTagNameMap {
    'shoal-torrent-list': ShoalTorrentList;
  }
}
