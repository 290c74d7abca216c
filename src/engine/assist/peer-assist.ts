/**
 * Applies the peer-assist policy (policy/webseed.ts, emergency.ts, prefetch.ts, choke.ts,
 * connections.ts, piece-order.ts, snub.ts, and request-queue.ts through greedy-requests.ts)
 * to one live torrent on the engine's tick, through the swarm's port (swarm/port.ts).
 *
 * What stock webtorrent already does and what this adds: stock rechokes every 10 s by
 * download rate with one optimistic slot (10 slots by default); we replace its timer with
 * our 4 + 1 (by upload rate when seeding, none in an emergency). Stock adds every BEP 19
 * web seed as one more fast peer; we add it gated (swarm/webseed-conn.ts). Stock never prunes
 * connections or re-announces early; we do both. Stock leaves the blocks a silent peer sits on
 * to its 30 s request timeout; we snub it sooner, and drop it if it never sends anything. Stock
 * hands a slow peer's blocks to a faster one only below 48 KiB/s (and never here, see
 * swarm/patches/request-steering.ts); we move the playhead's blocks off any peer that would
 * deliver them late.
 */
import type { PeerAssistSettings } from '../../config/peer-assist.ts';
import { mimeTypeFor } from '../mime.ts';
import { ByteWindow, planConnections } from '../policy/connections.ts';
import { INITIAL_CHOKE, rechoke, unchokedIds, type ChokeState } from '../policy/choke.ts';
import { nextEmergency } from '../policy/emergency.ts';
import { pieceOrder, randomFirstPiece } from '../policy/piece-order.ts';
import { bufferedAheadBytes, type PieceRange } from '../policy/playhead-window.ts';
import { nextItem, planPrefetch } from '../policy/prefetch.ts';
import {
  ASSUMED_PEER_RATE_BYTES_PER_S,
  planWebSeed,
  type PlaybackView,
} from '../policy/webseed.ts';
import type { SwarmPeer, SwarmTorrent, WebSeedGate } from '../swarm/port.ts';
import type { Playback } from '../streaming/playback.ts';
import type { Priorities } from '../streaming/priorities.ts';
import { bytesUntilDelivered, lastBlockPositions } from '../policy/peer-queue.ts';
import { judgeSnub, NOT_SNUBBED, type SnubState } from '../policy/snub.ts';
import { GreedyRequests } from './greedy-requests.ts';

/** What the tick measured last, for tests and the UI. */
export interface AssistStatus {
  emergency: boolean;
  /** The playback the policy follows: file, playhead and buffer ahead (null: none). */
  playback: { path: string; playheadBytes: number; bufferAheadS: number } | null;
  webSeedReason: string;
  webSeedAllowed: string;
  webSeedRequests: number;
  webSeedBytes: number;
  unchoked: number;
  /** Blocks moved from a slow peer to a faster one (greedy-requests.ts). */
  requestMoves: number;
}

const isMedia = (name: string): boolean => /^(audio|video)\//.test(mimeTypeFor(name));

interface WireInfo {
  readonly connectedAtMs: number;
  readonly down: ByteWindow;
  readonly up: ByteWindow;
  /** When it last delivered piece data (null: never). */
  lastDownMs: number | null;
  snub: SnubState;
}

export class PeerAssist {
  private readonly startedAtMs: number;
  private readonly wires = new WeakMap<SwarmPeer, WireInfo>();
  /** The play (Playback's count) whose cold start is filled: the buffer reached coldStartS. */
  private coldStartFilledFor: number | null = null;
  private emergency = false;
  private choke: ChokeState = INITIAL_CHOKE;
  private lastAnnounceMs: number | null = null;
  private seeds: WebSeedGate[] = [];
  private randomFirstDone = false;
  readonly status: AssistStatus = {
    emergency: false,
    playback: null,
    webSeedReason: 'idle',
    webSeedAllowed: '',
    webSeedRequests: 0,
    webSeedBytes: 0,
    unchoked: 0,
    requestMoves: 0,
  };
  /** Urgent blocks to the peers that deliver them soonest (Spotify's greedy rule). */
  private readonly requests: GreedyRequests;

