/**
 * Spotify's greedy request scheduling (Kreitz & Niemelä, P2P 2010): "sorts peers by expected
 * download time and greedily requests the most urgent chunk from the top peer; if a peer is
 * too slow another is used". A decision over our request queues, for the pieces a player
 * needs soon (and every missing piece in the endgame); elsewhere webtorrent's own pipeline
 * and piece order stay as they are.
 *
 * A peer answers our block requests in the order they were sent, so a block asked of a peer
 * arrives after everything queued on it: its expected time is the peer's latency plus one
 * block time per block up to and including it. A peer that has owed us its next block for
 * longer than that (plus a margin) is late: it turned slow, or stopped answering, before its
 * measured rate (a few seconds' average) shows it, and its block time is taken to be at
 * least how long it has owed that block.
 *
 * Two outputs:
 * - `moves`: an urgent block queued on a peer expected to deliver it after the player needs it
 *   (a late peer expected later still) is cancelled there and asked of the peer that delivers
 *   it clearly sooner (greedily, most urgent first, each move lengthening the new peer's
 *   queue). With no clearly better peer it stays where it is, as does a block that will come
 *   in time from a late peer: asking again costs a round trip.
 * - `keepOff`: per peer, urgent pieces it must not be asked for now: it cannot deliver them
 *   before they are due and another peer clearly sooner can. So the most urgent blocks go to
 *   the fastest peers, and a slow peer still gets blocks due later than it can deliver.
 *
 * Web seeds are gated by policy/webseed.ts (they cost the CDN): they may receive a move for a
 * piece they are allowed (`has`), are never kept off, and their requests (one HTTP range
 * each) are never cancelled here. Pure: plain data and `nowMs` in, plain data out.
 */

/** BitTorrent's block: what each of our requests asks for. */
export const BLOCK_BYTES = 16 * 1024;

export interface RequestQueuePolicy {
  /** Assumed round trip to a peer (request out, first byte back), ms. */
  readonly peerLatencyMs: number;
  /** Assumed for a web seed: an HTTP request per range. */
  readonly webSeedLatencyMs: number;
  /** Assumed for a connection with no measured rate yet (a new peer, or one left idle). */
  readonly unmeasuredRateBytesPerS: number;
  /** A peer owing its next block this much longer than expected is late. */
  readonly lateMarginMs: number;
  /** Another peer is clearly sooner when it would deliver at least this much earlier. */
  readonly soonerMarginMs: number;
  /** Moves decided at most per round (each is a cancel and a request on the wire). */
  readonly maxMoves: number;
  /** At most this many pieces missing: the endgame (every missing piece is urgent). */
  readonly endgamePieces: number;
  /** Pieces this many seconds of media ahead of the playhead are urgent. */
  readonly horizonS: number;
}

export const DEFAULT_REQUEST_QUEUE_POLICY: RequestQueuePolicy = {
  peerLatencyMs: 100,
  webSeedLatencyMs: 300,
  unmeasuredRateBytesPerS: 64 * 1024,
  lateMarginMs: 1000,
  soonerMarginMs: 1000,
  maxMoves: 64,
  endgamePieces: 8,
  horizonS: 60,
};

/** One block request of ours, as the wire holds it. */
export interface QueuedRequest {
  readonly piece: number;
  readonly offset: number;
  readonly length: number;
}

/** One connection as the scheduler sees it. */
export interface RequestPeer {
  readonly id: string;
  readonly isWebSeed: boolean;
  /** Piece data it delivered per second lately, as measured (0: nothing measured). */
  readonly rateBytesPerS: number;
  /** Our requests it has not answered yet, oldest first. */
  readonly queue: readonly QueuedRequest[];
  /**
   * Since when it owes us its next block: the later of its last delivered block and its
   * oldest outstanding request (null: it owes nothing).
   */
  readonly owingSinceMs: number | null;
  /** It may be asked now (open, and not choking us). */
  readonly canRequest: boolean;
  /** It has the piece (a web seed: it is allowed to serve it). */
  has(piece: number): boolean;
}

/** A missing piece the player needs, and when it needs it. */
export interface UrgentPiece {
  readonly piece: number;
  readonly dueMs: number;
}

