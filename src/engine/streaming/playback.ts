/**
 * What the player said last of one torrent: one model that the stream steering and peer
 * assist both read, updated by each of the player's reports.
 */
import type { PlaybackReport } from '../types.ts';

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
    const started =
      !prev ||
      prev.path !== report.path ||
      report.event === 'seeking' ||
      report.event === 'loadstart' ||
      (report.event === 'play' && !prev.playing);
    this.state = {
      ...report,
      atMs: now,
      startedAtMs: started ? now : prev.startedAtMs,
      play: started ? (prev?.play ?? 0) + 1 : prev.play,
    };
    return this.state;
  }
}
