/**
 * The neighbour overlay (Spotify's half of the design): the other Shoal tabs we are connected
 * to, what we ask them and what we answer. The decisions are policy/overlay.ts's; the
 * connections and channels are the swarm's (NeighbourLink, SwarmClient.wireOver).
 *
 * - A torrent added: a query to every neighbour, beside the tracker's announce.
 * - A query from a neighbour, for a torrent we hold: if it came straight from the one asking,
 *   the torrent's wire runs to it at once over a new channel of our connection (`wire`); if
 *   it was forwarded, a `hit` goes back along its path. One we do not hold is forwarded once
 *   to our other neighbours while it has hops left; a repeated id, or a flood, is dropped.
 * - A `wire` from a neighbour, for a torrent running here: our half of its channel.
 * - A hit for our own query from a holder two hops away: we connect to it with the offer and
 *   answer relayed by the neighbour in between (`signal`), no tracker; it becomes a neighbour.
 *   A neighbour relays signalling only between the two ends of a hit it routed, within a rate,
 *   and only from the end that sent it; a holder answers an offer only for a torrent it just
 *   said it holds.
 */
import { MAX_HOPS, infoBytes, wireMessage, type OverlayMessage } from './protocol.ts';
import {
  DEFAULT_OVERLAY_LIMITS,
  firstQuery,
  mayRelay,
  onQuery,
  pairKey,
  rememberQuery,
  takeToken,
  type Bucket,
  type OverlayLimits,
} from '../policy/overlay.ts';
import type { NeighbourDial, NeighbourLink } from '../swarm/port.ts';
import type { OverlayClient, OverlayStats, QueryTally } from './overlay-types.ts';
import { QueryTallies } from './tallies.ts';
import { NeighbourUsage, type NeighbourLimits } from './usage.ts';

export type { OverlayClient, OverlayStats, QueryTally } from './overlay-types.ts';

export class Overlay {
  /** Each torrent's queries (the totals in `stats` move with every tab's). */
  private readonly tallies = new QueryTallies();
  /** Each neighbour's links (two tabs may have met through two torrents at once). */
  private readonly links = new Map<string, NeighbourLink[]>();
  private seen = new Map<string, number>();
  private readonly buckets = new Map<NeighbourLink, Bucket>();
  /** Queries we forwarded: the link each came from, where its hits go back. */
  private readonly routes = new Map<string, NeighbourLink>();
  /** Our own queries' ids. */
  private readonly mine = new Set<string>();
  readonly stats: OverlayStats = {
    neighbours: 0,
    queriesSent: 0,
    queriesReceived: 0,
    queriesAnswered: 0,
    queriesForwarded: 0,
    duplicatesDropped: 0,
    floodsDropped: 0,
    farHits: 0,
    wires: 0,
    signalsRelayed: 0,
    metadataFromWire: 0,
    metadataRefused: 0,
    dials: 0,
  };
  private readonly signalBuckets = new Map<NeighbourLink, Bucket>();
  /** Querier > holder pairs of the hits we routed back, with when: the signals we relay. */
  private readonly pairs = new Map<string, number>();
  /**
   * Torrents we told a far querier we hold, with when and through which neighbour: the offers
   * we answer (relayed by that neighbour).
   */
  private readonly told = new Map<string, { readonly at: number; readonly via: string }>();
  /** Connections being made with relayed signalling, by other end and torrent. */
  private readonly dials = new Map<string, NeighbourDial>();
  /** What each neighbour has been worth: the least useful are pruned. */
  private readonly usage: NeighbourUsage;

  constructor(
    private readonly client: OverlayClient,
    private readonly nowMs: () => number,
    private readonly newId: () => string = () => crypto.randomUUID(),
    private readonly limits: OverlayLimits = DEFAULT_OVERLAY_LIMITS,
    connLimits?: NeighbourLimits,
  ) {
    this.usage = new NeighbourUsage(nowMs, connLimits);
    client.onNeighbour((link) => {
      this.add(link);
    });
  }

  private add(link: NeighbourLink): void {
    const links = this.links.get(link.remoteId) ?? [];
    this.links.set(link.remoteId, [...links, link]);
    this.stats.neighbours = this.links.size;
    this.usage.add(link);
    link.onMessage((message) => {
      this.received(link, message);
    });
    link.onClose(() => {
      const left = (this.links.get(link.remoteId) ?? []).filter((l) => l !== link);
      if (left.length > 0) this.links.set(link.remoteId, left);
      else this.links.delete(link.remoteId);
      this.buckets.delete(link);
      this.signalBuckets.delete(link);
      this.usage.remove(link);
      this.stats.neighbours = this.links.size;
    });
  }