export interface RequestQueueInputs {
  readonly nowMs: number;
  readonly peers: readonly RequestPeer[];
  /** Most urgent first (the order of `dueMs`). */
  readonly urgent: readonly UrgentPiece[];
}

export interface Move {
  /** The peer it is cancelled on, and the one asked instead. */
  readonly from: string;
  readonly to: string;
  readonly request: QueuedRequest;
}

export interface RequestDecision {
  readonly moves: readonly Move[];
  /** Peer id → pieces it is not to be asked for now. */
  readonly keepOff: ReadonlyMap<string, ReadonlySet<number>>;
}

export const NO_REQUEST_STEERING: RequestDecision = { moves: [], keepOff: new Map() };

/** What is known of a peer's speed this round. */
interface Timing {
  readonly peer: RequestPeer;
  readonly latencyMs: number;
  /** Time per block from now on. */
  readonly blockMs: number;
  /** Blocks queued on it, with the moves of this round. */
  queued: number;
}

function timingOf(peer: RequestPeer, nowMs: number, policy: RequestQueuePolicy): Timing {
  const latencyMs = peer.isWebSeed ? policy.webSeedLatencyMs : policy.peerLatencyMs;
  const rate = peer.rateBytesPerS > 0 ? peer.rateBytesPerS : policy.unmeasuredRateBytesPerS;
  const measuredMs = (BLOCK_BYTES / rate) * 1000;
  const owedMs =
    peer.queue.length > 0 && peer.owingSinceMs !== null
      ? Math.max(0, nowMs - peer.owingSinceMs)
      : 0;
  const late = owedMs > latencyMs + measuredMs + policy.lateMarginMs;
  return {
    peer,
    latencyMs,
    // A late peer is taken to need at least as long per block as it has owed this one.
    blockMs: late ? Math.max(measuredMs, owedMs - latencyMs) : measuredMs,
    queued: peer.queue.length,
  };
}

/** When the block at `position` of its queue (0: the next to come) is expected. */
const etaAt = (t: Timing, nowMs: number, position: number): number =>
  nowMs + t.latencyMs + (position + 1) * t.blockMs;

/** When a block asked of it now is expected (after everything queued on it). */
const etaNew = (t: Timing, nowMs: number): number => etaAt(t, nowMs, t.queued);

/** The connection that would deliver `piece` soonest if asked now, other than `not`. */
function soonest(
  timings: readonly Timing[],
  piece: number,
  nowMs: number,
  not: Timing | null,
): { readonly timing: Timing; readonly etaMs: number } | null {
  let best: { timing: Timing; etaMs: number } | null = null;
  for (const t of timings) {
    if (t === not || !t.peer.canRequest || !t.peer.has(piece)) continue;
    const etaMs = etaNew(t, nowMs);
    if (!best || etaMs < best.etaMs) best = { timing: t, etaMs };
  }
  return best;
}

