/**
 * The one controller of a live torrent's priorities. The player's reports update its
 * Playback; on each tick, and on events (a read opens or closes, a seek), the stream steering
 * and peer assist make their parts of one plan (`Priorities`), and a tick writes it once.
 */
import type { PeerAssistSettings } from '../../config/peer-assist.ts';
import { PeerAssist } from '../assist/peer-assist.ts';
import type { SwarmTorrent } from '../swarm/port.ts';
import type { PlaybackReport } from '../types.ts';
import { Playback } from './playback.ts';
import { prioritiesOf, type Priorities } from './priorities.ts';
import { StreamSteering } from './stream-steering.ts';

export class TorrentControl {
  readonly playback: Playback;
  readonly priorities: Priorities;
  /** The playhead windows of the files streamed from it. */
  readonly steering: StreamSteering;
  /** Web seed as CDN, emergency, prefetch, choking, pruning. */
  readonly assist: PeerAssist;

  constructor(
    wt: SwarmTorrent,
    settings: PeerAssistSettings,
    nowMs: () => number,
    /** Asks the neighbours for peers of it (it runs short of them). */
    findPeers: () => void = () => undefined,
  ) {
    this.playback = new Playback(nowMs);
    this.priorities = prioritiesOf(wt);
    this.steering = new StreamSteering(wt, this.priorities, this.playback, nowMs);
    // A stream open counts as playing even before a player reports (a /stream/ URL of its own).
    this.assist = new PeerAssist(
      wt,
      this.priorities,
      this.playback,
      settings,
      nowMs,
      () => this.steering.active,
      findPeers,
    );
  }

  /** A report of the player: updates the playback model, which the steering then follows. */
  report(report: PlaybackReport): void {
    this.playback.update(report);
    this.steering.reported();
  }

  /** Re-steers while a stream is open, applies peer assist, and writes the plan once. */
  tick(): void {
    this.priorities.batch(() => {
      if (this.steering.active) this.steering.steer();
      this.assist.tick(this.steering.active ? this.steering.plan.critical : []);
    });
  }
}
