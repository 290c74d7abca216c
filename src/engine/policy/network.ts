import { PUBLIC_ICE_SERVERS, PUBLIC_TRACKERS, type Settings } from '../../config/settings.ts';

export interface NetworkInputs {
  /** `location.hostname` of the page. */
  readonly hostname: string;
  readonly settings: Pick<Settings, 'trackers' | 'iceServers'>;
  /** Port of the tracker `npm start` runs beside the app. */
  readonly localTrackerPort: number;
}

export interface NetworkPlan {
  /** Trackers added to every torrent (a magnet's own `tr=` are kept as well). */
  readonly announce: readonly string[];
  readonly iceServers: readonly RTCIceServer[];
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || hostname.endsWith('.localhost');
}

/**
 * Which trackers and ICE servers the app uses. Served from localhost, it announces to the
 * local tracker and uses no STUN servers (loopback needs none); elsewhere it names public
 * WebSocket trackers and STUN. Explicit settings win over both.
 */
export function planNetwork({ hostname, settings, localTrackerPort }: NetworkInputs): NetworkPlan {
  const local = isLoopbackHost(hostname);
  const trackerHost = hostname === '::1' ? '[::1]' : hostname;
  const announce =
    settings.trackers ??
    (local ? [`ws://${trackerHost}:${String(localTrackerPort)}`] : PUBLIC_TRACKERS);
  const iceServers = settings.iceServers ?? (local ? [] : PUBLIC_ICE_SERVERS);
  return { announce, iceServers };
}
