import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { formatClock } from './media-ranges.ts';
import type { PlayerItem } from './player-item.ts';

/** What resuming reads on the player. */
export interface ResumeHost extends ReactiveControllerHost, HTMLElement {
  readonly current: PlayerItem | undefined;
  readonly media: HTMLMediaElement | null;
  readonly currentS: number;
  readonly durationS: number;
}

/** Positions before this are not worth resuming at. */
export const RESUME_FROM_S = 5;
/** Within this of the end, the item counts as finished: it starts over next time. */
export const FINISHED_WITHIN_S = 10;
/** The position is saved each time playback has moved this far. */
const SAVE_EVERY_S = 5;

export const resumeKey = (item: Pick<PlayerItem, 'infoHash' | 'path'>): string =>
  `shoal-resume:${item.infoHash}:${item.path}`;

/**
 * Where the user left each file: playing it again starts there (kept in this origin's
 * localStorage, per torrent and file), and says so.
 */
export class PlayerResume implements ReactiveController {
  private src: string | undefined;
  /** The saved position, until the item's duration is known and it is applied. */
  private pending: number | null = null;
  private savedAtS = 0;
  private resumedAtS: number | null = null;

  constructor(private readonly host: ResumeHost) {
    host.addController(this);
  }

  hostUpdated(): void {
    const { current: item, media, durationS, currentS } = this.host;
    if (!item || !media || !this.host.isConnected) return;
    if (item.src !== this.src) {
      this.src = item.src;
      this.resumedAtS = null;
      this.savedAtS = 0;
      const saved = Number(localStorage.getItem(resumeKey(item)));
      this.pending = Number.isFinite(saved) && saved >= RESUME_FROM_S ? saved : null;
    }
    if (!Number.isFinite(durationS) || durationS <= 0) return;
    if (this.pending !== null) {
      const at = this.pending;
      this.pending = null;
      if (at < durationS - FINISHED_WITHIN_S) {
        media.currentTime = at;
        this.resumedAtS = at;
        this.savedAtS = at;
        this.host.requestUpdate();
      }
      return;
    }
    if (Math.abs(currentS - this.savedAtS) < SAVE_EVERY_S && !media.ended) return;
    this.savedAtS = currentS;
    if (media.ended || currentS >= durationS - FINISHED_WITHIN_S || currentS < RESUME_FROM_S)
      localStorage.removeItem(resumeKey(item));
    else localStorage.setItem(resumeKey(item), String(Math.floor(currentS)));
  }

  /** "Resumed at 1:23", for the item it resumed. */
  render() {
    return this.resumedAtS === null
      ? nothing
      : html`<p class="resumed" role="status">Resumed at ${formatClock(this.resumedAtS)}</p>`;
  }
}
