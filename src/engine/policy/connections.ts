/**
 * BitTorrent's connection limits: above `softConns` close the least useful connection
 * (bytes it sent us over `usefulDownMs` plus bytes we sent it over `usefulUpMs`, plus, for
 * an overlay neighbour, `DISCOVERY_WORTH_BYTES` for each peer it helped us find over the
 * last 10 minutes: Spotify's utility), one a tick; above `hardConns` close down to it at once; with fewer than `lowPeers` connected,
 * announce again early (not more often than `reannounceMinMs`).
 */
import type { PeerAssistSettings } from '../../config/peer-assist.ts';

export interface ConnPeer {
  readonly id: string;
  readonly connectedAtMs: number;
  /** Piece bytes it sent us over `usefulDownMs`. */
  readonly receivedBytes: number;
  /** Piece bytes we sent it over `usefulUpMs`. */
  readonly sentBytes: number;
  /** Peers it helped us discover (answered or relayed a query) in the last 10 minutes. */
  readonly discovered?: number;
}

/** A peer a neighbour led us to counts as much as this many bytes it sent us. */
export const DISCOVERY_WORTH_BYTES = 1024 * 1024;

const utility = (p: ConnPeer): number =>
  p.receivedBytes + p.sentBytes + (p.discovered ?? 0) * DISCOVERY_WORTH_BYTES;

export interface ConnPlan {
  readonly prune: readonly string[];
  readonly announce: boolean;
}

type ConnPolicy = Pick<
  PeerAssistSettings,
  'softConns' | 'hardConns' | 'lowPeers' | 'reannounceMinMs' | 'pruneGraceMs'
>;

export function planConnections(
  peers: readonly ConnPeer[],
  { nowMs, lastAnnounceMs }: { readonly nowMs: number; readonly lastAnnounceMs: number | null },
  policy: ConnPolicy,
): ConnPlan {
  // Least useful first; on a tie the older goes (a newer one may still prove itself).
  const ranked = [...peers].sort(
    (a, b) =>
      utility(a) - utility(b) || a.connectedAtMs - b.connectedAtMs || (a.id < b.id ? -1 : 1),
  );
  let prune: string[] = [];
  if (peers.length > policy.hardConns) {
    prune = ranked.slice(0, peers.length - policy.hardConns).map((p) => p.id);
  } else if (peers.length > policy.softConns) {
    const old = ranked.find((p) => nowMs - p.connectedAtMs >= policy.pruneGraceMs);
    if (old) prune = [old.id];
  }
  const announce =
    peers.length < policy.lowPeers &&
    (lastAnnounceMs === null || nowMs - lastAnnounceMs >= policy.reannounceMinMs);
  return { prune, announce };
}

/**
 * Bytes counted in one-minute buckets, so that "over the last N minutes" is a sum. Pure:
 * the caller passes the time.
 */
export class ByteWindow {
  private readonly buckets = new Map<number, number>();

  constructor(private readonly keepMs: number) {}

  add(nowMs: number, bytes: number): void {
    const minute = Math.floor(nowMs / 60_000);
    this.buckets.set(minute, (this.buckets.get(minute) ?? 0) + bytes);
    const oldest = Math.floor((nowMs - this.keepMs) / 60_000);
    for (const key of this.buckets.keys()) if (key < oldest) this.buckets.delete(key);
  }

  /** Bytes added in the last `spanMs` (to the minute). */
  sum(nowMs: number, spanMs: number): number {
    const oldest = Math.floor((nowMs - spanMs) / 60_000);
    let total = 0;
    for (const [minute, bytes] of this.buckets) if (minute >= oldest) total += bytes;
    return total;
  }
}
