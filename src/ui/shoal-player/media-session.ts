import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PlayerAction } from './media-ranges.ts';
import type { PlayerItem } from './player-item.ts';

/** What the media session reads on the player, and acts through. */
export interface SessionHost extends ReactiveControllerHost, HTMLElement {
  readonly items: readonly PlayerItem[];
  readonly index: number;
  readonly current: PlayerItem | undefined;
  readonly media: HTMLMediaElement | null;
  readonly paused: boolean;
  readonly currentS: number;
  readonly durationS: number;
  readonly rate: number;
  act(action: PlayerAction): void;
  playAt(index: number): void;
}

/** The folder a file is in (the torrent's name, for most), shown as the album. */
const folderOf = (path: string): string => path.split('/').slice(0, -1).join('/');

/**
 * The player as the system sees it (Media Session): the lock screen, the media notification
 * and the hardware media keys show what plays and act on the player. Actions a browser does
 * not know are left out.
 */
export class PlayerMediaSession implements ReactiveController {
  private shownSrc: string | undefined;

  constructor(private readonly host: SessionHost) {
    host.addController(this);
  }

  private get session(): MediaSession | null {
    return 'mediaSession' in navigator ? navigator.mediaSession : null;
  }

  hostConnected(): void {
    const host = this.host;
    const toggleIf = (paused: boolean) => (): void => {
      if (host.paused === paused) host.act({ kind: 'toggle-play' });
    };
    const step = (by: number) => (): void => {
      const index = host.index + by;
      if (index >= 0 && index < host.items.length) host.playAt(index);
    };
    const seekBy =
      (sign: number): MediaSessionActionHandler =>
      (details) => {
        host.act({ kind: 'seek-by', seconds: sign * (details.seekOffset ?? 10) });
      };
    const handlers: [MediaSessionAction, MediaSessionActionHandler][] = [
      ['play', toggleIf(true)],
      ['pause', toggleIf(false)],
      ['previoustrack', step(-1)],
      ['nexttrack', step(1)],
      ['seekbackward', seekBy(-1)],
      ['seekforward', seekBy(1)],
      [
        'seekto',
        (details) => {
          if (host.media && details.seekTime !== undefined)
            host.media.currentTime = details.seekTime;
        },
      ],
    ];
    for (const [action, handler] of handlers) this.handle(action, handler);
  }

  hostDisconnected(): void {
    const session = this.session;
    if (!session) return;
    for (const action of [
      'play',
      'pause',
      'previoustrack',
      'nexttrack',
      'seekbackward',
      'seekforward',
      'seekto',
    ] as const)
      this.handle(action, null);
    session.metadata = null;
    session.playbackState = 'none';
    this.shownSrc = undefined;
  }

  private handle(action: MediaSessionAction, handler: MediaSessionActionHandler | null): void {
    try {
      this.session?.setActionHandler(action, handler);
    } catch {
      // This browser does not know that action.
    }
  }

  hostUpdated(): void {
    const session = this.session;
    // A removed player may still hear its element's last events: the session is not its own.
    if (!session || !this.host.isConnected) return;
    const host = this.host;
    const item = host.current;
    if (item?.src !== this.shownSrc) {
      this.shownSrc = item?.src;
      session.metadata = item
        ? new MediaMetadata({ title: item.name, album: folderOf(item.path), artist: 'Shoal' })
        : null;
    }
    session.playbackState = item ? (host.paused ? 'paused' : 'playing') : 'none';
    const duration = host.durationS;
    if (Number.isFinite(duration) && duration > 0) {
      try {
        session.setPositionState({
          duration,
          playbackRate: host.rate,
          position: Math.min(Math.max(0, host.currentS), duration),
        });
      } catch {
        // A position the browser refuses (a live stream's) is left out.
      }
    }
  }
}
