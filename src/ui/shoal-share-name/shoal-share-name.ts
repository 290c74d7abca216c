import { LitElement, css, html } from 'lit';
import { dispatch } from '../events.ts';
import { controls, textFields } from '../shared-styles.ts';

/**
 * Asks the name of a share of several files before it is made: the name is in the torrent's
 * metadata (and so in its info-hash and magnet link), so it cannot change once shared. Offers
 * the name it would get (the folder's, or "N files"). A modal dialog: Share, or Cancel
 * (Escape) to share nothing; an empty name keeps the one offered.
 */
export class ShoalShareName extends LitElement {
  static override properties = {
    count: { type: Number },
    suggested: {},
  };

  /** How many files are shared. */
  declare count: number;
  /** The name the share gets unless the user changes it. */
  declare suggested: string;
  private answered = false;

  constructor() {
    super();
    this.count = 0;
    this.suggested = '';
  }

  static override styles = [
    controls,
    textFields,
    css`
      dialog {
        border: 1px solid var(--shoal-border);
        border-radius: 0.5rem;
        background: var(--shoal-surface);
        color: inherit;
        width: min(28rem, calc(100vw - 2rem));
        box-sizing: border-box;
      }
      h2 {
        font-size: 1.1rem;
        margin: 0 0 0.75rem;
      }
      .actions {
        display: flex;
        justify-content: flex-end;
        gap: 0.5rem;
        margin-top: 0.75rem;
      }
      button.primary {
        background: var(--shoal-accent);
        border-color: var(--shoal-accent);
        color: var(--shoal-on-accent);
      }
    `,
  ];

  override firstUpdated(): void {
    this.renderRoot.querySelector('dialog')?.showModal();
    this.renderRoot.querySelector('input')?.select();
  }

  /** Answers once: the name given (blank: the one offered), or null for Cancel. */
  private answer(name: string | null): void {
    if (this.answered) return;
    this.answered = true;
    this.renderRoot.querySelector('dialog')?.close();
    const given = name?.trim();
    dispatch(this, 'shoal-share-name', {
      name: name === null ? null : given === '' || given === undefined ? this.suggested : given,
    });
  }

  private readonly onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    this.answer(this.renderRoot.querySelector('input')?.value ?? '');
  };

  override render() {
    return html`<dialog
      aria-labelledby="share-name-title"
      @cancel=${(e: Event) => {
        e.preventDefault();
        this.answer(null);
      }}
    >
      <form @submit=${this.onSubmit}>
        <h2 id="share-name-title">Share ${this.count} files</h2>
        <label for="share-name">Name others see</label>
        <input
          class="text"
          id="share-name"
          name="name"
          maxlength="255"
          autocomplete="off"
          aria-describedby="share-name-help"
          .value=${this.suggested}
        />
        <p id="share-name-help" class="muted">
          The files keep their own names inside it. It cannot change once shared.
        </p>
        <div class="actions">
          <button
            type="button"
            @click=${() => {
              this.answer(null);
            }}
          >
            Cancel
          </button>
          <button type="submit" class="primary">Share</button>
        </div>
      </form>
    </dialog>`;
  }
}

customElements.define('shoal-share-name', ShoalShareName);

declare global {
  interface HTMLElementTagNameMap {
    'shoal-share-name': ShoalShareName;
  }
}
