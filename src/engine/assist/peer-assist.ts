/**
 * Applies the peer-assist policy (policy/webseed.ts, emergency.ts, prefetch.ts, choke.ts,
 * connections.ts, piece-order.ts) to one live torrent on the engine's tick. The torrent is
 * seen through the few members used here; only the adapter hands one in.
 *
 * What stock webtorrent already does and what this adds: stock rechokes every 10 s by
 * download rate with one optimistic slot (10 slots by default); we replace its timer with
 * our 4 + 1 (by upload rate when seeding, none in an emergency). Stock adds every BEP 19
 * web seed as one more fast peer; we add it gated (webseed-conn.ts). Stock never prunes
 * connections or re-announces early; we do both.
 */
import { measuredDownloadRate } from './request-pipeline.ts';
import type { PeerAssistSettings } from '../config/peer-assist.ts';
import { mimeTypeFor } from './mime.ts';
import type { PlaybackReport } from './types.ts';
import { ByteWindow, planConnections } from './policy/connections.ts';
import { INITIAL_CHOKE, rechoke, unchokedIds, type ChokeState } from './policy/choke.ts';
import { nextEmergency } from './policy/emergency.ts';
import { pieceOrder, randomFirstPiece } from './policy/piece-order.ts';
import { bufferedAheadBytes, type PieceRange } from './policy/playhead-window.ts';
import { nextItem, planPrefetch } from './policy/prefetch.ts';
import { ASSUMED_PEER_RATE_BYTES_PER_S, planWebSeed, type PlaybackView } from './policy/webseed.ts';
import { GatedWebSeed, type StockWebConn } from './webseed-conn.ts';
import { peerHasAll, type PeerPieces } from './peer-has-all.ts';
import {
  bytesUntilDelivered,
  lastBlockPositions,
  withdrawRequests,
  type RequestingWire,
} from './outstanding-requests.ts';

export interface AssistWire extends RequestingWire {
  readonly type?: string;
  readonly destroyed?: boolean;
  readonly peerPieces: PeerPieces;
  readonly peerInterested: boolean;
  readonly amChoking: boolean;
  downloadSpeed(): number;
  uploadSpeed(): number;
  choke(): void;
  unchoke(): void;
  destroy(): void;
  on(event: 'download' | 'upload', cb: (bytes: number) => void): unknown;
}

export interface AssistTorrent {
  readonly ready: boolean;
  readonly destroyed: boolean;
  readonly done: boolean;
  readonly pieceLength: number;
  readonly length: number;
  readonly pieces: { readonly length: number };
  readonly bitfield?: { get(index: number): boolean };
  readonly wires: readonly AssistWire[];
  readonly files: readonly {
    readonly path: string;
    readonly name: string;
    readonly offset: number;
    readonly length: number;
  }[];
  readonly urlList?: readonly string[];
  readonly _reservations?: readonly ((AssistWire | null)[] | undefined)[];
  readonly _peers?: { get(id: string): { conn?: unknown } | undefined };
  readonly _rechokeIntervalId?: ReturnType<typeof setInterval> | null;
  readonly discovery?: { tracker?: { update?: () => void } | null } | null;
  addWebSeed(url: string): void;
  critical(from: number, to: number): void;
  _select(from: number, to: number, priority: number, notify: null, isStream: true): void;
  _deselect(from: number, to: number, isStream: true): void;
  on(event: 'wire', cb: (wire: AssistWire) => void): unknown;
}

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
}

const isMedia = (name: string): boolean => /^(audio|video)\//.test(mimeTypeFor(name));
const PREFETCH_PRIORITY = 2;

interface WireInfo {
  readonly id: string;
  readonly connectedAtMs: number;
  readonly down: ByteWindow;
  readonly up: ByteWindow;
}

export class PeerAssist {
  private readonly startedAtMs: number;
  private readonly wires = new WeakMap<AssistWire, WireInfo>();
  private nextWireId = 0;
  private playback:
    (PlaybackReport & { startedAtMs: number; atMs: number; coldStartFilled: boolean }) | null =
    null;
  private emergency = false;
  private choke: ChokeState = INITIAL_CHOKE;
  private lastAnnounceMs: number | null = null;
  private seeds: GatedWebSeed[] = [];
  private prefetched: PieceRange | null = null;
  private randomFirstDone = false;
  readonly status: AssistStatus = {
    emergency: false,
    playback: null,
    webSeedReason: 'idle',
    webSeedAllowed: '',
    webSeedRequests: 0,
    webSeedBytes: 0,
    unchoked: 0,
  };

