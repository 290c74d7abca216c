/**
 * Snubbing (libtorrent's word): a peer that claims pieces and never delivers them.
 *
 * A peer whose bitfield or `have`s claim pieces gets our block requests, and webtorrent gives
 * each block to one connection at a time: while the peer sits on them, nobody else is asked
 * for those blocks, until webtorrent's 30 s request timeout. The rule, judged on each tick:
 * - a peer that has had requests of ours outstanding for `snubAfterMs` with no block from it
 *   in that time, while the torrent is downloading and another connection has a piece of
 *   what it sits on, is snubbed: its requests are withdrawn (the blocks go back to the pool,
 *   other peers fetch them) and it is asked for nothing more;
 * - a snub lasts `snubForMs`, then the peer is asked again, if it has ever delivered a block
 *   (a late answer to a withdrawn request counts: it was slow, not silent);
 * - a peer that never delivered a block stays snubbed, and after `dropSilentAfterMs` snubbed
 *   is disconnected. Never banned: bans are for proven corrupt bytes (trust.ts), and a silent
 *   peer may only be slow or broken; it may connect again.
 * Two exceptions, as libtorrent keeps a snubbed peer asked (one block at a time) rather than
 * starve on it:
 * - nobody else to ask: no snub. Withdrawn blocks would be asked of no one and the download
 *   would stop for the snub's length; waiting on the only source loses nothing;
 * - a neighbour (a Shoal tab whose connection carries the overlay's control channel, and
 *   maybe other torrents' wires) is never dropped: it is snubbed like a slow peer and asked
 *   again after `snubForMs`. Dropping its wire frees no connection (the link keeps it), and
 *   the next wire to it waits for a query round (30 s); it runs our code, so its silence is
 *   a loaded machine, not a lie.
 * A web seed is never snubbed by this rule (its requests are whole ranges, gated by ours).
 * Once the torrent is done nothing new is snubbed, but a snub runs its course (a silent peer
 * is still dropped: it is of no use to a seeder either).
 *
 * Pure: the clock comes in as `nowMs`, each peer's state goes in and comes out.
 */
import type { PeerAssistSettings } from '../../config/peer-assist.ts';

export type SnubLimits = Pick<
  PeerAssistSettings,
  'snubAfterMs' | 'snubForMs' | 'dropSilentAfterMs'
>;

/** One connection as the rule sees it on a tick. */
export interface SnubPeer {
  /** Block requests of ours it has not answered. */
  readonly outstandingRequests: number;
  /** When it last delivered piece data (null: never since it connected). */
  readonly lastDeliveryMs: number | null;
  readonly isWebSeed: boolean;
  /** A Shoal neighbour: its connection outlives this wire (never dropped, only snubbed). */
  readonly neighbour: boolean;
  /** Another connection, not snubbed, has a piece of those it sits on (or is a web seed). */
  readonly othersCanServe: boolean;
}

/** What the rule remembers of a connection between ticks. */
export interface SnubState {
  /** The first tick that saw requests of ours outstanding on it, unbroken since (null: none). */
  readonly waitingSinceMs: number | null;
  /** When its snub began (null: not snubbed). */
  readonly snubbedAtMs: number | null;
}

export const NOT_SNUBBED: SnubState = { waitingSinceMs: null, snubbedAtMs: null };

/**
 * `snub`: withdraw its requests and ask it for nothing; `release`: it may be asked again;
 * `drop`: disconnect it (not a ban); null: nothing to do.
 */
export type SnubAction = 'snub' | 'release' | 'drop' | null;

export interface SnubVerdict {
  readonly state: SnubState;
  readonly action: SnubAction;
}

export function judgeSnub(
  state: SnubState,
  peer: SnubPeer,
  { nowMs, downloading }: { readonly nowMs: number; readonly downloading: boolean },
  limits: SnubLimits,
): SnubVerdict {
  if (peer.isWebSeed) return { state: NOT_SNUBBED, action: null };
  if (state.snubbedAtMs !== null) {
    const snubbedMs = nowMs - state.snubbedAtMs;
    if (peer.lastDeliveryMs === null && !peer.neighbour)
      return snubbedMs >= limits.dropSilentAfterMs
        ? { state: NOT_SNUBBED, action: 'drop' }
        : { state, action: null };
    return snubbedMs >= limits.snubForMs
      ? { state: NOT_SNUBBED, action: 'release' }
      : { state, action: null };
  }
  if (!downloading || peer.outstandingRequests === 0) return { state: NOT_SNUBBED, action: null };
  const waitingSinceMs = state.waitingSinceMs ?? nowMs;
  // Silent since we started waiting on it, or since its last block if that came later.
  const silentSinceMs = Math.max(waitingSinceMs, peer.lastDeliveryMs ?? waitingSinceMs);
  // Nobody to hand its blocks to: keep waiting on it (the wait goes on counting, so it is
  // snubbed as soon as another connection could take them).
  if (nowMs - silentSinceMs >= limits.snubAfterMs && peer.othersCanServe)
    return { state: { waitingSinceMs: null, snubbedAtMs: nowMs }, action: 'snub' };
  return { state: { waitingSinceMs, snubbedAtMs: null }, action: null };
}
