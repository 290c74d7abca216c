/**
 * What each neighbour has been worth to us, and the pruning that keeps the neighbours within
 * Spotify's connection limits (50 soft, 60 hard): above the soft limit the least useful one
 * goes (past its grace), above the hard limit down to it at once. Useful is what it sent us
 * in the last 10 minutes, what we sent it in the last hour, and the peers it helped us find
 * in the last 10 minutes (policy/connections.ts). Its bytes are its whole connection's, every
 * torrent's wire on it counted.
 */
import { DEFAULT_PEER_ASSIST, type PeerAssistSettings } from '../../config/peer-assist.ts';
import { ByteWindow, planConnections } from '../policy/connections.ts';
import type { NeighbourLink } from '../swarm/port.ts';

/** The connection limits and utility windows neighbours are pruned by (Spotify's 50 / 60). */
export type NeighbourLimits = Pick<
  PeerAssistSettings,
  | 'softConns'
  | 'hardConns'
  | 'pruneGraceMs'
  | 'lowPeers'
  | 'reannounceMinMs'
  | 'usefulDownMs'
  | 'usefulUpMs'
>;

/** Peers a neighbour helped us find count for its utility this long (Spotify: 10 minutes). */
export const DISCOVERED_WITHIN_MS = 10 * 60_000;
/** How often the neighbours' traffic is read and the least useful pruned. */
export const PRUNE_EVERY_MS = 5_000;

/** What a neighbour's connection has been worth to us. */
interface Usage {
  readonly id: string;
  readonly connectedAtMs: number;
  readonly down: ByteWindow;
  readonly up: ByteWindow;
  /** The connection's byte counters when last read. */
  last: { readonly sentBytes: number; readonly receivedBytes: number };
  /** When it led us to a peer (a hit it routed back). */
  discovered: number[];
}

export class NeighbourUsage {
  private readonly usage = new Map<NeighbourLink, Usage>();
  private nextId = 0;
  private prunedAtMs: number | null = null;
  private pruning = false;

  constructor(
    private readonly nowMs: () => number,
    private readonly limits: NeighbourLimits = DEFAULT_PEER_ASSIST,
  ) {}

  add(link: NeighbourLink): void {
    this.usage.set(link, {
      id: `n${String(this.nextId++)}`,
      connectedAtMs: this.nowMs(),
      down: new ByteWindow(this.limits.usefulDownMs),
      up: new ByteWindow(this.limits.usefulUpMs),
      last: { sentBytes: 0, receivedBytes: 0 },
      discovered: [],
    });
  }

  remove(link: NeighbourLink): void {
    this.usage.delete(link);
  }

  /** It led us to a peer (a hit it routed back). */
  discovered(link: NeighbourLink, nowMs: number): void {
    this.usage.get(link)?.discovered.push(nowMs);
  }

  /** Reads every neighbour's traffic and prunes (at most every PRUNE_EVERY_MS). */
  async prune(): Promise<void> {
    const now = this.nowMs();
    if (this.pruning || (this.prunedAtMs !== null && now - this.prunedAtMs < PRUNE_EVERY_MS))
      return;
    this.pruning = true;
    this.prunedAtMs = now;
    try {
      const links = [...this.usage.keys()];
      const traffic = await Promise.all(links.map((link) => link.traffic()));
      const peers = links.flatMap((link, i) => {
        const u = this.usage.get(link);
        const t = traffic[i];
        if (!u || !t) return [];
        u.down.add(now, Math.max(0, t.receivedBytes - u.last.receivedBytes));
        u.up.add(now, Math.max(0, t.sentBytes - u.last.sentBytes));
        u.last = t;
        u.discovered = u.discovered.filter((at) => now - at < DISCOVERED_WITHIN_MS);
        return [
          {
            id: u.id,
            connectedAtMs: u.connectedAtMs,
            receivedBytes: u.down.sum(now, this.limits.usefulDownMs),
            sentBytes: u.up.sum(now, this.limits.usefulUpMs),
            discovered: u.discovered.length,
          },
        ];
      });
      const { prune } = planConnections(peers, { nowMs: now, lastAnnounceMs: now }, this.limits);
      const gone = new Set(prune);
      for (const [link, u] of this.usage) if (gone.has(u.id)) link.close();
    } finally {
      this.pruning = false;
    }
  }
}
