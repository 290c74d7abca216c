import { LitElement, css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { TorrentSnapshot } from '../../engine/types.ts';
import '../shoal-torrent-row/shoal-torrent-row.ts';
import { dispatch } from '../events.ts';
import { controls } from '../shared-styles.ts';

/** Every torrent, newest first. */
export class ShoalTorrentList extends LitElement {
  static override properties = {
    torrents: { attribute: false },
    selected: { attribute: false },
    demo: { type: Boolean },
  };

  declare torrents: readonly TorrentSnapshot[];
  declare selected: string | null;
  /** The app's server has a demo to offer while the list is empty. */
  declare demo: boolean;

  constructor() {
    super();
    this.torrents = [];
    this.selected = null;
    this.demo = false;
  }

  static override styles = [
    controls,
    css`
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
      .demo {
        margin-top: 1rem;
      }
    `,
  ];

  override render() {
    if (this.torrents.length === 0) {
      return html`<div class="empty">
        <p>
          No torrents yet. Paste a magnet link, open a .torrent file, or drop files here to share
          them.
        </p>
        ${
          this.demo
            ? html`<p class="demo">
                <button
                  @click=${() => {
                    dispatch(this, 'shoal-play-demo', {});
                  }}
                >
                  Play the demo video
                </button>
                <br />
                A short video shared by this app's own server: it plays at once, with no other peer,
                and shows where its bytes came from.
              </p>`
            : nothing
        }
      </div>`;
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
