/**
 * The swarm's half of the neighbour overlay: every WebRTC connection a torrent makes is asked
 * whether it leads to a Shoal tab (link.ts), and a neighbour's connection carries the wires
 * of more torrents on channels of their own (channel-conn.ts). What to ask and whom to answer
 * is the overlay's (engine/overlay/), through the port's NeighbourLink.
 */
import type { WtTorrent } from 'webtorrent/dist/webtorrent.min.js';
import { wireLabel } from '../../overlay/protocol.ts';
import type { NeighbourDial, NeighbourLink, SignalSend } from '../port.ts';
import { ChannelConn } from './channel-conn.ts';
import { carrierIsShared, PeerLink, type Carrier } from './link.ts';

/** simple-peer's connection, as webtorrent's 'peer' event hands it (a wire's own is not). */
function isCarrier(conn: unknown): conn is Carrier {
  if (typeof conn !== 'object' || conn === null) return false;
  const c = conn as Partial<Carrier>;
  return (
    typeof c.id === 'string' &&
    typeof c.initiator === 'boolean' &&
    typeof c._destroy === 'function' &&
    '_pc' in c
  );
}

/**
 * Whether a wire's connection (webtorrent's peer `conn`) is a neighbour's, which outlives the
 * wire: a channel of a neighbour's connection, or the connection a neighbour link was made
 * on (or is being asked on). Such a wire is never dropped for silence (policy/snub.ts).
 */
export function connectionIsShared(conn: unknown): boolean {
  if (conn instanceof ChannelConn) return true;
  return typeof conn === 'object' && conn !== null && carrierIsShared(conn);
}

/** webtorrent's members used to hand a torrent a wire (3.0.21's addPeer). */
type WireTorrent = Pick<WtTorrent, 'infoHash' | 'destroyed'> & {
  addPeer(peer: unknown, source?: string): boolean;
};

/** simple-peer's class, as far as a dial uses it. */
interface DialPeer {
  id?: string;
  readonly destroyed: boolean;
  signal(data: unknown): void;
  on(event: 'signal', cb: (data: { type?: string; sdp?: string }) => void): unknown;
  on(event: 'error', cb: (err: Error) => void): unknown;
  once(event: 'connect' | 'close', cb: () => void): unknown;
  destroy(): void;
}
type PeerClass = new (opts: {
  initiator: boolean;
  trickle: boolean;
  config: RTCConfiguration;
}) => DialPeer;

/** A dial not connected after this is given up. */
export const DIAL_TIMEOUT_MS = 30_000;

export class Neighbours {
  private readonly listeners: ((link: NeighbourLink) => void)[] = [];
  private readonly links = new Set<PeerLink>();
  /** simple-peer's class, from the first connection seen (webtorrent does not export it). */
  private peerClass: PeerClass | null = null;

  constructor(
    private readonly selfId: string,
    private readonly rtcConfig: RTCConfiguration,
  ) {}

  /** Tells `cb` of each new neighbour. */
  onNeighbour(cb: (link: NeighbourLink) => void): void {
    this.listeners.push(cb);
  }

  /** A connection a torrent made (webtorrent's 'peer' event): asked once it is up. */
  carrier(conn: unknown): void {
    if (!isCarrier(conn)) return;
    this.peerClass ??= (conn as unknown as { constructor: PeerClass }).constructor;
    const probe = (): void => {
      PeerLink.probe(conn, this.selfId, (link) => {
        this.links.add(link);
        link.onClose(() => this.links.delete(link));
        for (const cb of this.listeners) cb(link);
      });
    };
    if (conn.connected) probe();
    else conn.once('connect', probe);
  }

  /**
   * Runs a torrent's wire to a neighbour over a new channel of their connection: `id` as the
   * neighbour asked, or a free one of ours. Returns the channel's id, or null if it cannot
   * (not a neighbour of ours, an id it may not take, none free, the connection gone).
   */
  wireOver(link: NeighbourLink, wt: WireTorrent, id?: number): number | null {
    if (!(link instanceof PeerLink) || !this.links.has(link) || wt.destroyed || !wt.infoHash)
      return null;
    const ch = id ?? link.freeChannel();
    if (ch === null || (id !== undefined && !link.mayTake(id))) return null;
    const channel = link.wireChannel(ch, wireLabel(wt.infoHash));
    if (!channel) return null;
    // Refused (a wire to that peer already runs for this torrent): the conn closes its channel.
    // With `id`, the other end asked for this channel: its half is made already.
    wt.addPeer(new ChannelConn(channel, link.remoteId, id !== undefined), 'overlay');
    return ch;
  }

  /**
   * Connects to a tab a neighbour led us to (a hit two hops away), with the offer and answer
   * relayed by that neighbour (`send`), no tracker: once connected, the connection carries
   * the torrent's wire, and is asked to be a neighbour like any other. Null if it cannot be
   * made (no connection seen yet to take simple-peer from, or the torrent is gone).
   */
  dial(
    wt: WireTorrent,
    remoteId: string,
    initiator: boolean,
    send: SignalSend,
    ended: () => void,
  ): NeighbourDial | null {
    const Peer = this.peerClass;
    if (!Peer || wt.destroyed) return null;
    const peer = new Peer({ initiator, trickle: false, config: this.rtcConfig });
    let done = false;
    const end = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ended();
    };
    const timer = setTimeout(() => {
      if (!done) peer.destroy();
      end();
    }, DIAL_TIMEOUT_MS);
    // Until webtorrent listens, a failure would be an unhandled 'error'.
    peer.on('error', () => undefined);
    peer.on('signal', (data) => {
      if ((data.type === 'offer' || data.type === 'answer') && typeof data.sdp === 'string')
        send(data.type, JSON.stringify({ type: data.type, sdp: data.sdp }));
    });
    peer.once('connect', () => {
      end();
      if (wt.destroyed) {
        peer.destroy();
        return;
      }
      peer.id = remoteId;
      // webtorrent's 'peer' event hands it to `carrier` (client.ts): it becomes a neighbour.
      wt.addPeer(peer, 'overlay');
    });
    peer.once('close', end);
    return {
      signal: (kind, data) => {
        if (done || peer.destroyed) return;
        try {
          const parsed = JSON.parse(data) as { type?: unknown; sdp?: unknown };
          if (parsed.type !== kind || typeof parsed.sdp !== 'string') throw new Error(kind);
          peer.signal({ type: kind, sdp: parsed.sdp });
        } catch {
          peer.destroy();
          end();
        }
      },
      close: () => {
        peer.destroy();
        end();
      },
    };
  }

  /** Closes every neighbour's connection (the client is going). */
  close(): void {
    for (const link of this.links) link.close();
  }
}
