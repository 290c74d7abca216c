/**
 * A neighbour: another Shoal tab we have a WebRTC connection with, and the control channel on
 * that connection (overlay/protocol.ts). Made from the first connection a torrent makes to
 * it (simple-peer, from the tracker): when that connects, both ends open a negotiated
 * control channel and say `hello`; a stock WebTorrent peer never answers, and its connection
 * stays exactly as it was.
 *
 * Once both have said hello, the connection belongs to the neighbour, not to the torrent
 * whose wire it carried: when that wire ends (the torrent finished and was removed), the
 * RTCPeerConnection stays open for the next torrent's wires (channel-conn.ts), within the
 * connection limits. It closes when the neighbour is pruned or gone, or, if its control
 * channel was closed for a hostile message, once its last wire has ended.
 */
import { decode, encode, PROTOCOL_VERSION, type OverlayMessage } from '../../overlay/protocol.ts';
import type { NeighbourLink } from '../port.ts';

/** The members of simple-peer's connection (lite.js, bundled in webtorrent 3.0.21) used here. */
export interface Carrier {
  /** The other tab's peer id (40 hex), set by the tracker client. */
  readonly id?: string;
  readonly initiator: boolean;
  readonly destroyed: boolean;
  readonly connected: boolean;
  _pc: RTCPeerConnection | null;
  _destroy(cb: () => void, err?: Error): void;
  once(event: 'connect' | 'close', cb: () => void): unknown;
}

/** The control channel's id, the same at both ends (negotiated). */
export const CONTROL_CHANNEL_ID = 100;
/** Wire channels take ids above the control channel's, below SCTP's 1024 streams. */
const FIRST_WIRE_ID = 101;
const LAST_WIRE_ID = 1023;
/** How often `hello` is said until the other end's is heard, and for how long. */
const HELLO_EVERY_MS = 200;
export const HELLO_TIMEOUT_MS = 10_000;

/** Each carrier's link, once the other end said hello. */
const linkOf = new WeakMap<object, PeerLink>();
/** Carriers whose other end has not answered hello yet (maybe a Shoal tab). */
const asking = new WeakSet<object>();

/**
 * Whether a carrier's RTCPeerConnection is, or may yet be, a neighbour's: it carries the
 * control channel or other torrents' wires (the link keeps it when the carrier's own wire
 * ends), or its hello is still being asked. Closing such a carrier's wire for silence is
 * not the torrent's call alone (policy/snub.ts keeps it, snubbed).
 */
export function carrierIsShared(carrier: object): boolean {
  return asking.has(carrier) || (linkOf.get(carrier)?.keepsConnection ?? false);
}

export class PeerLink implements NeighbourLink {
  private readonly listeners: ((message: OverlayMessage) => void)[] = [];
  private readonly closers: (() => void)[] = [];
  /** Wire channel ids in use on this connection (either end's). */
  private readonly channels = new Set<number>();
  /** The connection, once the carrier's own wire has ended and left it to us. */
  private owned: RTCPeerConnection | null = null;
  private neighbour = true;
  private closing = false;

  private constructor(
    readonly remoteId: string,
    private readonly carrier: Carrier,
    private readonly pc: RTCPeerConnection,
    private readonly control: RTCDataChannel,
  ) {
    // The carrier's wire may end (its torrent removed) while we are neighbours: keep the
    // connection. simple-peer closes `_pc` only if it still holds it when it is destroyed.
    linkOf.set(carrier, this);
    const destroy = carrier._destroy.bind(carrier);
    carrier._destroy = (cb, err) => {
      if (this.keepsConnection) {
        this.owned = pc;
        carrier._pc = null;
      }
      destroy(cb, err);
    };
    control.addEventListener('close', () => {
      this.endNeighbour();
    });
    pc.addEventListener('connectionstatechange', () => {
      if (pc.connectionState === 'failed' || pc.connectionState === 'closed') this.close();
    });
    control.addEventListener('message', (event: MessageEvent<unknown>) => {
      this.received(event.data);
    });
  }

  /** Whether the connection outlives the carrier's wire (a neighbour's, or carrying wires). */
  get keepsConnection(): boolean {
    return !this.closing && (this.neighbour || this.channels.size > 0);
  }

  /**
   * Whether the carrier's own wire has ended (simple-peer gave up the connection, to us or
   * to nobody). simple-peer's `destroyed` stays false when it ends itself on a closed channel.
   */
  private get carrierGone(): boolean {
    return this.owned !== null || this.carrier._pc === null || this.carrier.destroyed;
  }

