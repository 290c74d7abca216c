import { LitElement, css, html } from 'lit';

/**
 * Shown in a second Shoal tab: one tab per browser profile runs the torrents (two would
 * write the same pieces and undo each other's changes). Links opened here go to that tab.
 */
export class ShoalElsewhere extends LitElement {
  static override properties = {
    forwarded: { type: String },
  };

  /** Name or link of a torrent this tab handed to the other one, if any. */
  declare forwarded: string;

  constructor() {
    super();
    this.forwarded = '';
  }

  static override styles = css`
    :host {
      display: block;
      max-width: 40rem;
      margin: 3rem auto;
      padding: 1.5rem;
      border: 1px solid var(--shoal-border);
      border-radius: 0.5rem;
      background: var(--shoal-surface);
    }
    h1 {
      margin-top: 0;
      font-size: 1.4rem;
    }
  `;

  override render() {
    return html`
      <h1>Shoal is open in another tab</h1>
      <p>
        Your torrents run in one Shoal tab at a time. Switch to that tab, or close it: this one
        takes over by itself.
      </p>
      ${
        this.forwarded
          ? html`<p role="status">The link you opened was handed to the other tab.</p>`
          : html``
      }
    `;
  }
}

customElements.define('shoal-elsewhere', ShoalElsewhere);

declare global {
  interface HTMLElementTagNameMap {
    'shoal-elsewhere': ShoalElsewhere;
  }
}
