/**
 * A tracker that went away is tried again soon, and ever more rarely up to a bound: after
 * 1 s, doubling, at most every 30 s, each with up to 1 s of jitter. bittorrent-tracker's
 * WebSocket client (bundled in webtorrent 3.0.21) waits 10 s doubling up to an hour, plus up
 * to five minutes at random: a tab whose tracker restarted stayed off it for minutes, and a
 * newcomer found nobody. Transfers never wait on it: wires run on without the tracker.
 *
 * Its WebSocket client also shares one socket per tracker between torrents; a torrent that
 * joins the shared socket while it is still connecting never hears it connect, and stays
 * silent until that socket closes again. Joining now waits for the connect.
 *
 * A tracker also sets how often it is announced to (its `interval`), and the client took any
 * number: a hostile tracker answering `interval: 0.001` had the tab announce, with five new
 * WebRTC offers each, every millisecond. The interval is held within ANNOUNCE_INTERVAL_MS; a
 * value that is not a positive number leaves the client's default (30 s).
 *
 * The client's class is not exported: the patch goes on the prototype of the trackers of the
 * first torrent seen, once; timers already running with the stock delay are started again.
 */
import { WebTorrentShapeError } from '../shape.ts';
import { onDiscovery, type Discovering } from './on-discovery.ts';

export interface ReconnectBounds {
  readonly firstMs: number;
  readonly maxMs: number;
  readonly jitterMs: number;
}

export const TRACKER_RECONNECT: ReconnectBounds = { firstMs: 1000, maxMs: 30_000, jitterMs: 1000 };

/** The announce intervals a tracker may ask for. */
export const ANNOUNCE_INTERVAL_MS = { min: 10_000, max: 60 * 60_000 } as const;

/** The interval to keep for a tracker's `interval` answer (undefined: the client's default). */
export function boundedIntervalMs(ms: unknown): number | undefined {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) return undefined;
  return Math.min(Math.max(ms, ANNOUNCE_INTERVAL_MS.min), ANNOUNCE_INTERVAL_MS.max);
}

/** The delay before the reconnect after `retries` failed ones. */
export function reconnectDelayMs(retries: number, bounds: ReconnectBounds, random: number): number {
  const backoff = Math.min(bounds.firstMs * 2 ** Math.min(retries, 30), bounds.maxMs);
  return Math.floor(backoff + random * bounds.jitterMs);
}

/** The WebSocket tracker client's members used here. */
interface WsTracker {
  retries: number;
  reconnecting: boolean;
  reconnectTimer: ReturnType<typeof setTimeout> | null;
  destroyed: boolean;
  socket?: { readonly connected?: boolean; once(event: 'connect', cb: () => void): unknown } | null;
  _onSocketConnectBound?: () => void;
  _openSocket: (this: WsTracker) => void;
  _startReconnectTimer: (this: WsTracker) => void;
  setInterval: (this: WsTracker, intervalMs?: number | null) => void;
}

const patched = new WeakSet<object>();
/** Trackers whose running timer has been looked at (it may have had the stock delay). */
const seen = new WeakSet<object>();

/** Bounds a torrent's trackers from the moment its discovery makes them. */
export function boundTrackersOnDiscovery(
  wt: Discovering & { _startDiscovery(): void },
  failed: (err: Error) => void,
): void {
  onDiscovery(wt, () => {
    try {
      boundTrackerReconnect(wt);
    } catch (err) {
      failed(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

export function boundTrackerReconnect(
  wt: Discovering,
  bounds: ReconnectBounds = TRACKER_RECONNECT,
  random: () => number = Math.random,
): void {
  for (const tracker of wt.discovery?.tracker?._trackers ?? []) {
    const proto = Object.getPrototypeOf(tracker) as WsTracker | null;
    // Only the WebSocket client reconnects (the browser build has no other).
    if (!proto || !('_openSocket' in proto)) continue;
    if (!patched.has(proto)) {
      for (const member of ['_startReconnectTimer', '_openSocket', 'setInterval'] as const)
        if (typeof proto[member] !== 'function')
          throw new WebTorrentShapeError(member, 'function', 'tracker-reconnect');
      patched.add(proto);
      const setAnnounceInterval = proto.setInterval;
      proto.setInterval = function (this: WsTracker, intervalMs?: number | null) {
        setAnnounceInterval.call(this, boundedIntervalMs(intervalMs));
      };
      const openSocket = proto._openSocket;
      proto._openSocket = function (this: WsTracker) {
        openSocket.call(this);
        const socket = this.socket;
        const connected = this._onSocketConnectBound;
        if (socket && !socket.connected && connected) socket.once('connect', connected);
      };
      proto._startReconnectTimer = function (this: WsTracker) {
        const ms = reconnectDelayMs(this.retries, bounds, random());
        this.reconnecting = true;
        if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
        this.reconnectTimer = setTimeout(() => {
          this.retries++;
          this._openSocket();
        }, ms);
      };
    }
    // A timer set with the stock delay before the patch: set it again, once.
    if (seen.has(tracker)) continue;
    seen.add(tracker);
    const t = tracker as WsTracker;
    if (t.reconnecting) t._startReconnectTimer();
  }
}
