import { DEFAULT_PEER_ASSIST, mergePeerAssist, type PeerAssistSettings } from './peer-assist.ts';

/**
 * User settings: one typed object of defaults, merged with what the user saved by one
 * function that keeps only well-formed values.
 */
export interface Settings {
  /**
   * Trackers every torrent announces to, besides those its magnet (`tr=`) or .torrent names.
   * `null` means "the defaults for this origin": our own tracker on localhost, public
   * WebSocket trackers elsewhere.
   */
  readonly trackers: readonly string[] | null;
  /** STUN/TURN servers. `null` means none on localhost and public STUN elsewhere. */
  readonly iceServers: readonly RTCIceServer[] | null;
  /** Most peer connections per torrent: the hard limit (BitTorrent's 60). */
  readonly maxConns: number;
  /**
   * Bytes that streamed (not kept) torrents may fill before the least recently used go.
   * `null` means Spotify's rule: 10 % of the browser's quota, 50 MB to 10 GB.
   */
  readonly cacheBudgetBytes: number | null;
  /** When the web seed is used, emergency mode, prefetch, choking, connection limits. */
  readonly peerAssist: PeerAssistSettings;
}

export const DEFAULT_SETTINGS: Settings = {
  trackers: null,
  iceServers: null,
  maxConns: DEFAULT_PEER_ASSIST.hardConns,
  cacheBudgetBytes: null,
  peerAssist: DEFAULT_PEER_ASSIST,
};

export const PUBLIC_TRACKERS: readonly string[] = [
  'wss://tracker.openwebtorrent.com',
  'wss://tracker.webtorrent.dev',
  'wss://tracker.btorrent.xyz',
];

export const PUBLIC_ICE_SERVERS: readonly RTCIceServer[] = [
  { urls: ['stun:stun.l.google.com:19302', 'stun:global.stun.twilio.com:3478'] },
];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function isTrackerUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'ws:' || url.protocol === 'wss:';
  } catch {
    return false;
  }
}

function isIceServer(value: unknown): value is RTCIceServer {
  if (!isRecord(value)) return false;
  const urls = value.urls;
  return (
    typeof urls === 'string' ||
    (Array.isArray(urls) && urls.length > 0 && urls.every((u) => typeof u === 'string'))
  );
}

/**
 * Merges saved settings (anything, e.g. parsed JSON from storage) over the defaults.
 * A field that is missing or malformed keeps its default; unknown fields are dropped.
 */
export function mergeSettings(defaults: Settings, saved: unknown): Settings {
  if (!isRecord(saved)) return defaults;
  const { trackers, iceServers, maxConns, cacheBudgetBytes, peerAssist } = saved;
  return {
    trackers:
      trackers === null
        ? null
        : Array.isArray(trackers) && trackers.every(isTrackerUrl)
          ? [...new Set(trackers)]
          : defaults.trackers,
    iceServers:
      iceServers === null
        ? null
        : Array.isArray(iceServers) && iceServers.every(isIceServer)
          ? iceServers
          : defaults.iceServers,
    maxConns:
      typeof maxConns === 'number' && Number.isInteger(maxConns) && maxConns >= 1 && maxConns <= 500
        ? maxConns
        : defaults.maxConns,
    cacheBudgetBytes:
      cacheBudgetBytes === null
        ? null
        : typeof cacheBudgetBytes === 'number' &&
            Number.isSafeInteger(cacheBudgetBytes) &&
            cacheBudgetBytes >= 0
          ? cacheBudgetBytes
          : defaults.cacheBudgetBytes,
    peerAssist: mergePeerAssist(defaults.peerAssist, peerAssist),
  };
}