  /** One open link to each neighbour. */
  private neighbours(): NeighbourLink[] {
    const out: NeighbourLink[] = [];
    for (const links of this.links.values()) {
      const link = links.find((l) => l.open);
      if (link) out.push(link);
    }
    return out;
  }

  /** Our neighbours' peer ids. */
  neighbourIds(): ReadonlySet<string> {
    return new Set(this.links.keys());
  }

  /** Asks every neighbour for a torrent (added, or short of peers). */
  find(infoHash: string): void {
    const neighbours = this.neighbours();
    if (neighbours.length === 0) return;
    const query = firstQuery(
      this.newId(),
      infoHash,
      neighbours.map((l) => l.remoteId),
    );
    this.remember(query.id, this.nowMs());
    this.mine.add(query.id);
    for (const link of neighbours) {
      link.send({ t: 'query', q: query.id, infoHash, hops: query.hops });
      this.stats.queriesSent++;
    }
  }

  /** Remembers a query id; forgets routes and our own ids with the ids forgotten. */
  private remember(q: string, now: number): void {
    this.seen = rememberQuery(this.seen, q, now, this.limits);
    for (const id of this.routes.keys()) if (!this.seen.has(id)) this.routes.delete(id);
    for (const id of this.mine) if (!this.seen.has(id)) this.mine.delete(id);
    for (const [k, at] of this.pairs) if (now - at >= this.limits.seenMs) this.pairs.delete(k);
    for (const [k, { at }] of this.told) if (now - at >= this.limits.seenMs) this.told.delete(k);
  }

  /** Takes one of a neighbour's tokens from `buckets` (its rate limit); false if none. */
  private allowed(buckets: Map<NeighbourLink, Bucket>, link: NeighbourLink, now: number): boolean {
    const token = takeToken(
      buckets.get(link),
      now,
      this.limits.queriesPerS,
      this.limits.queryBurst,
    );
    buckets.set(link, token.bucket);
    return token.allowed;
  }

  private received(link: NeighbourLink, message: OverlayMessage): void {
    switch (message.t) {
      case 'query':
        this.query(link, message);
        return;
      case 'hit':
        this.hit(link, message);
        return;
      case 'signal':
        this.signal(link, message);
        return;
      case 'wire':
        // Our half of the channel it opened, if the torrent is running here.
        if (this.client.running(message.infoHash)) {
          if (this.client.wireOver(link, message.infoHash, message.ch) !== null) this.stats.wires++;
          if (message.info !== undefined) this.metadata(message.infoHash, message.info);
        }
        return;
      case 'hello':
        return;
    }
  }

  /** A torrent's metadata as a neighbour sent it with its wire: used once it hashes right. */
  private metadata(infoHash: string, info: string): void {
    const bytes = infoBytes(info);
    if (!bytes) {
      this.stats.metadataRefused++;
      return;
    }
    void this.client.supplyMetadata(infoHash, bytes).then((outcome) => {
      if (outcome === 'used') this.stats.metadataFromWire++;
      else if (outcome === 'wrong') this.stats.metadataRefused++;
    });
  }

  /** The queries about `infoHash` that reached this tab (all zero: none, or long ago). */
  queriesFor(infoHash: string): QueryTally {
    return this.tallies.of(infoHash);
  }

