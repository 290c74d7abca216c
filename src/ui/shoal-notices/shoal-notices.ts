import { LitElement, css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { NoticeEntry } from '../../store/app-store.ts';
import { dispatch } from '../events.ts';
import { controls } from '../shared-styles.ts';

/** Messages about what went wrong (or right), each dismissable. Errors are announced. */
export class ShoalNotices extends LitElement {
  static override properties = {
    notices: { attribute: false },
  };

  declare notices: readonly NoticeEntry[];

  constructor() {
    super();
    this.notices = [];
  }

  static override styles = [
    controls,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.4rem;
      }
      li {
        display: flex;
        align-items: start;
        gap: 0.75rem;
        padding: 0.6rem 0.75rem;
        border-radius: 0.4rem;
        border-left: 4px solid var(--shoal-accent);
        background: var(--shoal-surface);
      }
      li.error {
        border-left-color: var(--shoal-danger);
      }
      li.warning {
        border-left-color: var(--shoal-warning);
      }
      p {
        flex: 1;
        margin: 0;
        overflow-wrap: anywhere;
      }
    `,
  ];

  override render() {
    return html`<ul aria-label="Messages">
      ${repeat(
        this.notices,
        (n) => n.id,
        (n) =>
          html`<li class=${n.level} data-level=${n.level}>
            <p role=${n.level === 'error' ? 'alert' : 'status'}>${n.message}</p>
            <button
              aria-label="Dismiss message"
              @click=${() => {
                dispatch(this, 'shoal-dismiss-notice', { id: n.id });
              }}
            >
              ×
            </button>
          </li>`,
      )}
    </ul>`;
  }
}

customElements.define('shoal-notices', ShoalNotices);

declare global {
  interface HTMLElementTagNameMap {
    'shoal-notices': ShoalNotices;
  }
}
