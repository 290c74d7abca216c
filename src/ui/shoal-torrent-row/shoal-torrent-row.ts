import { LitElement, css, html, nothing } from 'lit';
import { cssProps } from '../css-props.ts';
import type { TorrentSnapshot } from '../../engine/types.ts';
import { dispatch } from '../events.ts';
import { STATE_LABELS, formatBytes, formatEta, formatPercent, formatRate } from '../format.ts';
import { controls } from '../shared-styles.ts';

/** One torrent in the list: live figures and pause/resume. */
export class ShoalTorrentRow extends LitElement {
  static override properties = {
    torrent: { attribute: false },
    selected: { type: Boolean, reflect: true },
  };

  declare torrent: TorrentSnapshot | undefined;
  declare selected: boolean;

  constructor() {
    super();
    this.torrent = undefined;
    this.selected = false;
  }

  static override styles = [
    controls,
    css`
      :host {
        display: block;
        padding: 0.75rem;
        border: 1px solid var(--shoal-border);
        border-radius: 0.5rem;
        background: var(--shoal-surface);
      }
      :host([selected]) {
        border-color: var(--shoal-accent);
      }
      .top {
        display: flex;
        align-items: center;
        gap: 0.5rem;
      }
      .name {
        flex: 1;
        min-width: 0;
        text-align: left;
        border: none;
        background: none;
        padding: 0;
        font-weight: 600;
      }
      dl {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1rem;
        margin: 0.5rem 0 0;
        font-size: 0.9em;
      }
      dl div {
        display: flex;
        gap: 0.3rem;
      }
      dt {
        color: var(--shoal-muted);
      }
      dd {
        margin: 0;
        font-variant-numeric: tabular-nums;
      }
      .bar {
        margin-top: 0.5rem;
      }
      .state-error {
        color: var(--shoal-danger);
      }
      .needs-access {
        margin: 0.4rem 0 0;
        color: var(--shoal-warning);
        overflow-wrap: anywhere;
      }
    `,
  ];

  override render() {
    const t = this.torrent;
    if (!t) return nothing;
    const paused = t.state === 'paused' || t.state === 'error';
    const label = STATE_LABELS[t.state];
    // Seeded from the user's files, which the browser wants allowed again: resuming asks.
    // That, and a pause for want of space, say why on the row.
    const needsAccess = t.inPlace?.needsAccess === true;
    const action = needsAccess ? 'Allow access' : paused ? 'Resume' : 'Pause';
    return html`
      <div class="top">
        <button
          class="name"
          title=${t.name}
          aria-pressed=${this.selected ? 'true' : 'false'}
          @click=${() => {
            dispatch(this, 'shoal-select', { infoHash: t.infoHash });
          }}
        >
          <span class="truncate">${t.name}</span>
        </button>
        <button
          data-action=${paused ? 'resume' : 'pause'}
          aria-label="${needsAccess ? 'Allow access to the files of' : action} ${t.name}"
          @click=${() => {
            dispatch(this, paused ? 'shoal-resume' : 'shoal-pause', { infoHash: t.infoHash });
          }}
        >
          ${action}
        </button>
      </div>
      ${
        (needsAccess || t.pausedForSpace === true) && t.warning
          ? html`<p class="needs-access" role="status">${t.warning}</p>`
          : nothing
      }
      <div
        class="bar"
        role="progressbar"
        aria-label="Progress of ${t.name}"
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${Math.floor(t.progress * 100)}
      >
        <div ${cssProps({ transform: `scaleX(${String(t.progress)})` })}></div>
      </div>
      <dl>
        <div>
          <dt>State</dt>
          <dd class="state state-${t.state}" data-state=${t.state}>${label}</dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd class="size">${t.lengthBytes === null ? '—' : formatBytes(t.lengthBytes)}</dd>
        </div>
        <div>
          <dt>Done</dt>
          <dd class="progress">${formatPercent(t.progress)}</dd>
        </div>
        <div>
          <dt>Down</dt>
          <dd class="down">${formatRate(t.downloadRateBytesPerS)}</dd>
        </div>
        <div>
          <dt>Up</dt>
          <dd class="up">${formatRate(t.uploadRateBytesPerS)}</dd>
        </div>
        <div>
          <dt>Peers</dt>
          <dd class="peers">${t.peers}</dd>
        </div>
        <div>
          <dt>ETA</dt>
          <dd class="eta">${formatEta(t.etaS)}</dd>
        </div>
      </dl>
    `;
  }
}

customElements.define('shoal-torrent-row', ShoalTorrentRow);

declare global {
  interface HTMLElementTagNameMap {
    'shoal-torrent-row': ShoalTorrentRow;
  }
}
