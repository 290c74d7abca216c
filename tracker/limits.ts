// The tracker's limits: what one connection, one torrent and the whole process may cost.
// Each is a setting (an environment variable of `npm run tracker`); the defaults are sized so
// that an honest tab never meets one (see docs/deploying-a-tracker.md).

export interface TrackerLimits {
  /** Largest message accepted; a bigger one closes the socket (1009). An honest announce carries at most 5 offers of a few KiB. */
  readonly maxMessageBytes: number;
  /** Offers one announce may carry (webtorrent's client sends at most 5; bittorrent-tracker names up to 82 peers). */
  readonly maxOffersPerAnnounce: number;
  /** Info-hashes one scrape may name (a scrape naming none would list every torrent). */
  readonly maxScrapeHashes: number;
  /** Messages (announces, answers, scrapes) a connection may send at once… */
  readonly messageBurst: number;
  /** …and per second after that. */
  readonly messagesPerS: number;
  /** Offers and answers a connection may have forwarded at once… */
  readonly signalBurst: number;
  /** …and per second after that. */
  readonly signalsPerS: number;
  /** Peers remembered per torrent: the most recent announcers (Spotify's tracker kept ~20). */
  readonly recentPeers: number;
  /**
   * Torrents one connection may be in at once (a tab announces all of its torrents on one
   * socket): bittorrent-tracker scans a socket's list of torrents on each of its announces.
   */
  readonly maxTorrentsPerSocket: number;
  /** Torrents remembered; the one announced to longest ago is forgotten first. */
  readonly maxTorrents: number;
  /** Open sockets; one more is refused with 503 at the upgrade. */
  readonly maxSockets: number;
  /** A socket that has sent nothing for this long is closed (the announce interval is 2 min). */
  readonly idleTimeoutMs: number;
  /** Bytes waiting to be sent to a socket that does not read them before it is closed. */
  readonly maxBufferedBytes: number;
}

export const DEFAULT_LIMITS: TrackerLimits = {
  maxMessageBytes: 64 * 1024,
  maxOffersPerAnnounce: 50,
  maxScrapeHashes: 50,
  messageBurst: 100,
  messagesPerS: 5,
  signalBurst: 100,
  signalsPerS: 5,
  recentPeers: 20,
  maxTorrentsPerSocket: 1000,
  maxTorrents: 100_000,
  maxSockets: 10_000,
  idleTimeoutMs: 5 * 60_000,
  maxBufferedBytes: 1024 * 1024,
};

/** The environment variable that sets each limit, e.g. TRACKER_MAX_SOCKETS for maxSockets. */
export const limitVariable = (name: keyof TrackerLimits): string =>
  `TRACKER_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/**
 * The defaults, with each limit an environment variable sets to a positive number instead.
 * Returns the limits and the variables that were ignored (not a positive number), to be told.
 */
export function limitsFrom(env: Record<string, string | undefined>): {
  limits: TrackerLimits;
  ignored: string[];
} {
  const limits: Record<string, number> = { ...DEFAULT_LIMITS };
  const ignored: string[] = [];
  for (const name of Object.keys(DEFAULT_LIMITS) as (keyof TrackerLimits)[]) {
    const variable = limitVariable(name);
    const text = env[variable];
    if (text === undefined || text === '') continue;
    const value = Number(text);
    if (Number.isFinite(value) && value > 0) limits[name] = value;
    else ignored.push(`${variable}=${text}`);
  }
  return { limits: limits as unknown as TrackerLimits, ignored };
}