  private query(link: NeighbourLink, message: Extract<OverlayMessage, { t: 'query' }>): void {
    this.stats.queriesReceived++;
    const tally = this.tallies.live(message.infoHash);
    tally.received++;
    const now = this.nowMs();
    const allowed = this.allowed(this.buckets, link, now);
    const action = onQuery(
      { id: message.q, hops: message.hops, from: link.remoteId },
      {
        seen: this.seen,
        nowMs: now,
        holds: this.client.holds(message.infoHash),
        neighbours: this.neighbours().map((l) => l.remoteId),
        allowed,
      },
      this.limits,
    );
    if (action.kind === 'drop') {
      if (action.reason === 'duplicate') {
        this.stats.duplicatesDropped++;
        tally.duplicates++;
      }
      if (action.reason === 'flood') this.stats.floodsDropped++;
      if (action.reason !== 'flood') this.remember(message.q, now);
      return;
    }
    this.remember(message.q, now);
    if (action.kind === 'answer') {
      this.stats.queriesAnswered++;
      // Straight from the one asking (its first hop): the wire runs to it now.
      if (message.hops === MAX_HOPS - 1) {
        const ch = this.client.wireOver(link, message.infoHash);
        if (ch !== null) {
          link.send(wireMessage(message.infoHash, ch, this.client.infoOf(message.infoHash)));
          this.stats.wires++;
        }
      } else {
        this.told.set(message.infoHash, { at: now, via: link.remoteId });
        link.send({
          t: 'hit',
          q: message.q,
          infoHash: message.infoHash,
          holder: this.client.selfId,
        });
      }
      return;
    }
    this.routes.set(message.q, link);
    for (const to of action.to) {
      const next = this.neighbours().find((l) => l.remoteId === to);
      if (!next) continue;
      next.send({ t: 'query', q: message.q, infoHash: message.infoHash, hops: action.hops });
      this.stats.queriesForwarded++;
      tally.forwarded++;
    }
  }

  private hit(link: NeighbourLink, message: Extract<OverlayMessage, { t: 'hit' }>): void {
    const now = this.nowMs();
    // A hit for a query we forwarded goes back the way the query came; we will relay the
    // signalling between those two ends.
    const back = this.routes.get(message.q);
    if (back) {
      this.pairs.set(pairKey(back.remoteId, message.holder), now);
      back.send(message);
      return;
    }
    if (!this.mine.has(message.q)) return;
    this.stats.farHits++;
    // The neighbour that routed it helped us find a peer: that counts for its utility.
    this.usage.discovered(link, now);
    const { holder, infoHash } = message;
    const key = pairKey(holder, infoHash);
    if (
      holder === this.client.selfId ||
      this.links.has(holder) ||
      this.dials.has(key) ||
      !this.client.running(infoHash)
    )
      return;
    const dial = this.client.dial(
      infoHash,
      holder,
      true,
      (kind, data) => {
        link.send({ t: 'signal', from: this.client.selfId, to: holder, infoHash, kind, data });
      },
      () => this.dials.delete(key),
    );
    if (dial) {
      this.dials.set(key, dial);
      this.stats.dials++;
    }
  }

  private signal(link: NeighbourLink, message: Extract<OverlayMessage, { t: 'signal' }>): void {
    const now = this.nowMs();
    if (!this.allowed(this.signalBuckets, link, now)) return;
    if (message.to !== this.client.selfId) {
      // Only the end that sent it may speak for itself.
      if (message.from !== link.remoteId) return;
      const pairs = new Set(
        [...this.pairs].filter(([, at]) => now - at < this.limits.seenMs).map(([p]) => p),
      );
      const to = this.neighbours().find((l) => l.remoteId === message.to);
      if (to && mayRelay(message, pairs, true)) {
        to.send(message);
        this.stats.signalsRelayed++;
      }
      return;
    }
    if (message.kind === 'candidate') return;
    const key = pairKey(message.from, message.infoHash);
    if (message.kind === 'answer') {
      this.dials.get(key)?.signal('answer', message.data);
      return;
    }
    const told = this.told.get(message.infoHash);
    if (!told || told.via !== link.remoteId || now - told.at >= this.limits.seenMs) return;
    if (this.dials.has(key)) return;
    if (!this.client.holds(message.infoHash)) return;
    const dial = this.client.dial(
      message.infoHash,
      message.from,
      false,
      (kind, data) => {
        link.send({
          t: 'signal',
          from: this.client.selfId,
          to: message.from,
          infoHash: message.infoHash,
          kind,
          data,
        });
      },
      () => this.dials.delete(key),
    );
    if (!dial) return;
    this.dials.set(key, dial);
    this.stats.dials++;
    dial.signal('offer', message.data);
  }

  /** Keeps the neighbours within the connection limits (usage.ts). */
  prune(): Promise<void> {
    return this.usage.prune();
  }

  /** Closes every neighbour's connection (the page is going). */
  close(): void {
    for (const dial of this.dials.values()) dial.close();
    for (const links of this.links.values()) for (const link of links) link.close();
  }
}
