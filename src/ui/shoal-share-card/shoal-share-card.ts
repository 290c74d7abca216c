import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import QRCode from 'qrcode';
import type { TorrentSnapshot } from '../../engine/types.ts';
import { dispatch } from '../events.ts';
import { formatBytes } from '../format.ts';
import { controls } from '../shared-styles.ts';

/** A link that opens this torrent in Shoal: what a phone camera can open from the QR code. */
export const appLinkFor = (origin: string, magnet: string): string => {
  const url = new URL('/', origin);
  url.searchParams.set('magnet', magnet);
  return url.href;
};

/**
 * What the user just shared: the torrent's magnet link, a QR code that opens it in Shoal,
 * copy buttons and the system share sheet.
 */
export class ShoalShareCard extends LitElement {
  static override properties = {
    torrent: { attribute: false },
    origin: { attribute: false },
    qr: { state: true },
    copied: { state: true },
  };

  declare torrent: TorrentSnapshot | null;
  /** The app's origin, for the link in the QR code. */
  declare origin: string;
  declare qr: string;
  declare copied: 'link' | 'magnet' | 'manual' | null;

  constructor() {
    super();
    this.torrent = null;
    this.origin = location.origin;
    this.qr = '';
    this.copied = null;
  }

  static override styles = [
    controls,
    css`
      :host {
        display: block;
        border: 1px solid var(--shoal-accent);
        border-radius: 0.6rem;
        padding: 1rem;
        background: var(--shoal-surface);
      }
      h2 {
        margin: 0 0 0.5rem;
        font-size: 1.15rem;
      }
      .layout {
        display: flex;
        gap: 1rem;
        flex-wrap: wrap;
        align-items: flex-start;
      }
      img {
        width: 12rem;
        height: 12rem;
        max-width: 100%;
        image-rendering: pixelated;
        background: #fff;
        border-radius: 0.3rem;
      }
      .text {
        flex: 1 1 14rem;
        min-width: 0;
        display: grid;
        gap: 0.5rem;
      }
      label {
        display: grid;
        gap: 0.2rem;
        font-size: 0.9em;
      }
      input {
        font: inherit;
        min-width: 0;
        padding: 0.35rem;
        border-radius: 0.3rem;
        border: 1px solid var(--shoal-border);
        background: var(--shoal-bg);
        color: inherit;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      p {
        margin: 0;
      }
    `,
  ];

  private get link(): string {
    return this.torrent ? appLinkFor(this.origin, this.torrent.magnetURI) : '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('torrent') || changed.has('origin')) {
      const link = this.link;
      if (link === '') {
        this.qr = '';
        return;
      }
      const before: TorrentSnapshot | null | undefined = changed.get('torrent');
      if (before?.magnetURI === this.torrent?.magnetURI && !changed.has('origin')) return;
      QRCode.toDataURL(link, { errorCorrectionLevel: 'M', margin: 2, width: 384 })
        .then((url) => {
          if (link === this.link) this.qr = url;
        })
        .catch(() => {
          this.qr = '';
        });
    }
  }

  private async copy(which: 'link' | 'magnet'): Promise<void> {
    const text = which === 'link' ? this.link : (this.torrent?.magnetURI ?? '');
    try {
      await navigator.clipboard.writeText(text);
      this.copied = which;
    } catch {
      const input = this.renderRoot.querySelector<HTMLInputElement>(`#share-${which}`);
      input?.focus();
      input?.select();
      this.copied = 'manual';
    }
  }

  private async shareOn(): Promise<void> {
    const t = this.torrent;
    if (!t) return;
    try {
      await navigator.share({
        title: t.name,
        text: `${t.name} — open it with Shoal`,
        url: this.link,
      });
    } catch {
      // Dismissed, or the share sheet failed: the link is still on screen to copy.
    }
  }

  override render() {
    const t = this.torrent;
    if (!t) return nothing;
    const canShare = typeof navigator.share === 'function';
    return html`
      <section aria-labelledby="share-title">
        <h2 id="share-title" class="truncate" title=${t.name}>Ready to share: ${t.name}</h2>
        <div class="layout">
          ${
            this.qr === ''
              ? nothing
              : html`<img
                  src=${this.qr}
                  alt="QR code that opens ${t.name} in Shoal"
                  width="192"
                  height="192"
                />`
          }
          <div class="text">
            <p class="muted">
              ${t.lengthBytes === null ? '' : `${formatBytes(t.lengthBytes)} · `}${t.files.length}
              ${t.files.length === 1 ? 'file' : 'files'} · shared while this tab stays open
            </p>
            <label
              >Link that opens it in Shoal
              <input id="share-link" readonly .value=${this.link} />
            </label>
            <label
              >Magnet link
              <input id="share-magnet" readonly .value=${t.magnetURI} />
            </label>
            <div class="actions">
              ${
                canShare
                  ? html`<button @click=${() => void this.shareOn()}>Share link…</button>`
                  : nothing
              }
              <button @click=${() => void this.copy('link')}>
                ${this.copied === 'link' ? 'Link copied' : 'Copy link'}
              </button>
              <button @click=${() => void this.copy('magnet')}>
                ${this.copied === 'magnet' ? 'Magnet copied' : 'Copy magnet'}
              </button>
              <button
                @click=${() => {
                  dispatch(this, 'shoal-share', { infoHash: null });
                }}
              >
                Done
              </button>
            </div>
            <p role="status" class="muted">
              ${this.copied === 'manual' ? 'Selected: press Ctrl+C (or long-press) to copy.' : ''}
            </p>
          </div>
        </div>
      </section>
    `;
  }
}

customElements.define('shoal-share-card', ShoalShareCard);

declare global {
  interface HTMLElementTagNameMap {
    'shoal-share-card': ShoalShareCard;
  }
}