  constructor(
    private readonly wt: SwarmTorrent,
    /** Where the prefetch and the random first piece are written (with the steering's plan). */
    private readonly priorities: Priorities,
    /** What the player said last (the one model the steering reads too). */
    private readonly playback: Playback,
    private readonly policy: PeerAssistSettings,
    private readonly nowMs: () => number,
    /** Whether a stream of this torrent is open (a player waiting for data reports nothing). */
    private readonly streaming: () => boolean = () => false,
    /** Asks the neighbour overlay too when it runs short of peers (beside the tracker). */
    private readonly findPeers: () => void = () => undefined,
  ) {
    this.startedAtMs = nowMs();
    this.requests = new GreedyRequests(wt, nowMs);
    wt.on('peer', (peer) => {
      this.infoOf(peer);
      // A free slot goes to the newcomer at once (choke.ts), after the swarm's first
      // messages: the handshake and the bitfield, sent a microtask after this event.
      if (wt.ready)
        setTimeout(() => {
          if (!peer.closed && !wt.destroyed) this.rechoke();
        }, 0);
    });
  }

  private infoOf(peer: SwarmPeer): WireInfo {
    let info = this.wires.get(peer);
    if (!info) {
      const made: WireInfo = {
        connectedAtMs: this.nowMs(),
        down: new ByteWindow(this.policy.usefulDownMs),
        up: new ByteWindow(this.policy.usefulUpMs),
        lastDownMs: null,
        snub: NOT_SNUBBED,
      };
      peer.onBytes('down', (bytes) => {
        made.down.add(this.nowMs(), bytes);
        made.lastDownMs = this.nowMs();
      });
      peer.onBytes('up', (bytes) => {
        made.up.add(this.nowMs(), bytes);
      });
      this.wires.set(peer, made);
      info = made;
    }
    return info;
  }

