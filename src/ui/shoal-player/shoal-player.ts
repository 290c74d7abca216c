import { LitElement, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { dispatch } from '../events.ts';
import type { Fraction, PlayerAction } from './media-ranges.ts';
import { MediaSync } from './media-sync.ts';
import { PlayerControls } from './player-controls.ts';
import { canPlay, type PlayerItem } from './player-item.ts';
import { playerStyles } from './player-styles.ts';
import { Playlist } from './playlist.ts';
import { PlayerMediaSession } from './media-session.ts';
import { PlayerResume } from './resume.ts';
import { PlayerSubtitles } from './subtitles.ts';

export type { PlayerItem } from './player-item.ts';

/**
 * Plays a torrent's media files as they download: the element's Range requests go to our
 * service worker, which streams them from the swarm. Its own controls show what is
 * buffered and what is downloaded; several files play in order, one after the other. A
 * file the browser cannot play says so and offers to save it instead.
 *
 * The component holds the state and puts the parts together: media sync (media-sync.ts)
 * keeps the state equal to the element's and reports playback, the controls
 * (player-controls.ts) act on the element, the playlist (playlist.ts) moves between items,
 * the media session (media-session.ts) shows it to the system, resume (resume.ts) starts
 * a file where the user left it, and the subtitles (subtitles.ts) are found, read and shown.
 */
export class ShoalPlayer extends LitElement {
  static override properties = {
    items: { attribute: false },
    index: { type: Number },
    paused: { state: true },
    currentS: { state: true },
    durationS: { state: true },
    buffered: { state: true },
    volume: { state: true },
    muted: { state: true },
    failure: { state: true },
    fullscreen: { state: true },
    rate: { state: true },
    pictureInPicture: { state: true },
    subtitle: { state: true },
  };

  declare items: readonly PlayerItem[];
  /** Which item plays. */
  declare index: number;
  declare paused: boolean;
  declare currentS: number;
  declare durationS: number;
  declare buffered: Fraction[];
  declare volume: number;
  declare muted: boolean;
  declare failure: string;
  declare fullscreen: boolean;
  declare rate: number;
  declare pictureInPicture: boolean;
  /** The subtitles chosen (their label, '' for none; undefined: the first track shows). */
  declare subtitle: string | undefined;

  private readonly playlist = new Playlist(this);
  private readonly mediaSync = new MediaSync(this, {
    ended: () => {
      this.playlist.ended();
    },
    clicked: () => {
      this.act({ kind: 'toggle-play' });
    },
  });
  private readonly controls = new PlayerControls(this);
  private readonly resume = new PlayerResume(this);
  private readonly subtitles = new PlayerSubtitles(this);

  constructor() {
    super();
    new PlayerMediaSession(this);
    this.items = [];
    this.index = 0;
    this.paused = true;
    this.currentS = 0;
    this.durationS = NaN;
    this.buffered = [];
    this.volume = 1;
    this.muted = false;
    this.failure = '';
    this.fullscreen = false;
    this.rate = 1;
    this.pictureInPicture = false;
    this.subtitle = undefined;
  }

  static override styles = playerStyles;

  get current(): PlayerItem | undefined {
    return this.items[this.index];
  }

  /** The media element, once rendered. */
  get media(): HTMLMediaElement | null {
    return this.renderRoot.querySelector<HTMLMediaElement>(
      'video:not([hidden]), audio:not([hidden])',
    );
  }

  /** Plays item `index` (from the playlist, next/previous, or the end of the one before). */
  playAt(index: number): void {
    this.playlist.playAt(index);
  }

  act(action: PlayerAction): void {
    this.controls.act(action);
  }

  toggleSubtitles(): void {
    this.subtitles.toggle();
  }

  override updated(changed: Map<string, unknown>): void {
    this.playlist.updated(changed);
  }

  private renderFailure(item: PlayerItem, message: string) {
    return html`<div class="failure" role="alert">
      <p>${message}</p>
      <button
        class="save"
        @click=${() => {
          dispatch(this, 'shoal-save-file', { infoHash: item.infoHash, path: item.path });
        }}
      >
        Save "${item.name}" to disk
      </button>
    </div>`;
  }

  override render() {
    const item = this.current;
    if (!item) return nothing;
    const supported = canPlay(item);
    return html`<div
      class="player ${item.kind}"
      role="group"
      aria-label="Player: ${item.name}"
      tabindex="0"
      @keydown=${this.controls.onKeyDown}
    >
      ${
        supported
          ? repeat(
              this.playlist.withNext(item),
              (m) => m.src,
              (m) =>
                this.mediaSync.render(m, m === item, this.subtitles.renderTrack(m, m === item)),
            )
          : nothing
      }
      ${
        supported
          ? this.failure
            ? this.renderFailure(item, this.failure)
            : nothing
          : this.renderFailure(
              item,
              `This browser cannot play "${item.name}" (${item.mimeType}). Save it and open it in another player.`,
            )
      }
      ${supported ? this.controls.render(item, this.subtitles.renderMenu(item)) : nothing}
      ${this.subtitles.renderStatus()} ${this.resume.render()} ${this.playlist.render()}
    </div>`;
  }
}

customElements.define('shoal-player', ShoalPlayer);

declare global {
  interface HTMLElementTagNameMap {
    'shoal-player': ShoalPlayer;
  }
  interface HTMLElementEventMap {
    /** The player moved to another item of its playlist. */
    'shoal-track': CustomEvent<{ index: number; path: string }>;
  }
}
