import { LitElement, css, html } from 'lit';
import { isTrackerUrl, type Settings } from '../../config/settings.ts';
import { controls, textFields } from '../shared-styles.ts';

export interface SettingsChange {
  readonly trackers: readonly string[] | null;
  /** Bytes, or null for the automatic budget. */
  readonly cacheBudgetBytes: number | null;
}

const MB = 1000 * 1000;

declare global {
  interface HTMLElementEventMap {
    'shoal-settings-change': CustomEvent<SettingsChange>;
  }
}

/**
 * The trackers every torrent announces to. Empty means the defaults for this origin (the
 * local tracker on localhost, public WebSocket trackers elsewhere).
 */
export class ShoalSettings extends LitElement {
  static override properties = {
    settings: { attribute: false },
    defaults: { attribute: false },
    error: { state: true },
    saved: { state: true },
  };

  declare settings: Settings | undefined;
  /** The trackers used when the setting is empty. */
  declare defaults: readonly string[];
  declare error: string;
  declare saved: boolean;

  constructor() {
    super();
    this.settings = undefined;
    this.defaults = [];
    this.error = '';
    this.saved = false;
  }

  static override styles = [
    controls,
    textFields,
    css`
      :host {
        display: block;
      }
      details {
        border: 1px solid var(--shoal-border);
        border-radius: 0.5rem;
        background: var(--shoal-surface);
        padding: 0.5rem 1rem;
      }
      summary {
        cursor: pointer;
        font-weight: 600;
      }
      textarea,
      input {
        min-height: 5rem;
        font-family: ui-monospace, monospace;
        font-size: 0.9em;
      }
      .error {
        color: var(--shoal-danger);
      }
    `,
  ];

  private readonly onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const field = this.renderRoot.querySelector<HTMLTextAreaElement>('#trackers');
    const lines = (field?.value ?? '')
      .split(/\s+/)
      .map((line) => line.trim())
      .filter((line) => line !== '');
    const bad = lines.filter((line) => !isTrackerUrl(line));
    if (bad.length > 0) {
      this.error = `Not a WebSocket tracker (ws:// or wss://): ${bad.join(', ')}`;
      this.saved = false;
      return;
    }
    const budgetText =
      this.renderRoot.querySelector<HTMLInputElement>('#cache-budget')?.value.trim() ?? '';
    const budgetMb = budgetText === '' ? null : Number(budgetText);
    if (budgetMb !== null && !(Number.isFinite(budgetMb) && budgetMb >= 0)) {
      this.error = `The cache budget must be a number of megabytes (or empty): "${budgetText}"`;
      this.saved = false;
      return;
    }
    this.error = '';
    this.saved = true;
    this.dispatchEvent(
      new CustomEvent('shoal-settings-change', {
        detail: {
          trackers: lines.length === 0 ? null : [...new Set(lines)],
          cacheBudgetBytes: budgetMb === null ? null : Math.round(budgetMb * MB),
        },
        bubbles: true,
        composed: true,
      }),
    );
  };

  override render() {
    const trackers = this.settings?.trackers ?? null;
    return html`<details>
      <summary>Settings</summary>
      <form @submit=${this.onSubmit}>
        <p>
          <label for="trackers">Trackers every torrent announces to, one per line</label>
        </p>
        <textarea
          class="text"
          id="trackers"
          spellcheck="false"
          placeholder=${this.defaults.join('\n')}
          aria-describedby="trackers-help trackers-error"
          .value=${trackers?.join('\n') ?? ''}
        ></textarea>
        <p id="trackers-help" class="muted">
          Leave empty for the defaults shown. A magnet's own trackers are always used too. Changes
          apply when the app is reloaded.
        </p>
        <p>
          <label for="cache-budget">Cache for streamed torrents, in MB</label>
        </p>
        <input
          class="text"
          id="cache-budget"
          inputmode="decimal"
          aria-describedby="cache-budget-help"
          placeholder="automatic"
          .value=${
            this.settings?.cacheBudgetBytes == null
              ? ''
              : String(this.settings.cacheBudgetBytes / MB)
          }
        />
        <p id="cache-budget-help" class="muted">
          Empty: 10 % of what the browser allows this site, from 50 MB to 10 GB. Torrents you keep
          do not count.
        </p>
        <p id="trackers-error" class="error" role="alert">${this.error}</p>
        <button type="submit">Save settings</button>
        <span role="status" class="muted"
          >${this.saved ? 'Saved. The cache budget applies now, trackers after a reload.' : ''}</span
        >
      </form>
    </details>`;
  }
}

customElements.define('shoal-settings', ShoalSettings);

declare global {
  interface HTMLElementTagNameMap {
    'shoal-settings': ShoalSettings;
  }
}