  /** Once the torrent is ready: add its web seeds, gated (choking is ours from then on). */
  onReady(): void {
    for (const url of this.wt.webSeedUrls) {
      if (!/^https?:\/\//.test(url)) continue;
      const seed = this.wt.addGatedWebSeed(url, this.nowMs);
      if (seed) this.seeds.push(seed);
    }
  }

  private peerWires(): SwarmPeer[] {
    return this.wt.peers().filter((w) => !w.isWebSeed && !w.closed);
  }

  private playbackView(): (PlaybackView & { toEnd: boolean }) | null {
    const p = this.playback.current;
    const wt = this.wt;
    // A report older than 5 s with no stream open: the player is gone.
    if (!p || (this.nowMs() - p.atMs > 5_000 && !this.streaming())) return null;
    const file = wt.files.find((f) => f.path === p.path);
    if (!file) return null;
    // Before the element knows the duration (it is still reading the first bytes), assume
    // a bitrate: a play is starting and must be fed.
    const known = p.durationS > 0 && Number.isFinite(p.durationS);
    const bitrate = known ? file.length / p.durationS : this.policy.unknownBitrateBytesPerS;
    const span = { offsetBytes: file.offset, lengthBytes: file.length };
    const playheadBytes = Math.min(file.length, Math.floor(p.positionS * bitrate));
    const layout = { pieceLengthBytes: wt.pieceLength, pieceCount: wt.pieces.length };
    const verifiedS =
      bufferedAheadBytes((i) => wt.bitfield?.get(i) ?? false, layout, span, playheadBytes) /
      bitrate;
    const bufferAheadS = Math.max(p.bufferedAheadS, verifiedS);
    if (bufferAheadS >= this.policy.coldStartS) this.coldStartFilledFor = p.play;
    return {
      file: span,
      playheadBytes,
      bitrateBytesPerS: bitrate,
      bufferAheadS,
      startedAtMs: p.startedAtMs,
      playing: p.playing,
      coldStartFilled: this.coldStartFilledFor === p.play,
      toEnd: known && p.positionS + bufferAheadS >= p.durationS - 0.5,
    };
  }

  /** One round; `critical`: the pieces a stream waits for now (the steering's plan). */
  tick(critical: readonly PieceRange[] = []): void {
    const wt = this.wt;
    if (wt.destroyed || !wt.ready) return;
    const now = this.nowMs();
    const playback = this.playbackView();
    this.emergency = nextEmergency(this.emergency, playback, this.policy);
    const prefetch = this.prefetch(playback);
    this.webSeed(playback, prefetch);
    this.rechoke();
    this.connections(now);
    this.snub(now);
    this.pieceOrder(playback);
    this.requests.tick(playback, critical);
    this.status.requestMoves = this.requests.moves;
    this.status.emergency = this.emergency;
    const reported = this.playback.current;
    this.status.playback =
      playback && reported
        ? {
            path: reported.path,
            playheadBytes: playback.playheadBytes,
            bufferAheadS: Math.round(playback.bufferAheadS * 10) / 10,
          }
        : null;
  }

  private prefetch(playback: PlaybackView | null): PieceRange[] {
    const wt = this.wt;
    const p = this.playback.current;
    let plan: ReturnType<typeof planPrefetch> | null = null;
    if (playback && p) {
      const playlist = wt.files.filter((f) => isMedia(f.name));
      const next = nextItem(playlist, p.path);
      const durationS = Number.isFinite(p.durationS) && p.durationS > 0 ? p.durationS : null;
      plan = planPrefetch(
        {
          layout: { pieceLengthBytes: wt.pieceLength, pieceCount: wt.pieces.length },
          current: { ...playback, positionS: p.positionS, durationS },
          next: next && { offsetBytes: next.offset, lengthBytes: next.length },
        },
        this.policy,
      );
    }
    const peers = plan?.peers ?? null;
    this.priorities.prefetch(peers);
    return plan?.webSeed ? [plan.webSeed] : [];
  }

  private webSeed(playback: PlaybackView | null, prefetch: PieceRange[]): void {
    if (this.seeds.length === 0) return;
    const wt = this.wt;
    const now = this.nowMs();
    const peers = this.peerWires();
    /** Each asked peer's queue of our requests, read once this tick. */
    const queues = new Map<SwarmPeer, Map<number, number>>();
    const decision = planWebSeed(
      {
        nowMs: now,
        layout: { pieceLengthBytes: wt.pieceLength, pieceCount: wt.pieces.length },
        pieces: {
          verified: (i) => wt.bitfield?.get(i) ?? false,
          peersWith: (i) => peers.reduce((n, w) => n + (w.has(i) ? 1 : 0), 0),
          peerEtaMs: (i) => {
            let eta: number | null = null;
            for (const w of wt.askedOf(i)) {
              if (w.isWebSeed) continue;
              const rate = Math.max(w.downRateBytesPerS(), ASSUMED_PEER_RATE_BYTES_PER_S / 4);
              let queue = queues.get(w);
              if (!queue) {
                queue = lastBlockPositions(w.queued);
                queues.set(w, queue);
              }
              const at = now + (bytesUntilDelivered(queue, i, wt.pieceLength) / rate) * 1000;
              eta = eta === null ? at : Math.min(eta, at);
            }
            return eta;
          },
        },
        playback,
        peerRateBytesPerS: peers.reduce((sum, w) => sum + w.downRateBytesPerS(), 0),
        torrentStartedAtMs: this.startedAtMs,
        emergency: this.emergency,
        prefetch,
      },
      this.policy,
    );
    for (const seed of this.seeds) seed.allow(decision.ranges);
    if (decision.reason === 'cold-start' || decision.reason === 'low-buffer')
      this.releaseToWebSeed(peers, decision.ranges);
    this.status.webSeedReason = decision.reason;
    this.status.webSeedAllowed = decision.ranges
      .map((r) => `${String(r.from)}-${String(r.to)}`)
      .join(',');
    this.status.webSeedRequests = this.seeds.reduce((n, s) => n + s.stats.requests, 0);
    this.status.webSeedBytes = this.seeds.reduce((n, s) => n + s.stats.bytes, 0);
  }

  /**
   * The web seed may rescue pieces a peer will deliver late, but webtorrent gives a piece to
   * only one connection at a time: while a peer holds its blocks, the web seed is never
   * asked for it (bench: a viewer frozen 7–11 s with those pieces allowed and no request to
   * the web seed). Withdraws our requests for them from the peers; the blocks go back to
   * webtorrent's pool and the web seed, which advertises them, takes them.
   */
  private releaseToWebSeed(peers: readonly SwarmPeer[], ranges: readonly PieceRange[]): void {
    for (const peer of peers)
      peer.withdraw((piece) => ranges.some((r) => piece >= r.from && piece <= r.to));
  }

  private rechoke(): void {
    const wires = this.peerWires();
    const now = this.nowMs();
    this.choke = rechoke(
      wires.map((w) => ({
        id: w.id,
        downRateBytesPerS: w.downRateBytesPerS(),
        upRateBytesPerS: w.upRateBytesPerS(),
        interested: w.interested,
        isSeeder: w.hasAll(this.wt.pieces.length),
        newcomer: now - this.infoOf(w).connectedAtMs < this.policy.welcomeMs,
      })),
      this.choke,
      {
        nowMs: now,
        seeding: this.wt.done,
        emergency: this.emergency,
        random: Math.random(),
      },
      this.policy,
    );
    const unchoked = unchokedIds(this.choke);
    for (const w of wires) w.setChoked(!unchoked.has(w.id));
    this.status.unchoked = unchoked.size;
  }

  private connections(now: number): void {
    const wires = this.peerWires();
    const plan = planConnections(
      wires.map((w) => {
        const info = this.infoOf(w);
        return {
          id: w.id,
          connectedAtMs: info.connectedAtMs,
          receivedBytes: info.down.sum(now, this.policy.usefulDownMs),
          sentBytes: info.up.sum(now, this.policy.usefulUpMs),
        };
      }),
      { nowMs: now, lastAnnounceMs: this.lastAnnounceMs },
      this.policy,
    );
    const prune = new Set(plan.prune);
    for (const w of wires) if (prune.has(w.id)) w.disconnect();
    if (plan.announce) {
      // The first announce is the swarm's own; count from it.
      if (this.lastAnnounceMs !== null) {
        this.wt.reannounce();
        this.findPeers();
      }
      this.lastAnnounceMs = now;
    }
  }

  /** Peers that sit on our requests and send nothing are snubbed, or dropped (policy/snub.ts). */
  private snub(now: number): void {
    const downloading = !this.wt.done && !this.wt.paused;
    const open = this.wt.peers().filter((p) => !p.closed);
    for (const peer of this.peerWires()) {
      const info = this.infoOf(peer);
      const queued = peer.queued;
      const { state, action } = judgeSnub(
        info.snub,
        {
          outstandingRequests: queued.length,
          lastDeliveryMs: info.lastDownMs,
          isWebSeed: false,
          neighbour: peer.neighbour,
          othersCanServe: open.some(
            (other) =>
              other !== peer &&
              !other.snubbed &&
              (other.isWebSeed || queued.some((block) => other.has(block.piece))),
          ),
        },
        { nowMs: now, downloading },
        this.policy,
      );
      info.snub = state;
      if (action === 'snub') peer.setSnubbed(true);
      else if (action === 'release') peer.setSnubbed(false);
      else if (action === 'drop') peer.dropSilent();
    }
  }

  private pieceOrder(playback: PlaybackView | null): void {
    const wt = this.wt;
    if (this.randomFirstDone) return;
    let verified = 0;
    for (let i = 0; i < wt.pieces.length && verified === 0; i++)
      if (wt.bitfield?.get(i)) verified++;
    const order = pieceOrder({
      verifiedPieces: verified,
      // A stream open with no player reporting (a /stream/ URL in a tab of its own) counts.
      streamActive: playback !== null || this.streaming(),
      bufferHealthy: playback ? playback.bufferAheadS >= this.policy.coldStartS : true,
    });
    if (order !== 'random-first') {
      if (verified > 0) this.randomFirstDone = true;
      return;
    }
    const peers = this.peerWires();
    const available: number[] = [];
    for (let i = 0; i < wt.pieces.length; i++) if (peers.some((w) => w.has(i))) available.push(i);
    const piece = randomFirstPiece(available, Math.random());
    if (piece === null) return;
    this.priorities.critical({ from: piece, to: piece });
    this.randomFirstDone = true;
  }
}
