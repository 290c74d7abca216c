import { LitElement, css, html, nothing } from 'lit';
import { controls } from '../shared-styles.ts';

/**
 * Plays a torrent's file as it downloads: the element's Range requests go to our service
 * worker, which streams them from the swarm. A file the browser cannot decode says so.
 */
export class ShoalPlayer extends LitElement {
  static override properties = {
    src: { type: String },
    kind: { type: String },
    name: { type: String },
    failure: { state: true },
  };

  declare src: string;
  declare kind: 'video' | 'audio';
  declare name: string;
  declare failure: string;

  constructor() {
    super();
    this.src = '';
    this.kind = 'video';
    this.name = '';
    this.failure = '';
  }

  static override styles = [
    controls,
    css`
      :host {
        display: block;
        margin: 0.75rem 0;
      }
      video {
        width: 100%;
        max-height: 70vh;
        background: #000;
        border-radius: 0.4rem;
      }
      audio {
        width: 100%;
      }
      .failure {
        color: var(--shoal-danger);
      }
    `,
  ];

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A removed element keeps loading (preload=auto) unless its source goes.
    const media = this.renderRoot.querySelector<HTMLMediaElement>('video, audio');
    if (media) {
      media.removeAttribute('src');
      media.load();
    }
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('src')) this.failure = '';
  }

  private readonly onError = (event: Event): void => {
    const media = event.target as HTMLMediaElement;
    const code = media.error?.code;
    this.failure =
      code === MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED || code === MediaError.MEDIA_ERR_DECODE
        ? `This browser cannot play "${this.name}". Save it and open it in another player.`
        : `"${this.name}" stopped playing: ${media.error?.message ?? 'unknown error'}.`;
  };

  override render() {
    if (!this.src) return nothing;
    const label = `Playing ${this.name}`;
    return html`
      ${
        this.kind === 'audio'
          ? html`<audio
              controls
              autoplay
              preload="auto"
              aria-label=${label}
              src=${this.src}
              @error=${this.onError}
            ></audio>`
          : html`<video
              controls
              autoplay
              playsinline
              preload="auto"
              aria-label=${label}
              src=${this.src}
              @error=${this.onError}
            ></video>`
      }
      ${this.failure ? html`<p class="failure" role="alert">${this.failure}</p>` : nothing}
    `;
  }
}

customElements.define('shoal-player', ShoalPlayer);

declare global {
  interface HTMLElementTagNameMap {
    'shoal-player': ShoalPlayer;
  }
}
