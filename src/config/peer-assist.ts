/**
 * Spotify's peer-assisted rules (Kreitz & Niemelä, P2P 2010) as named thresholds: the web
 * seed is our CDN, used to start fast and to rescue a low buffer; BitTorrent's choking and
 * connection limits. Each is a default that a saved setting may change.
 */
export interface PeerAssistSettings {
  /** Use web seeds for anything missing, as stock WebTorrent does (off: only when needed). */
  readonly useWebSeedsFreely: boolean;
  /** Seconds of media after a play or seek that must arrive quickly (the cold start). */
  readonly coldStartS: number;
  /** How long after a play or seek it still counts as a cold start. */
  readonly coldStartMaxMs: number;
  /** How soon after a play or seek its first piece is wanted. */
  readonly startupBudgetMs: number;
  /** Seconds buffered ahead of the playhead under which the buffer is low (emergency). */
  readonly lowBufferS: number;
  /** Seconds buffered ahead at which an emergency is over (above `lowBufferS`: hysteresis). */
  readonly recoveredBufferS: number;
  /** The web seed never fetches more than this far ahead of the playhead. */
  readonly webSeedMaxAheadS: number;
  /**
   * The bitrate assumed while the player does not know the duration yet (it is reading the
   * file's first bytes): low, so that the first web seed request stays small; the real
   * bitrate takes over at the next report.
   */
  readonly unknownBitrateBytesPerS: number;
  /** A peer's piece is in time if it is expected this long before it is played. */
  readonly peerMarginMs: number;
  /** One web seed request spans at most this many bytes (consecutive missing pieces). */
  readonly maxWebSeedRequestBytes: number;
  /** Without playback: how long peers have to show up before pieces none has go to the web seed. */
  readonly plainDownloadGraceMs: number;
  /** Seconds left in the current item when the next item's first pieces come from peers. */
  readonly prefetchPeersS: number;
  /** Seconds left when they may come from the web seed too. */
  readonly prefetchWebSeedS: number;
  /** Seconds of the next item fetched ahead. */
  readonly prefetchHeadS: number;
  /** Regular unchoke slots (tit-for-tat), besides the optimistic one. */
  readonly maxUnchoked: number;
  readonly rechokeMs: number;
  /** How long one optimistic unchoke lasts before another peer gets it. */
  readonly optimisticMs: number;
  /**
   * How long a new connection may hold a free regular slot before it says it is interested
   * (unchoked before it asks, its first request needs no round trip).
   */
  readonly welcomeMs: number;
  /** Above this many connections the least useful one is closed. */
  readonly softConns: number;
  /** Never more than this many (webtorrent's `maxConns`). */
  readonly hardConns: number;
  /** With fewer peers than this, announce again early. */
  readonly lowPeers: number;
  /** Not more often than this. */
  readonly reannounceMinMs: number;
  /** Usefulness of a connection: bytes it sent us over this long … */
  readonly usefulDownMs: number;
  /** … and bytes we sent it over this long. */
  readonly usefulUpMs: number;
  /** A connection younger than this is not pruned (it has not had a chance yet). */
  readonly pruneGraceMs: number;
  /**
   * A peer that has had our block requests outstanding this long with no block from it is
   * snubbed (policy/snub.ts): its requests go to other peers and it gets none for a while.
   */
  readonly snubAfterMs: number;
  /** How long a snub lasts for a peer that has delivered something (then it is asked again). */
  readonly snubForMs: number;
  /** A snubbed peer that never delivered a block is disconnected after this long snubbed. */
  readonly dropSilentAfterMs: number;
}

export const DEFAULT_PEER_ASSIST: PeerAssistSettings = {
  useWebSeedsFreely: false,
  coldStartS: 15,
  coldStartMaxMs: 10_000,
  startupBudgetMs: 1_500,
  lowBufferS: 3,
  recoveredBufferS: 6,
  webSeedMaxAheadS: 15,
  unknownBitrateBytesPerS: 32_000,
  peerMarginMs: 500,
  maxWebSeedRequestBytes: 4 * 1024 * 1024,
  plainDownloadGraceMs: 10_000,
  prefetchPeersS: 30,
  prefetchWebSeedS: 10,
  prefetchHeadS: 10,
  maxUnchoked: 4,
  rechokeMs: 10_000,
  optimisticMs: 30_000,
  welcomeMs: 3_000,
  softConns: 50,
  hardConns: 60,
  lowPeers: 20,
  reannounceMinMs: 30_000,
  usefulDownMs: 10 * 60_000,
  usefulUpMs: 60 * 60_000,
  pruneGraceMs: 60_000,
  // libtorrent snubs a peer after `piece_timeout` (20 s) with no data; webtorrent drops the
  // connection after 30 s with a request unanswered, and until then the blocks it holds are
  // asked of nobody else (a piece, and a stream's playhead, wait). Between two tabs a block
  // arrives in milliseconds; on a slow real link (16 KiB/s) one still arrives every second,
  // and a busy 2-core machine stalls a tab for a second or two, not ten. 10 s of silence with
  // requests waiting is no honest peer's pace, and withdraws its blocks 20 s before webtorrent.
  snubAfterMs: 10_000,
  // Long enough that a snubbed peer that was only slow is not asked again at once, short
  // enough that it is back within one of our rechoke rounds.
  snubForMs: 10_000,
  // A block already in flight when we withdrew it (the cancel crosses it), or queued behind a
  // slow link, has 20 s to land; a peer that still sent nothing in 30 s of our asking is
  // disconnected, as webtorrent's own request timeout would, but held no blocks for 20 of them.
  dropSilentAfterMs: 20_000,
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Saved peer-assist settings over the defaults: each field kept only if it has the
 * default's type (a number finite and not negative); then the pairs that must be ordered
 * are (recovery above the low mark, soft limit under the hard one), else both default.
 */
export function mergePeerAssist(defaults: PeerAssistSettings, saved: unknown): PeerAssistSettings {
  if (!isRecord(saved)) return defaults;
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, fallback] of Object.entries(defaults)) {
    const value = saved[key];
    const ok =
      typeof fallback === 'boolean'
        ? typeof value === 'boolean'
        : typeof value === 'number' && Number.isFinite(value) && value >= 0;
    if (ok) merged[key] = value;
  }
  const result = merged as unknown as PeerAssistSettings;
  const ordered = (low: keyof PeerAssistSettings, high: keyof PeerAssistSettings) =>
    (result[low] as number) <= (result[high] as number)
      ? {}
      : { [low]: defaults[low], [high]: defaults[high] };
  return {
    ...result,
    ...ordered('lowBufferS', 'recoveredBufferS'),
    ...ordered('softConns', 'hardConns'),
    ...ordered('prefetchWebSeedS', 'prefetchPeersS'),
  };
}