  constructor(
    private readonly wt: AssistTorrent,
    private readonly policy: PeerAssistSettings,
    private readonly nowMs: () => number,
    /** Whether a stream of this torrent is open (a player waiting for data reports nothing). */
    private readonly streaming: () => boolean = () => false,
  ) {
    this.startedAtMs = nowMs();
    wt.on('wire', (wire) => {
      this.infoOf(wire);
      // A free slot goes to the newcomer at once (choke.ts), after webtorrent's first
      // messages: the handshake and the bitfield, sent a microtask after this event.
      if (wt.ready)
        setTimeout(() => {
          if (!wire.destroyed && !wt.destroyed) this.rechoke();
        }, 0);
    });
  }

  private infoOf(wire: AssistWire): WireInfo {
    let info = this.wires.get(wire);
    if (!info) {
      const made: WireInfo = {
        id: `w${String(this.nextWireId++)}`,
        connectedAtMs: this.nowMs(),
        down: new ByteWindow(this.policy.usefulDownMs),
        up: new ByteWindow(this.policy.usefulUpMs),
      };
      wire.on('download', (bytes) => {
        made.down.add(this.nowMs(), bytes);
      });
      wire.on('upload', (bytes) => {
        made.up.add(this.nowMs(), bytes);
      });
      this.wires.set(wire, made);
      info = made;
    }
    return info;
  }

