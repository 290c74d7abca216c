import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { keyed } from 'lit/directives/keyed.js';
import { decodeText, readFileStart, readStart, type StartBytes } from '../read-start.ts';
import { ICONS } from './icons.ts';
import type { PlayerItem } from './player-item.ts';
import { asWebVtt } from './srt-to-vtt.ts';

/**
 * A video's subtitles: the torrent's files matched to it by name (subtitle-match.ts) and any
 * the user opens from disk, offered in a menu of the controls. Browsers show only WebVTT, so
 * each track is read as text (SubRip converted) and given to the <video> as a blob: URL, which
 * the Content-Security-Policy allows for media (media-src blob:). Only the track shown is read
 * and only one <track> is in the element, so what plays is always what the menu says.
 *
 * Which track shows: before the user chooses, the first one, as desktop players do with a
 * subtitle file named like the video (it was put there to be shown); after, what the user
 * chose, by its label, kept from one file to the next like the speed ("en" stays "en"; with
 * no track of that label, the first; off stays off).
 */

/** A film's subtitles are ~100 KB: a bigger file is not one, and is not read. */
export const MAX_SUBTITLE_BYTES = 2 * 1024 * 1024;

/** What the subtitles read and write on the player. */
export interface SubtitlesHost extends ReactiveControllerHost, HTMLElement {
  readonly current: PlayerItem | undefined;
  readonly media: HTMLMediaElement | null;
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** The label of the subtitles chosen, '' for none; undefined until the user chooses. */
  subtitle: string | undefined;
}

interface Track {
  readonly key: string;
  readonly label: string;
  readonly srclang: string | undefined;
  readonly read: () => Promise<StartBytes>;
}

type Loaded = { readonly url: string } | { readonly error: string } | 'loading';

export class PlayerSubtitles implements ReactiveController {
  /** Files the user opened, per item (by its src): they belong to the video they were opened for. */
  private readonly picked = new Map<string, Track[]>();
  private readonly loaded = new Map<string, Loaded>();
  private pickedCount = 0;
  /** The label shown before subtitles were turned off (with `c`), to turn them on again. */
  private lastShown: string | undefined;

  constructor(private readonly host: SubtitlesHost) {
    host.addController(this);
  }

  private tracks(item: PlayerItem): Track[] {
    const inTorrent = (item.subtitles ?? []).map((s): Track => ({
      key: s.src,
      label: s.label,
      srclang: s.srclang,
      read: () => readStart(s.src, MAX_SUBTITLE_BYTES + 1),
    }));
    return [...inTorrent, ...(this.picked.get(item.src) ?? [])];
  }

  /** The track shown for `item`, if any. */
  private shown(item: PlayerItem): Track | undefined {
    if (item.kind !== 'video' || this.host.subtitle === '') return undefined;
    const tracks = this.tracks(item);
    return tracks.find((t) => t.label === this.host.subtitle) ?? tracks[0];
  }

  hostUpdate(): void {
    const item = this.host.current;
    const track = item && this.shown(item);
    if (track && !this.loaded.has(track.key)) this.load(track);
  }

  /** The element shows the one <track> it has, once it is in (its mode starts disabled). */
  hostUpdated(): void {
    const media = this.host.media;
    if (!media) return;
    const element = media.querySelector('track');
    for (const track of Array.from(media.textTracks)) {
      const mode = track === element?.track ? 'showing' : 'disabled';
      if (track.mode !== mode) track.mode = mode;
    }
  }

  hostDisconnected(): void {
    for (const loaded of this.loaded.values()) {
      if (typeof loaded === 'object' && 'url' in loaded) URL.revokeObjectURL(loaded.url);
    }
    this.loaded.clear();
  }

