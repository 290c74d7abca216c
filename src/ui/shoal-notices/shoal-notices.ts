import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { NoticeEntry } from '../../store/app-store.ts';
import { dispatch } from '../events.ts';
import { controls } from '../shared-styles.ts';

/**
 * Messages about what went wrong (or right), each dismissable. Errors are announced. A
 * delete that can still be undone offers Undo; when the button the user pressed went away
 * with what it deleted, focus moves to that Undo.
 */
export class ShoalNotices extends LitElement {
  static override properties = {
    notices: { attribute: false },
  };

  declare notices: readonly NoticeEntry[];
  /** Deletes whose Undo notice the pointer is on (their countdown is held). */
  private readonly holding = new Set<string>();

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
        min-width: 0;
        margin: 0;
        overflow-wrap: anywhere;
      }
      .undo {
        font-weight: 600;
      }
    `,
  ];

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('notices')) return;
    const before = new Set((changed.get('notices') ?? []).map((n) => n.id));
    const fresh = this.notices.filter((n) => n.undo !== undefined && !before.has(n.id)).at(-1);
    if (fresh && focusLost()) {
      this.renderRoot.querySelector<HTMLButtonElement>(`#undo-${String(fresh.id)}`)?.focus();
    }
  }

  override render() {
    return html`<ul aria-label="Messages">
      ${repeat(
        this.notices,
        (n) => n.id,
        (n) =>
          html`<li
            class=${n.level}
            data-level=${n.level}
            @pointermove=${() => {
              // Moved onto by the user: a notice that appears under a resting pointer is
              // not being read, and would hold a delete for as long as the mouse rests.
              if (n.undo === undefined || this.holding.has(n.undo)) return;
              this.holding.add(n.undo);
              dispatch(this, 'shoal-hold-undo', { infoHash: n.undo, held: true });
            }}
            @pointerleave=${() => {
              if (n.undo === undefined || !this.holding.delete(n.undo)) return;
              dispatch(this, 'shoal-hold-undo', { infoHash: n.undo, held: false });
            }}
          >
            <p id="notice-${n.id}" role=${n.level === 'error' ? 'alert' : 'status'}>${n.message}</p>
            ${
              n.undo === undefined
                ? nothing
                : html`<button
                    id="undo-${n.id}"
                    class="undo"
                    aria-describedby="notice-${n.id}"
                    @click=${() => {
                      if (n.undo !== undefined)
                        dispatch(this, 'shoal-undo-delete', { infoHash: n.undo });
                    }}
                  >
                    Undo
                  </button>`
            }
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

/** Nothing has focus: what had it was removed (e.g. the torrent it deleted). */
function focusLost(): boolean {
  const active = document.activeElement;
  return active === null || active === document.body;
}

customElements.define('shoal-notices', ShoalNotices);

declare global {
  interface HTMLElementTagNameMap {
    'shoal-notices': ShoalNotices;
  }
}
