/**
 * The neighbour overlay's decisions (Spotify's peer-assisted design), pure: the caller passes
 * the time and the state, and applies what comes back.
 *
 * - A query for an info-hash travels at most two hops: we send it to our neighbours with one
 *   hop left; a neighbour that holds the torrent answers; one that does not forwards it, with
 *   no hop left, to its own neighbours but the one it came from; theirs answer or drop it.
 * - Each query carries a unique id: a tab that has seen the id drops it (a query that comes
 *   round a cycle is not answered or forwarded twice).
 * - Queries are rate-limited per neighbour (a token bucket): a flood is dropped, not relayed.
 * - Relayed signalling is bounded the same way, and only between the two ends a hit named.
 */
import { MAX_HOPS } from '../overlay/protocol.ts';

export interface OverlayLimits {
  /** Queries a neighbour may send us per second, sustained. */
  readonly queriesPerS: number;
  /** And in a burst. */
  readonly queryBurst: number;
  /** How long a query id is remembered (a duplicate after that is new again). */
  readonly seenMs: number;
  /** Query ids remembered at most (the oldest are forgotten first). */
  readonly seenMax: number;
}

export const DEFAULT_OVERLAY_LIMITS: OverlayLimits = {
  queriesPerS: 10,
  queryBurst: 20,
  seenMs: 60_000,
  seenMax: 4096,
};

/** A token bucket per neighbour: `tokens` at `atMs`. */
export interface Bucket {
  readonly tokens: number;
  readonly atMs: number;
}

/** Takes one token if there is one; the bucket refills at `ratePerS` up to `burst`. */
export function takeToken(
  bucket: Bucket | undefined,
  nowMs: number,
  ratePerS: number,
  burst: number,
): { readonly allowed: boolean; readonly bucket: Bucket } {
  const before = bucket ?? { tokens: burst, atMs: nowMs };
  const elapsedS = Math.max(0, nowMs - before.atMs) / 1000;
  const tokens = Math.min(burst, before.tokens + elapsedS * ratePerS);
  return tokens >= 1
    ? { allowed: true, bucket: { tokens: tokens - 1, atMs: nowMs } }
    : { allowed: false, bucket: { tokens, atMs: nowMs } };
}

/** Query ids seen, with when: remembered for `seenMs`, at most `seenMax` of them. */
export function rememberQuery(
  seen: ReadonlyMap<string, number>,
  id: string,
  nowMs: number,
  limits: Pick<OverlayLimits, 'seenMs' | 'seenMax'>,
): Map<string, number> {
  const next = new Map<string, number>();
  for (const [q, atMs] of seen) if (nowMs - atMs < limits.seenMs) next.set(q, atMs);
  next.delete(id);
  next.set(id, nowMs);
  // Insertion order is age order: drop the oldest over the cap.
  for (const q of next.keys()) {
    if (next.size <= limits.seenMax) break;
    next.delete(q);
  }
  return next;
}

export type QueryAction =
  | { readonly kind: 'drop'; readonly reason: 'duplicate' | 'flood' | 'hop limit' }
  | { readonly kind: 'answer' }
  | { readonly kind: 'forward'; readonly to: readonly string[]; readonly hops: number };

export interface QueryIn {
  readonly id: string;
  readonly hops: number;
  /** The neighbour it came from. */
  readonly from: string;
}

/** What to do with a query a neighbour sent us. */
export function onQuery(
  query: QueryIn,
  {
    seen,
    nowMs,
    holds,
    neighbours,
    allowed,
  }: {
    readonly seen: ReadonlyMap<string, number>;
    readonly nowMs: number;
    /** Whether we hold the torrent (have it whole, or are seeding what we have). */
    readonly holds: boolean;
    /** Our neighbours now (overlay ids). */
    readonly neighbours: readonly string[];
    /** The sender's rate limit let this query through (takeToken). */
    readonly allowed: boolean;
  },
  limits: Pick<OverlayLimits, 'seenMs'> = DEFAULT_OVERLAY_LIMITS,
): QueryAction {
  const seenAt = seen.get(query.id);
  if (seenAt !== undefined && nowMs - seenAt < limits.seenMs)
    return { kind: 'drop', reason: 'duplicate' };
  if (!allowed) return { kind: 'drop', reason: 'flood' };
  if (holds) return { kind: 'answer' };
  if (query.hops <= 0) return { kind: 'drop', reason: 'hop limit' };
  const to = neighbours.filter((n) => n !== query.from);
  return to.length > 0
    ? { kind: 'forward', to, hops: query.hops - 1 }
    : { kind: 'drop', reason: 'hop limit' };
}

/** The query a tab sends its neighbours when it adds a torrent or runs short of peers. */
export function firstQuery(
  id: string,
  infoHash: string,
  neighbours: readonly string[],
): {
  readonly to: readonly string[];
  readonly hops: number;
  readonly id: string;
  readonly infoHash: string;
} {
  // The neighbours are the first hop; what they may forward is the rest.
  return { id, infoHash, to: neighbours, hops: MAX_HOPS - 1 };
}

/**
 * Whether a relayed signal may pass through us: only between two ends a hit of ours named
 * (the querier and the holder), within the relay's rate limit.
 */
export function mayRelay(
  signal: { readonly from: string; readonly to: string },
  pairs: ReadonlySet<string>,
  allowed: boolean,
): boolean {
  return (
    allowed &&
    (pairs.has(pairKey(signal.from, signal.to)) || pairs.has(pairKey(signal.to, signal.from)))
  );
}

export const pairKey = (a: string, b: string): string => `${a}>${b}`;

/**
 * Whether a torrent added now should run over a neighbour's existing connection (a new data
 * channel: no ICE, no DTLS, no tracker) rather than wait for the tracker: a neighbour that
 * holds it, or answered a query for it, and whose connection is open.
 */
export function reuseFor(
  infoHash: string,
  neighbours: readonly {
    readonly id: string;
    readonly open: boolean;
    readonly holds: ReadonlySet<string>;
  }[],
): readonly string[] {
  return neighbours.filter((n) => n.open && n.holds.has(infoHash)).map((n) => n.id);
}
