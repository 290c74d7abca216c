import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { cssProps } from '../css-props.ts';
import { ICONS } from './icons.ts';
import { actionForKey, formatClock, type Fraction, type PlayerAction } from './media-ranges.ts';
import type { PlayerItem } from './player-item.ts';

/**
 * The player's own controls and keyboard shortcuts: play/pause, previous/next, the seek bar
 * (what is downloaded, buffered and played), volume, subtitles, speed, picture in picture,
 * full screen.
 * A control acts on the media
 * element (or, for previous/next, on the playlist) and on nothing else; what the controls
 * show is the player's state, which media sync keeps equal to the element's.
 */

/** What the controls read on the player, and act through. */
export interface ControlsHost extends ReactiveControllerHost, HTMLElement {
  readonly items: readonly PlayerItem[];
  readonly index: number;
  readonly current: PlayerItem | undefined;
  readonly media: HTMLMediaElement | null;
  readonly paused: boolean;
  readonly currentS: number;
  readonly durationS: number;
  readonly buffered: readonly Fraction[];
  readonly volume: number;
  readonly muted: boolean;
  /** The playback speed the user chose: kept from one item to the next. */
  rate: number;
  /** The video plays in a picture-in-picture window. */
  pictureInPicture: boolean;
  fullscreen: boolean;
  playAt(index: number): void;
  /** Subtitles off, or back on. */
  toggleSubtitles(): void;
}

const percent = (fraction: number): string => `${String(fraction * 100)}%`;

/** The playback speeds offered. */
export const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2] as const;

export class PlayerControls implements ReactiveController {
  constructor(private readonly host: ControlsHost) {
    host.addController(this);
  }

  private readonly onFullscreenChange = (): void => {
    this.host.fullscreen = document.fullscreenElement === this.host;
  };

  hostConnected(): void {
    document.addEventListener('fullscreenchange', this.onFullscreenChange);
  }

  hostDisconnected(): void {
    document.removeEventListener('fullscreenchange', this.onFullscreenChange);
  }

  /** Moves the video into a picture-in-picture window, or back. */
  togglePictureInPicture(): void {
    const media = this.host.media;
    if (document.pictureInPictureElement) {
      void document.exitPictureInPicture().catch(() => undefined);
    } else if (media instanceof HTMLVideoElement) {
      void media.requestPictureInPicture().catch(() => undefined);
    }
  }

  act(action: PlayerAction): void {
    const media = this.host.media;
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
      case 'toggle-subtitles':
        this.host.toggleSubtitles();
        return;
      case 'toggle-fullscreen':
        if (this.host.current?.kind !== 'video') return;
        if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
        else void this.host.requestFullscreen().catch(() => undefined);
        return;
    }
  }

  /** The shortcuts, for the player's `keydown` (from anywhere inside it). */
  readonly onKeyDown = (event: KeyboardEvent): void => {
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

  private renderSeek() {
    const host = this.host;
    const known = Number.isFinite(host.durationS) && host.durationS > 0;
    const range = (cls: string, f: Fraction) =>
      html`<div
        class=${cls}
        ${cssProps({ left: percent(f.start), width: percent(f.end - f.start) })}
      ></div>`;
    return html`<div class="seek">
      <div class="track" aria-hidden="true">
        ${(host.current?.verified ?? []).map((f) => range('verified', f))}
        ${host.buffered.map((f) => range('buffered', f))}
        <div
          class="played"
          ${cssProps({ width: percent(known ? host.currentS / host.durationS : 0) })}
        ></div>
      </div>
      <input
        type="range"
        class="position"
        aria-label="Seek"
        aria-valuetext="${formatClock(host.currentS)} of ${formatClock(host.durationS)}"
        min="0"
        max=${known ? host.durationS : 0}
        step="any"
        ?disabled=${!known}
        .value=${String(host.currentS)}
        @input=${(e: Event) => {
          const media = host.media;
          if (media) media.currentTime = Number((e.target as HTMLInputElement).value);
        }}
      />
    </div>`;
  }

  /** The control bar of `item`, the one playing, with its subtitles menu (subtitles.ts). */
  render(item: PlayerItem, subtitles: unknown = nothing) {
    const host = this.host;
    const several = host.items.length > 1;
    return html`<div class="controls">
      ${
        several
          ? html`<button
              aria-label="Previous"
              ?disabled=${host.index === 0}
              @click=${() => {
                host.playAt(host.index - 1);
              }}
            >
              ${ICONS.previous}
            </button>`
          : nothing
      }
      <button
        class="play"
        aria-label=${host.paused ? 'Play' : 'Pause'}
        @click=${() => {
          this.act({ kind: 'toggle-play' });
        }}
      >
        ${host.paused ? ICONS.play : ICONS.pause}
      </button>
      ${
        several
          ? html`<button
              aria-label="Next"
              ?disabled=${host.index >= host.items.length - 1}
              @click=${() => {
                host.playAt(host.index + 1);
              }}
            >
              ${ICONS.next}
            </button>`
          : nothing
      }
      ${this.renderSeek()}
      <span class="time">${formatClock(host.currentS)} / ${formatClock(host.durationS)}</span>
      <button
        class="mute"
        aria-label=${host.muted ? 'Unmute' : 'Mute'}
        @click=${() => {
          this.act({ kind: 'toggle-mute' });
        }}
      >
        ${host.muted ? ICONS.muted : ICONS.volume}
      </button>
      <input
        type="range"
        class="volume"
        aria-label="Volume"
        min="0"
        max="1"
        step="0.05"
        .value=${String(host.muted ? 0 : host.volume)}
        @input=${(e: Event) => {
          const media = host.media;
          if (!media) return;
          media.volume = Number((e.target as HTMLInputElement).value);
          media.muted = media.volume === 0;
        }}
      />
      ${subtitles}
      <select
        class="speed"
        aria-label="Playback speed"
        .value=${String(host.rate)}
        @change=${(e: Event) => {
          host.rate = Number((e.target as HTMLSelectElement).value);
          const media = host.media;
          if (media) media.playbackRate = host.rate;
        }}
      >
        ${SPEEDS.map(
          (rate) =>
            html`<option value=${String(rate)} ?selected=${rate === host.rate}>${rate}×</option>`,
        )}
      </select>
      ${
        item.kind === 'video' && document.pictureInPictureEnabled
          ? html`<button
              class="pip"
              aria-label=${host.pictureInPicture ? 'Exit picture in picture' : 'Picture in picture'}
              aria-pressed=${host.pictureInPicture ? 'true' : 'false'}
              @click=${() => {
                this.togglePictureInPicture();
              }}
            >
              ${ICONS.pictureInPicture}
            </button>`
          : nothing
      }
      ${
        item.kind === 'video'
          ? html`<button
              class="fullscreen"
              aria-label=${host.fullscreen ? 'Exit full screen' : 'Full screen'}
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
}
