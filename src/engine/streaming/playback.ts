/**
 * What the player said last of one torrent: the one playhead model that the stream steering
 * and peer assist both read, updated by each of the player's reports.
 */
import type { PlaybackReport } from '../types.ts';

/** A seek the player reported: where to and when. */
export interface Seek {
  readonly atMs: number;
  readonly positionS: number;
}

export interface PlaybackState extends PlaybackReport {
  /** When the report came. */
  readonly atMs: number;
  /**
   * When the current play started: a new file, a seek, a new source, or a play after a
   * pause. A cold start (the first seconds that must arrive quickly) counts from here.
   */
  readonly startedAtMs: number;
  /** Counts the plays started: what is known of the current one is kept under this. */
  readonly play: number;
  /**
   * The seek the playhead is at (null: it plays where it got to by playing). Kept, as the
   * same object, by the reports that follow at the same position (the element's `waiting`),
   * so that one seek is one identity; over once the playhead moves or the file changes.
   */
  readonly seek: Seek | null;
}

export class Playback {
  private state: PlaybackState | null = null;

  constructor(private readonly nowMs: () => number) {}

  /** The last report, with when it came and when its play started (null: none yet). */
  get current(): PlaybackState | null {
    return this.state;
  }

  update(report: PlaybackReport): PlaybackState {
    const now = this.nowMs();
    const prev = this.state;
    const sameFile = prev?.path === report.path;
    const started =
      !prev ||
      !sameFile ||
      report.event === 'seeking' ||
      report.event === 'loadstart' ||
      (report.event === 'play' && !prev.playing);
    // A new source ('loadstart') says nothing of where the old one was sought to.
    const stayed = sameFile && report.event !== 'loadstart' && prev.positionS === report.positionS;
    this.state = {
      ...report,
      atMs: now,
      startedAtMs: started ? now : prev.startedAtMs,
      play: started ? (prev?.play ?? 0) + 1 : prev.play,
      seek:
        report.event === 'seeking'
          ? { atMs: now, positionS: report.positionS }
          : stayed
            ? prev.seek
            : null,
    };
    return this.state;
  }
}
