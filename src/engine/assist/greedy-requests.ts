/**
 * Runs Spotify's greedy request scheduling (policy/request-queue.ts) over one live torrent on
 * each tick, through the swarm's port: which pieces are urgent (the critical ones, those
 * near the playhead, every missing one in the endgame), what each connection's queue and
 * timing look like, and the decision written back (`SwarmTorrent.steerRequests`).
 *
 * When a connection last delivered is seen here (its piece data events); when a request was
 * sent is taken as the tick that first saw it queued, so how long a peer has owed us a block
 * is known to within a tick, and never overstated.
 */
import type { PieceRange } from '../policy/playhead-window.ts';
import {
  DEFAULT_REQUEST_QUEUE_POLICY,
  NO_REQUEST_STEERING,
  planRequests,
  urgentPieces,
  type RequestPeer,
  type RequestQueuePolicy,
} from '../policy/request-queue.ts';
import type { PlaybackView } from '../policy/webseed.ts';
import type { SwarmPeer, SwarmTorrent } from '../swarm/port.ts';

export class GreedyRequests {
  private readonly lastBlockAtMs = new WeakMap<SwarmPeer, number>();
  private readonly firstSeenMs = new WeakMap<object, number>();
  /** The last round wrote a decision that is not the empty one. */
  private steering = false;
  /** Blocks moved from a slow peer to a faster one so far. */
  moves = 0;

  constructor(
    private readonly wt: SwarmTorrent,
    private readonly nowMs: () => number,
    private readonly policy: RequestQueuePolicy = DEFAULT_REQUEST_QUEUE_POLICY,
  ) {
    wt.on('peer', (peer) => {
      peer.onBytes('down', () => {
        this.lastBlockAtMs.set(peer, this.nowMs());
      });
    });
  }

  private view(peer: SwarmPeer, nowMs: number): RequestPeer {
    const queue = peer.queued;
    const head = queue[0];
    const askedAtMs = head ? (this.firstSeenMs.get(head) ?? nowMs) : null;
    const lastMs = this.lastBlockAtMs.get(peer);
    return {
      id: peer.id,
      isWebSeed: peer.isWebSeed,
      rateBytesPerS: peer.downRateBytesPerS(),
      queue,
      owingSinceMs:
        askedAtMs === null ? null : lastMs === undefined ? askedAtMs : Math.max(askedAtMs, lastMs),
      canRequest: !peer.chokesUs,
      has: (piece) => peer.has(piece),
    };
  }

  /** One round: `playback` is what the player plays (null: nothing), `critical` what it waits for. */
  tick(playback: PlaybackView | null, critical: readonly PieceRange[]): void {
    const wt = this.wt;
    if (wt.destroyed || !wt.ready) return;
    const now = this.nowMs();
    const bitfield = wt.bitfield;
    const urgent = wt.done
      ? []
      : urgentPieces(
          {
            nowMs: now,
            pieceCount: wt.pieces.length,
            pieceLengthBytes: wt.pieceLength,
            missing: (i) => bitfield?.get(i) !== true,
            critical,
            playhead:
              playback && playback.playing
                ? {
                    torrentByte: playback.file.offsetBytes + playback.playheadBytes,
                    fileEndByte: playback.file.offsetBytes + playback.file.lengthBytes,
                    bitrateBytesPerS: playback.bitrateBytesPerS,
                  }
                : null,
          },
          this.policy,
        );
    const peers = wt.peers().filter((p) => !p.closed);
    for (const peer of peers)
      for (const request of peer.queued)
        if (!this.firstSeenMs.has(request)) this.firstSeenMs.set(request, now);
    const decision =
      urgent.length === 0
        ? NO_REQUEST_STEERING
        : planRequests(
            { nowMs: now, peers: peers.map((p) => this.view(p, now)), urgent },
            this.policy,
          );
    if (decision === NO_REQUEST_STEERING && !this.steering) return;
    this.steering = decision !== NO_REQUEST_STEERING;
    this.moves += decision.moves.length;
    wt.steerRequests(decision);
  }
}
