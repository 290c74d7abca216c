import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { dispatch } from '../events.ts';
import { bufferedAheadS, timeRangeFractions, type Fraction } from './media-ranges.ts';
import type { PlayerItem } from './player-item.ts';

/**
 * The media element and the player's copy of its state. The element is the truth: after each
 * of its events the player's state (what the controls show) is read from it again, and the
 * engine is told where playback is (`shoal-playback`), since its web seed, emergency mode and
 * prefetch follow the playhead. Only the element playing counts: the next item, loading ahead
 * hidden, neither shows nor reports. A new source starts from a clean state; an element that
 * fails says why; a player taken out of the page stops its element loading.
 */

/** What media sync reads and writes on the player. */
export interface MediaSyncHost extends ReactiveControllerHost, HTMLElement {
  readonly current: PlayerItem | undefined;
  readonly media: HTMLMediaElement | null;
  paused: boolean;
  currentS: number;
  durationS: number;
  buffered: Fraction[];
  volume: number;
  muted: boolean;
  pictureInPicture: boolean;
  readonly rate: number;
  failure: string;
}

/** What the player does on the events that are not only state. */
export interface MediaSyncHooks {
  /** The item playing reached its end. */
  readonly ended: () => void;
  /** The picture of a video was clicked. */
  readonly clicked: () => void;
}

export class MediaSync implements ReactiveController {
  private srcBefore: string | undefined;

  constructor(
    private readonly host: MediaSyncHost,
    private readonly hooks: MediaSyncHooks,
  ) {
    host.addController(this);
  }

  /** Before each render: another source starts from nothing known. */
  hostUpdate(): void {
    const host = this.host;
    const src = host.current?.src;
    if (src === this.srcBefore) return;
    this.srcBefore = src;
    host.failure = '';
    host.currentS = 0;
    host.durationS = NaN;
    host.buffered = [];
    host.paused = true;
  }

  hostDisconnected(): void {
    // A removed element keeps loading (preload=auto) unless its source goes.
    const media = this.host.media;
    if (media) {
      media.removeAttribute('src');
      media.load();
    }
  }

  /** Reads the element's state after any of its events. */
  private readonly sync = (event: Event): void => {
    const media = event.target as HTMLMediaElement;
    // The next item loading ahead, hidden: not what the controls show.
    if (media.hidden) return;
    const host = this.host;
    host.paused = media.paused;
    host.currentS = media.currentTime;
    host.durationS = media.duration;
    host.buffered = timeRangeFractions(media.buffered, media.duration);
    host.volume = media.volume;
    host.muted = media.muted;
    this.report(media, event.type);
  };

  /** Tells the engine where playback is: its web seed, emergency and prefetch follow it. */
  private report(media: HTMLMediaElement, type: string): void {
    const item = this.host.current;
    if (!item) return;
    const now = media.currentTime;
    const aheadS = bufferedAheadS(media);
    dispatch(this.host, 'shoal-playback', {
      infoHash: item.infoHash,
      path: item.path,
      positionS: now,
      durationS: media.duration,
      bufferedAheadS: aheadS,
      playing: !media.paused,
      event: type,
    });
  }

  private readonly onPictureInPicture = (event: Event): void => {
    this.host.pictureInPicture = event.type === 'enterpictureinpicture';
  };

  private readonly onEnded = (event: Event): void => {
    this.sync(event);
    this.hooks.ended();
  };

  private readonly onError = (event: Event): void => {
    const media = event.target as HTMLMediaElement;
    const name = this.host.current?.name ?? '';
    const code = media.error?.code;
    this.host.failure =
      code === MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED || code === MediaError.MEDIA_ERR_DECODE
        ? `This browser cannot play "${name}". Save it and open it in another player.`
        : `"${name}" stopped playing: ${media.error?.message || 'unknown error'}.`;
  };

  /**
   * The element of `item`: the one playing (`active`), or the next one loading ahead; a video
   * holds `tracks` (its subtitles).
   */
  render(item: PlayerItem, active = true, tracks: unknown = nothing) {
    // Before its first frame an autoplaying element is paused and quiet: `loadstart` says it
    // is loading.
    const sync = this.sync;
    return item.kind === 'audio'
      ? html`<p class="title truncate" title=${item.name} ?hidden=${!active}>${item.name}</p>
          <audio
            ?hidden=${!active}
            ?autoplay=${active}
            preload="auto"
            src=${item.src}
            .defaultPlaybackRate=${this.host.rate}
            .playbackRate=${this.host.rate}
            @play=${sync}
            @pause=${sync}
            @timeupdate=${sync}
            @durationchange=${sync}
            @progress=${sync}
            @volumechange=${sync}
            @seeked=${sync}
            @seeking=${sync}
            @waiting=${sync}
            @loadstart=${sync}
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
          .defaultPlaybackRate=${this.host.rate}
          .playbackRate=${this.host.rate}
          @enterpictureinpicture=${this.onPictureInPicture}
          @leavepictureinpicture=${this.onPictureInPicture}
          @click=${this.hooks.clicked}
          @play=${sync}
          @pause=${sync}
          @timeupdate=${sync}
          @durationchange=${sync}
          @progress=${sync}
          @volumechange=${sync}
          @seeked=${sync}
          @seeking=${sync}
          @waiting=${sync}
          @loadstart=${sync}
          @ended=${this.onEnded}
          @error=${this.onError}
        >
          ${tracks}
        </video>`;
  }
}