  /**
   * Asks the other end of a carrier whether it is a Shoal tab (`selfId`: our peer id); calls
   * `made` with the link if it says hello in time.
   */
  static probe(carrier: Carrier, selfId: string, made: (link: PeerLink) => void): void {
    const pc = carrier._pc;
    if (!pc || carrier.destroyed || !carrier.id) return;
    const remoteId = carrier.id;
    const control = pc.createDataChannel('shoal-control', {
      negotiated: true,
      id: CONTROL_CHANNEL_ID,
    });
    const hello = encode({ t: 'hello', v: PROTOCOL_VERSION, id: selfId });
    const say = (): void => {
      if (control.readyState === 'open') control.send(hello);
    };
    const timer = setInterval(say, HELLO_EVERY_MS);
    asking.add(carrier);
    const stop = (): void => {
      asking.delete(carrier);
      clearInterval(timer);
      clearTimeout(giveUp);
      control.removeEventListener('message', heard);
    };
    // A stock peer: its connection is left as it is, without our channel.
    const giveUp = setTimeout(() => {
      stop();
      control.close();
    }, HELLO_TIMEOUT_MS);
    const heard = (event: MessageEvent<unknown>): void => {
      const decoded = decode(event.data);
      // Before hello, nothing else is expected; what is not a hello from that peer ends it.
      if (
        !decoded.ok ||
        decoded.message.t !== 'hello' ||
        decoded.message.v !== PROTOCOL_VERSION ||
        decoded.message.id !== remoteId ||
        !carrier._pc
      ) {
        stop();
        control.close();
        return;
      }
      stop();
      // The other end may have missed every hello sent before its half of the channel.
      say();
      made(new PeerLink(remoteId, carrier, pc, control));
    };
    control.addEventListener('open', say);
    control.addEventListener('message', heard);
    say();
  }

  /** Hands the neighbour's messages on; a malformed one closes the control channel. */
  private received(data: unknown): void {
    const decoded = decode(data);
    // A stray hello (the other end's answer to ours) is not news.
    if (decoded.ok && decoded.message.t === 'hello') return;
    if (!decoded.ok) {
      // Malformed or oversized: this control channel closes, nothing else.
      this.control.close();
      this.endNeighbour();
      return;
    }
    for (const listener of this.listeners) listener(decoded.message);
  }

  get open(): boolean {
    return this.neighbour && this.control.readyState === 'open';
  }

  /** The RTCPeerConnection, while it is open (wire channels are made on it). */
  get connection(): RTCPeerConnection | null {
    return this.pc.connectionState === 'closed' ? null : this.pc;
  }

  send(message: OverlayMessage): void {
    if (this.open) this.control.send(encode(message));
  }

  onMessage(cb: (message: OverlayMessage) => void): void {
    this.listeners.push(cb);
  }

  onClose(cb: () => void): void {
    this.closers.push(cb);
  }

  /**
   * A free id for a wire channel this end opens (this end's half of the ids: even if it made
   * the offer, odd if it answered, so both ends never pick the same), or null if none is free.
   */
  freeChannel(): number | null {
    const parity = this.carrier.initiator ? 0 : 1;
    for (let id = FIRST_WIRE_ID; id <= LAST_WIRE_ID; id++)
      if (id % 2 === parity && !this.channels.has(id)) return id;
    return null;
  }

  /** Whether the other end may open a wire channel with this id (its half, and not in use). */
  mayTake(id: number): boolean {
    const theirs = this.carrier.initiator ? 1 : 0;
    return (
      Number.isInteger(id) &&
      id >= FIRST_WIRE_ID &&
      id <= LAST_WIRE_ID &&
      id % 2 === theirs &&
      !this.channels.has(id)
    );
  }

  /** Makes this end's half of wire channel `id` (null if the connection is gone). */
  wireChannel(id: number, label: string): RTCDataChannel | null {
    const pc = this.connection;
    if (!pc || this.channels.has(id)) return null;
    const channel = pc.createDataChannel(label, { negotiated: true, id });
    this.channels.add(id);
    channel.addEventListener('close', () => {
      this.channels.delete(id);
      if (!this.neighbour && this.channels.size === 0 && this.carrierGone) this.close();
    });
    return channel;
  }

  /** No longer a neighbour (its control channel closed): its wires run on until they end. */
  private endNeighbour(): void {
    if (!this.neighbour) return;
    this.neighbour = false;
    for (const cb of this.closers.splice(0)) cb();
    if (this.channels.size === 0 && this.carrierGone) this.close();
  }

  async traffic(): Promise<{ sentBytes: number; receivedBytes: number }> {
    let sentBytes = 0;
    let receivedBytes = 0;
    const stats = await this.pc.getStats().catch(() => null);
    stats?.forEach((report: { type?: string; bytesSent?: number; bytesReceived?: number }) => {
      if (report.type !== 'transport') return;
      sentBytes += report.bytesSent ?? 0;
      receivedBytes += report.bytesReceived ?? 0;
    });
    return { sentBytes, receivedBytes };
  }

  /** Closes the connection and everything on it (pruned, or the page is going). */
  close(): void {
    if (this.closing) return;
    this.closing = true;
    this.endNeighbour();
    this.control.close();
    // Every channel on it closes with it: the carrier's wire and the neighbour's wires end.
    this.pc.close();
  }
}
