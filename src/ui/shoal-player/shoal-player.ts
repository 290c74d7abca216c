import { LitElement, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import { dispatch } from '../events.ts';
import {
  actionForKey,
  bufferedAheadS,
  formatClock,
  timeRangeFractions,
  type Fraction,
  type PlayerAction,
} from './media-ranges.ts';
import { ICONS } from './icons.ts';
import { playerStyles } from './player-styles.ts';

/** One file the player can play: a torrent's media file, streamed by our service worker. */
export interface PlayerItem {
  readonly infoHash: string;
  /** The file's path in the torrent (what a save asks for). */
  readonly path: string;
  readonly name: string;
  /** Its `/stream/…` address. */
  readonly src: string;
  readonly kind: 'video' | 'audio';
  readonly mimeType: string;
  /** The parts of the file downloaded and verified, as fractions of it. */
  readonly verified: readonly Fraction[];
}

const playable = new Map<string, boolean>();

/** Whether this browser may play a type at all (`canPlayType` says "maybe" or "probably"). */
function canPlay(item: PlayerItem): boolean {
  const key = `${item.kind} ${item.mimeType}`;
  let known = playable.get(key);
  if (known === undefined) {
    known = document.createElement(item.kind).canPlayType(item.mimeType) !== '';
    playable.set(key, known);
  }
  return known;
}

/**
 * Seconds before the end of an item at which the next one is loaded, in an element of its
 * own (hidden), so that it starts without a gap: the engine prefetches its first pieces too.
 */
const PRELOAD_NEXT_S = 30;

const percent = (fraction: number): string => `${String(fraction * 100)}%`;

/**
 * Plays a torrent's media files as they download: the element's Range requests go to our
 * service worker, which streams them from the swarm. Its own controls show what is
 * buffered and what is downloaded; several files play in order, one after the other. A
 * file the browser cannot play says so and offers to save it instead.
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

  constructor() {
    super();
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

  private readonly onFullscreenChange = (): void => {
    this.fullscreen = document.fullscreenElement === this;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('fullscreenchange', this.onFullscreenChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('fullscreenchange', this.onFullscreenChange);
    // A removed element keeps loading (preload=auto) unless its source goes.
    const media = this.media;
    if (media) {
      media.removeAttribute('src');
      media.load();
    }
  }

  private srcBefore: string | undefined;

  override willUpdate(): void {
    const src = this.current?.src;
    if (src === this.srcBefore) return;
    this.srcBefore = src;
    this.failure = '';
    this.currentS = 0;
    this.durationS = NaN;
    this.buffered = [];
    this.paused = true;
  }

  /** Plays item `index` (from the playlist, next/previous, or the end of the one before). */
  playAt(index: number): void {
    const item = this.items[index];
    if (!item) return;
    this.index = index;
    this.dispatchEvent(
      new CustomEvent('shoal-track', { detail: { index, path: item.path }, bubbles: true }),
    );
  }

  act(action: PlayerAction): void {
    const media = this.media;
    switch (action.kind) {
      case 'toggle-play':
        if (!media) return;
        if (media.paused) media.play().catch(() => undefined);
        else media.pause();
        return;
      case 'seek-by': {
        if (!media) return;
        const end = Number.isFinite(media.duration) ? media.duration : Infinity;
        media.currentTime = Math.min(end, Math.max(0, media.currentTime + action.seconds));
        return;
      }
      case 'toggle-mute':
        if (media) media.muted = !media.muted;
        return;
      case 'toggle-fullscreen':
        if (this.current?.kind !== 'video') return;
        if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
        else void this.requestFullscreen().catch(() => undefined);
        return;
    }
  }

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.composedPath()[0];
    // The volume slider keeps its own arrow keys.
    if (
      target instanceof HTMLInputElement &&
      target.classList.contains('volume') &&
      event.key.startsWith('Arrow')
    ) {
      return;
    }
    const action = actionForKey(event.key);
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    this.act(action);
  };

  /** Reads the element's state after any of its events. */
  private readonly sync = (event: Event): void => {
    const media = event.target as HTMLMediaElement;
    // The next item loading ahead, hidden: not what the controls show.
    if (media.hidden) return;
    this.paused = media.paused;
    this.currentS = media.currentTime;
    this.durationS = media.duration;
    this.buffered = timeRangeFractions(media.buffered, media.duration);
    this.volume = media.volume;
    this.muted = media.muted;
    this.report(media, event.type);
  };

  /** Tells the engine where playback is: its web seed, emergency and prefetch follow it. */
  private report(media: HTMLMediaElement, type: string): void {
    const item = this.current;
    if (!item) return;
    const now = media.currentTime;
    const aheadS = bufferedAheadS(media);
    dispatch(this, 'shoal-playback', {
      infoHash: item.infoHash,
      path: item.path,
      positionS: now,
      durationS: media.duration,
      bufferedAheadS: aheadS,
      playing: !media.paused,
      event: type,
    });
  }

  private readonly onEnded = (event: Event): void => {
    this.sync(event);
    if (this.index < this.items.length - 1) this.playAt(this.index + 1);
  };

  private readonly onError = (event: Event): void => {
    const media = event.target as HTMLMediaElement;
    const name = this.current?.name ?? '';
    const code = media.error?.code;
    this.failure =
      code === MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED || code === MediaError.MEDIA_ERR_DECODE
        ? `This browser cannot play "${name}". Save it and open it in another player.`
        : `"${name}" stopped playing: ${media.error?.message || 'unknown error'}.`;
  };

  /** The item playing and, near its end, the next one (loading ahead, hidden). */
  private mediaItems(item: PlayerItem): PlayerItem[] {
    const next = this.items[this.index + 1];
    const near =
      Number.isFinite(this.durationS) && this.durationS - this.currentS <= PRELOAD_NEXT_S;
    return next && near && canPlay(next) ? [item, next] : [item];
  }

  override updated(changed: Map<string, unknown>): void {
    // An item loaded ahead does not start by itself when it becomes the one playing.
    if (changed.has('index') && changed.get('index') !== undefined) {
      const media = this.media;
      if (media?.paused) media.play().catch(() => undefined);
    }
  }

  private renderMedia(item: PlayerItem, active = true) {
    const handlers = {
      play: this.sync,
      pause: this.sync,
      timeupdate: this.sync,
      durationchange: this.sync,
      progress: this.sync,
      volumechange: this.sync,
      seeked: this.sync,
      seeking: this.sync,
      waiting: this.sync,
      // Before its first frame an autoplaying element is paused and quiet: say it is loading.
      loadstart: this.sync,
    };
    return item.kind === 'audio'
      ? html`<p class="title" ?hidden=${!active}>${item.name}</p>
          <audio
            ?hidden=${!active}
            ?autoplay=${active}
            preload="auto"
            src=${item.src}
            @play=${handlers.play}
            @pause=${handlers.pause}
            @timeupdate=${handlers.timeupdate}
            @durationchange=${handlers.durationchange}
            @progress=${handlers.progress}
            @volumechange=${handlers.volumechange}
            @seeked=${handlers.seeked}
            @seeking=${handlers.seeking}
            @waiting=${handlers.waiting}
            @loadstart=${handlers.loadstart}
            @ended=${this.onEnded}
            @error=${this.onError}
          ></audio>`
      : html`<video
          ?hidden=${!active}
          ?autoplay=${active}
          playsinline
          preload="auto"
          aria-label=${item.name}
          src=${item.src}
          @click=${() => {
            this.act({ kind: 'toggle-play' });
          }}
          @play=${handlers.play}
          @pause=${handlers.pause}
          @timeupdate=${handlers.timeupdate}
          @durationchange=${handlers.durationchange}
          @progress=${handlers.progress}
          @volumechange=${handlers.volumechange}
          @seeked=${handlers.seeked}
          @seeking=${handlers.seeking}
          @waiting=${handlers.waiting}
          @loadstart=${handlers.loadstart}
          @ended=${this.onEnded}
          @error=${this.onError}
        ></video>`;
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

  private renderSeek() {
    const known = Number.isFinite(this.durationS) && this.durationS > 0;
    const range = (cls: string, f: Fraction) =>
      html`<div
        class=${cls}
        style=${styleMap({ left: percent(f.start), width: percent(f.end - f.start) })}
      ></div>`;
    return html`<div class="seek">
      <div class="track" aria-hidden="true">
        ${(this.current?.verified ?? []).map((f) => range('verified', f))}
        ${this.buffered.map((f) => range('buffered', f))}
        <div
          class="played"
          style=${styleMap({ width: percent(known ? this.currentS / this.durationS : 0) })}
        ></div>
      </div>
      <input
        type="range"
        class="position"
        aria-label="Seek"
        aria-valuetext="${formatClock(this.currentS)} of ${formatClock(this.durationS)}"
        min="0"
        max=${known ? this.durationS : 0}
        step="any"
        ?disabled=${!known}
        .value=${String(this.currentS)}
        @input=${(e: Event) => {
          const media = this.media;
          if (media) media.currentTime = Number((e.target as HTMLInputElement).value);
        }}
      />
    </div>`;
  }

  private renderControls(item: PlayerItem) {
    const several = this.items.length > 1;
    return html`<div class="controls">
      ${
        several
          ? html`<button
              aria-label="Previous"
              ?disabled=${this.index === 0}
              @click=${() => {
                this.playAt(this.index - 1);
              }}
            >
              ${ICONS.previous}
            </button>`
          : nothing
      }
      <button
        class="play"
        aria-label=${this.paused ? 'Play' : 'Pause'}
        @click=${() => {
          this.act({ kind: 'toggle-play' });
        }}
      >
        ${this.paused ? ICONS.play : ICONS.pause}
      </button>
      ${
        several
          ? html`<button
              aria-label="Next"
              ?disabled=${this.index >= this.items.length - 1}
              @click=${() => {
                this.playAt(this.index + 1);
              }}
            >
              ${ICONS.next}
            </button>`
          : nothing
      }
      ${this.renderSeek()}
      <span class="time">${formatClock(this.currentS)} / ${formatClock(this.durationS)}</span>
      <button
        class="mute"
        aria-label=${this.muted ? 'Unmute' : 'Mute'}
        @click=${() => {
          this.act({ kind: 'toggle-mute' });
        }}
      >
        ${this.muted ? ICONS.muted : ICONS.volume}
      </button>
      <input
        type="range"
        class="volume"
        aria-label="Volume"
        min="0"
        max="1"
        step="0.05"
        .value=${String(this.muted ? 0 : this.volume)}
        @input=${(e: Event) => {
          const media = this.media;
          if (!media) return;
          media.volume = Number((e.target as HTMLInputElement).value);
          media.muted = media.volume === 0;
        }}
      />
      ${
        item.kind === 'video'
          ? html`<button
              class="fullscreen"
              aria-label=${this.fullscreen ? 'Exit full screen' : 'Full screen'}
              @click=${() => {
                this.act({ kind: 'toggle-fullscreen' });
              }}
            >
              ${ICONS.fullscreen}
            </button>`
          : nothing
      }
    </div>`;
  }

  private renderPlaylist() {
    if (this.items.length < 2) return nothing;
    return html`<ol class="playlist" aria-label="Playlist">
      ${this.items.map(
        (item, i) =>
          html`<li>
            <button
              aria-current=${i === this.index ? 'true' : 'false'}
              @click=${() => {
                this.playAt(i);
              }}
            >
              ${item.name}
            </button>
          </li>`,
      )}
    </ol>`;
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
      @keydown=${this.onKeyDown}
    >
      ${
        supported
          ? repeat(
              this.mediaItems(item),
              (m) => m.src,
              (m) => this.renderMedia(m, m === item),
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
      ${supported ? this.renderControls(item) : nothing} ${this.renderPlaylist()}
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