/** The moves and the pieces kept off each peer, for this round. */
export function planRequests(
  { nowMs, peers, urgent }: RequestQueueInputs,
  policy: RequestQueuePolicy = DEFAULT_REQUEST_QUEUE_POLICY,
): RequestDecision {
  if (urgent.length === 0 || peers.length < 2) return NO_REQUEST_STEERING;
  const timings = peers.map((p) => timingOf(p, nowMs, policy));
  const dueOf = new Map<number, number>();
  for (const u of urgent) if (!dueOf.has(u.piece)) dueOf.set(u.piece, u.dueMs);

  // Every urgent block queued on a peer we may cancel on, most urgent first.
  const queued: { timing: Timing; position: number; request: QueuedRequest; dueMs: number }[] = [];
  for (const t of timings) {
    if (t.peer.isWebSeed) continue;
    t.peer.queue.forEach((request, position) => {
      const dueMs = dueOf.get(request.piece);
      if (dueMs !== undefined) queued.push({ timing: t, position, request, dueMs });
    });
  }
  queued.sort((a, b) => a.dueMs - b.dueMs || a.position - b.position);

  const moves: Move[] = [];
  const keepOff = new Map<string, Set<number>>();
  const keep = (id: string, piece: number): void => {
    let set = keepOff.get(id);
    if (!set) keepOff.set(id, (set = new Set()));
    set.add(piece);
  };
  for (const q of queued) {
    if (moves.length >= policy.maxMoves) break;
    const etaMs = etaAt(q.timing, nowMs, q.position);
    if (etaMs <= q.dueMs) continue;
    const better = soonest(timings, q.request.piece, nowMs, q.timing);
    if (!better || better.etaMs + policy.soonerMarginMs >= etaMs) continue;
    moves.push({ from: q.timing.peer.id, to: better.timing.peer.id, request: q.request });
    better.timing.queued++;
    // Not asked of the slow peer again while the faster one has no room for it yet.
    keep(q.timing.peer.id, q.request.piece);
  }

  // Fastest first: the soonest other connection for a piece is found in a step or two.
  const byEta = timings
    .filter((t) => t.peer.canRequest)
    .map((t) => ({ t, etaMs: etaNew(t, nowMs) }))
    .sort((a, b) => a.etaMs - b.etaMs);
  for (const [piece, dueMs] of dueOf) {
    const holders = byEta.filter((x) => x.t.peer.has(piece));
    const best = holders[0];
    if (!best) continue;
    for (const own of holders) {
      if (own.t.peer.isWebSeed || own.etaMs <= dueMs) continue;
      const other = own === best ? holders[1] : best;
      if (other && other.etaMs + policy.soonerMarginMs < own.etaMs) keep(own.t.peer.id, piece);
    }
  }
  return { moves, keepOff };
}

/**
 * The urgent pieces of a torrent: its missing critical pieces (due now), the missing pieces
 * within `horizonS` of media ahead of the playhead (due when the playhead reaches them), and
 * in the endgame every missing piece (due now). Most urgent first, each once.
 */
export function urgentPieces(
  inputs: {
    readonly nowMs: number;
    readonly pieceCount: number;
    readonly pieceLengthBytes: number;
    readonly missing: (piece: number) => boolean;
    readonly critical: readonly { readonly from: number; readonly to: number }[];
    /** Where the playhead is in the torrent's bytes, in the file it plays (null: no playback). */
    readonly playhead: {
      readonly torrentByte: number;
      readonly fileEndByte: number;
      readonly bitrateBytesPerS: number;
    } | null;
  },
  policy: RequestQueuePolicy = DEFAULT_REQUEST_QUEUE_POLICY,
): UrgentPiece[] {
  const { nowMs, pieceCount, pieceLengthBytes, missing } = inputs;
  const due = new Map<number, number>();
  const add = (piece: number, dueMs: number): void => {
    if (piece < 0 || piece >= pieceCount || !missing(piece)) return;
    const had = due.get(piece);
    if (had === undefined || dueMs < had) due.set(piece, dueMs);
  };
  for (const r of inputs.critical) for (let i = r.from; i <= r.to; i++) add(i, nowMs);
  const head = inputs.playhead;
  if (head && head.bitrateBytesPerS > 0 && pieceLengthBytes > 0) {
    const endByte = Math.min(
      head.fileEndByte,
      head.torrentByte + policy.horizonS * head.bitrateBytesPerS,
    );
    const first = Math.floor(head.torrentByte / pieceLengthBytes);
    const last = Math.floor(Math.max(head.torrentByte, endByte - 1) / pieceLengthBytes);
    for (let i = first; i <= last; i++) {
      const aheadBytes = Math.max(0, i * pieceLengthBytes - head.torrentByte);
      add(i, nowMs + (aheadBytes / head.bitrateBytesPerS) * 1000);
    }
  }
  let missingCount = 0;
  for (let i = 0; i < pieceCount && missingCount <= policy.endgamePieces; i++)
    if (missing(i)) missingCount++;
  if (missingCount > 0 && missingCount <= policy.endgamePieces)
    for (let i = 0; i < pieceCount; i++) add(i, nowMs);
  return [...due]
    .map(([piece, dueMs]) => ({ piece, dueMs }))
    .sort((a, b) => a.dueMs - b.dueMs || a.piece - b.piece);
}