  private load(track: Track): void {
    this.loaded.set(track.key, 'loading');
    void track
      .read()
      .then((start): Loaded => {
        if (
          start.bytes.length > MAX_SUBTITLE_BYTES ||
          (start.totalBytes ?? 0) > MAX_SUBTITLE_BYTES
        ) {
          return { error: 'it is too large to be a subtitle file' };
        }
        const vtt = asWebVtt(decodeText(start.bytes, true));
        return { url: URL.createObjectURL(new Blob([vtt], { type: 'text/vtt' })) };
      })
      .catch((err: unknown): Loaded => ({
        error: err instanceof Error ? err.message : String(err),
      }))
      .then((loaded) => {
        // A player taken out of the page meanwhile let go of its tracks: this one goes too.
        if (!this.host.isConnected) {
          this.loaded.delete(track.key);
          if (typeof loaded === 'object' && 'url' in loaded) URL.revokeObjectURL(loaded.url);
          return;
        }
        this.loaded.set(track.key, loaded);
        this.host.requestUpdate();
      });
  }

  /** Subtitles off, or back on (the `c` key). */
  toggle(): void {
    const item = this.host.current;
    const shown = item && this.shown(item);
    if (shown) {
      this.lastShown = shown.label;
      this.host.subtitle = '';
    } else {
      this.host.subtitle = this.lastShown;
    }
  }

  private readonly onPick = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    const item = this.host.current;
    input.value = '';
    if (!file || !item) return;
    this.pickedCount += 1;
    const track: Track = {
      key: `file:${String(this.pickedCount)}`,
      label: file.name,
      srclang: undefined,
      read: () => readFileStart(file, MAX_SUBTITLE_BYTES + 1),
    };
    this.picked.set(item.src, [...(this.picked.get(item.src) ?? []), track]);
    this.host.subtitle = file.name;
  };

  /** The <track> of the video playing (`active`), once read. */
  renderTrack(item: PlayerItem, active: boolean) {
    const track = active ? this.shown(item) : undefined;
    const loaded = track && this.loaded.get(track.key);
    if (!track || typeof loaded !== 'object' || !('url' in loaded)) return nothing;
    return keyed(
      loaded.url,
      html`<track
        kind="subtitles"
        label=${track.label}
        srclang=${ifDefined(track.srclang)}
        src=${loaded.url}
      />`,
    );
  }

  /** The menu of the controls: off, each track, and a file from disk. Videos only. */
  renderMenu(item: PlayerItem) {
    if (item.kind !== 'video') return nothing;
    const tracks = this.tracks(item);
    const shown = this.shown(item);
    return html`${
        tracks.length === 0
          ? nothing
          : html`<select
              class="subtitles"
              aria-label="Subtitles"
              @change=${(e: Event) => {
                const key = (e.target as HTMLSelectElement).value;
                this.host.subtitle = tracks.find((t) => t.key === key)?.label ?? '';
              }}
            >
              <option value="" ?selected=${!shown}>Subtitles off</option>
              ${tracks.map(
                (t) => html`<option value=${t.key} ?selected=${t === shown}>${t.label}</option>`,
              )}
            </select>`
      }
      <button
        class="subtitle-file"
        aria-label="Open a subtitle file (.srt, .vtt)"
        title="Open a subtitle file (.srt, .vtt)"
        @click=${() => {
          this.host.renderRoot.querySelector<HTMLInputElement>('input.subtitle-file')?.click();
        }}
      >
        ${ICONS.subtitles}
      </button>
      <input
        class="subtitle-file"
        type="file"
        accept=".srt,.vtt,text/vtt"
        aria-label="Subtitle file"
        hidden
        @change=${this.onPick}
      />`;
  }

  /** Why the subtitles chosen do not show, if they could not be read. */
  renderStatus() {
    const item = this.host.current;
    const track = item && this.shown(item);
    const loaded = track && this.loaded.get(track.key);
    if (!track || typeof loaded !== 'object' || !('error' in loaded)) return nothing;
    return html`<p class="subtitle-error" role="status">
      The subtitles "${track.label}" could not be read: ${loaded.error}.
    </p>`;
  }
}