  /** Once the torrent is ready: take over choking and add its web seeds, gated. */
  onReady(): void {
    const wt = this.wt;
    if (wt._rechokeIntervalId) clearInterval(wt._rechokeIntervalId);
    for (const url of wt.urlList ?? []) {
      if (!/^https?:\/\//.test(url)) continue;
      wt.addWebSeed(url);
      const conn = wt._peers?.get(url)?.conn as StockWebConn | undefined;
      if (conn) this.seeds.push(new GatedWebSeed(conn, wt, url, this.nowMs));
    }
  }

  report(report: PlaybackReport): void {
    const now = this.nowMs();
    const prev = this.playback;
    const started =
      !prev ||
      prev.path !== report.path ||
      report.event === 'seeking' ||
      report.event === 'loadstart' ||
      (report.event === 'play' && !prev.playing);
    this.playback = {
      ...report,
      startedAtMs: started ? now : prev.startedAtMs,
      coldStartFilled: started ? false : prev.coldStartFilled,
      atMs: now,
    };
  }

  private peerWires(): AssistWire[] {
    return this.wt.wires.filter((w) => w.type !== 'webSeed' && !w.destroyed);
  }

  private playbackView(): (PlaybackView & { toEnd: boolean }) | null {
    const p = this.playback;
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
    if (bufferAheadS >= this.policy.coldStartS) p.coldStartFilled = true;
    return {
      file: span,
      playheadBytes,
      bitrateBytesPerS: bitrate,
      bufferAheadS,
      startedAtMs: p.startedAtMs,
      playing: p.playing,
      coldStartFilled: p.coldStartFilled,
      toEnd: known && p.positionS + bufferAheadS >= p.durationS - 0.5,
    };
  }

  tick(): void {
    const wt = this.wt;
    if (wt.destroyed || !wt.ready) return;
    const now = this.nowMs();
    const playback = this.playbackView();
    this.emergency = nextEmergency(this.emergency, playback, this.policy);
    const prefetch = this.prefetch(playback);
    this.webSeed(playback, prefetch);
    this.rechoke();
    this.connections(now);
    this.pieceOrder(playback);
    this.status.emergency = this.emergency;
    this.status.playback =
      playback && this.playback
        ? {
            path: this.playback.path,
            playheadBytes: playback.playheadBytes,
            bufferAheadS: Math.round(playback.bufferAheadS * 10) / 10,
          }
        : null;
  }

  private prefetch(playback: PlaybackView | null): PieceRange[] {
    const wt = this.wt;
    const p = this.playback;
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
    const had = this.prefetched;
    if (had && (!peers || had.from !== peers.from || had.to !== peers.to)) {
      wt._deselect(had.from, had.to, true);
      this.prefetched = null;
    }
    if (peers && !this.prefetched) {
      wt._select(peers.from, peers.to, PREFETCH_PRIORITY, null, true);
      this.prefetched = peers;
    }
    return plan?.webSeed ? [plan.webSeed] : [];
  }

  private webSeed(playback: PlaybackView | null, prefetch: PieceRange[]): void {
    if (this.seeds.length === 0) return;
    const wt = this.wt;
    const now = this.nowMs();
    const peers = this.peerWires();
    const reservations = wt._reservations ?? [];
    /** Each asked peer's queue of our requests, read once this tick. */
    const queues = new Map<AssistWire, Map<number, number>>();
    const decision = planWebSeed(
      {
        nowMs: now,
        layout: { pieceLengthBytes: wt.pieceLength, pieceCount: wt.pieces.length },
        pieces: {
          verified: (i) => wt.bitfield?.get(i) ?? false,
          peersWith: (i) => peers.reduce((n, w) => n + (w.peerPieces.get(i) ? 1 : 0), 0),
          peerEtaMs: (i) => {
            let eta: number | null = null;
            for (const w of reservations[i] ?? []) {
              if (!w || w.type === 'webSeed') continue;
              const rate = Math.max(measuredDownloadRate(w), ASSUMED_PEER_RATE_BYTES_PER_S / 4);
              let queue = queues.get(w);
              if (!queue) {
                queue = lastBlockPositions(w.requests ?? []);
                queues.set(w, queue);
              }
              const at = now + (bytesUntilDelivered(queue, i, wt.pieceLength) / rate) * 1000;
              eta = eta === null ? at : Math.min(eta, at);
            }
            return eta;
          },
        },
        playback,
        peerRateBytesPerS: peers.reduce((sum, w) => sum + measuredDownloadRate(w), 0),
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
  private releaseToWebSeed(peers: readonly AssistWire[], ranges: readonly PieceRange[]): void {
    withdrawRequests(peers, (piece) => ranges.some((r) => piece >= r.from && piece <= r.to));
  }

  private rechoke(): void {
    const wires = this.peerWires();
    const now = this.nowMs();
    this.choke = rechoke(
      wires.map((w) => ({
        id: this.infoOf(w).id,
        downRateBytesPerS: measuredDownloadRate(w),
        upRateBytesPerS: w.uploadSpeed(),
        interested: w.peerInterested,
        // Not webtorrent's wire.isSeeder: see peer-has-all.ts.
        isSeeder: peerHasAll(w.peerPieces, this.wt.pieces.length),
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
    for (const w of wires) {
      const want = unchoked.has(this.infoOf(w).id);
      if (want && w.amChoking) w.unchoke();
      if (!want && !w.amChoking) w.choke();
    }
    this.status.unchoked = unchoked.size;
  }

  private connections(now: number): void {
    const wires = this.peerWires();
    const plan = planConnections(
      wires.map((w) => {
        const info = this.infoOf(w);
        return {
          id: info.id,
          connectedAtMs: info.connectedAtMs,
          receivedBytes: info.down.sum(now, this.policy.usefulDownMs),
          sentBytes: info.up.sum(now, this.policy.usefulUpMs),
        };
      }),
      { nowMs: now, lastAnnounceMs: this.lastAnnounceMs },
      this.policy,
    );
    const prune = new Set(plan.prune);
    for (const w of wires) if (prune.has(this.infoOf(w).id)) w.destroy();
    if (plan.announce) {
      const tracker = this.wt.discovery?.tracker;
      // The first announce is webtorrent's own; count from it.
      if (this.lastAnnounceMs !== null) tracker?.update?.();
      this.lastAnnounceMs = now;
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
    for (let i = 0; i < wt.pieces.length; i++)
      if (peers.some((w) => w.peerPieces.get(i))) available.push(i);
    const piece = randomFirstPiece(available, Math.random());
    if (piece === null) return;
    wt.critical(piece, piece);
    this.randomFirstDone = true;
  }
}
