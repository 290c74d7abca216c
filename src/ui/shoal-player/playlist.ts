import { html, nothing } from 'lit';
import { canPlay, type PlayerItem } from './player-item.ts';

/**
 * Several files play in order, one after the other: the list of them (shown from two on),
 * moving to another (announced as `shoal-track`), the next when one ends, and, near the end
 * of one, the next loaded ahead in a hidden element of its own so that it starts without a
 * gap. Which item plays is the player's `index`: its owner may set it, and within the player
 * only this module moves it.
 */

/**
 * Seconds before the end of an item at which the next one is loaded, in an element of its
 * own (hidden), so that it starts without a gap: the engine prefetches its first pieces too.
 */
const PRELOAD_NEXT_S = 30;

/** What the playlist reads on the player, and moves. */
export interface PlaylistHost extends HTMLElement {
  readonly items: readonly PlayerItem[];
  /** Which item plays. */
  index: number;
  readonly media: HTMLMediaElement | null;
  readonly currentS: number;
  readonly durationS: number;
}

export class Playlist {
  constructor(private readonly host: PlaylistHost) {}

  /** Plays item `index` (from the playlist, next/previous, or the end of the one before). */
  playAt(index: number): void {
    const item = this.host.items[index];
    if (!item) return;
    this.host.index = index;
    this.host.dispatchEvent(
      new CustomEvent('shoal-track', { detail: { index, path: item.path }, bubbles: true }),
    );
  }

  /** The item playing ended: the next one plays; the last one stops there. */
  ended(): void {
    const host = this.host;
    if (host.index < host.items.length - 1) this.playAt(host.index + 1);
  }

  /** The item playing and, near its end, the next one (loading ahead, hidden). */
  withNext(item: PlayerItem): PlayerItem[] {
    const host = this.host;
    const next = host.items[host.index + 1];
    const near =
      Number.isFinite(host.durationS) && host.durationS - host.currentS <= PRELOAD_NEXT_S;
    return next && near && canPlay(next) ? [item, next] : [item];
  }

  /**
   * After the player updated: an item loaded ahead does not start by itself when it becomes
   * the one playing.
   */
  updated(changed: ReadonlyMap<string, unknown>): void {
    if (changed.has('index') && changed.get('index') !== undefined) {
      const media = this.host.media;
      if (media?.paused) media.play().catch(() => undefined);
    }
  }

  render() {
    const host = this.host;
    if (host.items.length < 2) return nothing;
    return html`<ol class="playlist" aria-label="Playlist">
      ${host.items.map(
        (item, i) =>
          html`<li>
            <button
              class="truncate"
              title=${item.name}
              aria-current=${i === host.index ? 'true' : 'false'}
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
}
