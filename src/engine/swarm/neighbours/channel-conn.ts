/**
 * A torrent's wire over one more data channel of a connection two Shoal tabs already have
 * (a neighbour's, link.ts): no new ICE, no DTLS, no tracker. A byte stream (streamx, as
 * webtorrent's connections are) that webtorrent takes as a WebRTC peer (`addPeer`).
 *
 * The channel is negotiated (both ends create it with the same id; a channel opened by
 * announcement would replace simple-peer's own on the answering side). A negotiated channel
 * reports open before the other end has made its half, and what is sent before that is
 * lost: each end says `hi` until it hears the other's, answers the first `hi` it hears once,
 * and only then is the stream connected (and webtorrent sends its handshake).
 *
 * The half made for the other end's `wire` message is the exception: that end made its half
 * before it sent the message, so this one connects as soon as it is open, after its own `hi`
 * (which the other end waits for, and which comes before the handshake on the ordered
 * channel). Waiting for the other's answer cost a round trip through both main threads on
 * the warm start of every next torrent.
 */
import { Duplex } from 'streamx';

/** The text each end sends on a new wire channel until it hears the other. */
const HI = 'shoal-wire-hi';
/** How often `hi` is said until it is heard. */
const HI_EVERY_MS = 100;
/** Unheard after this, the other end has not made its half: give up. */
export const HI_TIMEOUT_MS = 10_000;
/** Above this, writes wait for the channel to drain (simple-peer's own figure). */
const HIGH_WATER_BYTES = 64 * 1024;

type Callback = (err: Error | null) => void;

export class ChannelConn extends Duplex {
  /** The other tab's peer id: webtorrent keys its peers by it (one wire per peer and torrent). */
  readonly id: string;
  private heard = false;
  /** A `hi` has come (this half may not be open yet). */
  private heardHi = false;
  private answered = false;
  private drained: Callback | null = null;
  private readonly hiTimer: ReturnType<typeof setInterval>;
  private readonly giveUp: ReturnType<typeof setTimeout>;

  constructor(
    private readonly channel: RTCDataChannel,
    remotePeerId: string,
    /** The other end made its half already (it asked for this one): no `hi` to wait for. */
    otherHalfMade = false,
  ) {
    super();
    this.id = remotePeerId;
    // Its `hi` on open is the one the other end waits for: nothing else to answer.
    this.heardHi = otherHalfMade;
    this.answered = otherHalfMade;
    channel.binaryType = 'arraybuffer';
    // Also what lets the deeper send buffer (browser/channel-buffer.ts) serve this channel.
    channel.bufferedAmountLowThreshold = HIGH_WATER_BYTES;
    this.hiTimer = setInterval(() => {
      this.sayHi();
    }, HI_EVERY_MS);
    this.giveUp = setTimeout(() => {
      if (!this.heard) this.destroy(new Error('The neighbour did not open the wire channel'));
    }, HI_TIMEOUT_MS);
    channel.addEventListener('open', () => {
      this.sayHi();
      this.settle();
    });
    channel.addEventListener('message', (event: MessageEvent<unknown>) => {
      this.received(event.data);
    });
    channel.addEventListener('bufferedamountlow', () => {
      const cb = this.drained;
      this.drained = null;
      cb?.(null);
    });
    channel.addEventListener('close', () => {
      this.destroy();
    });
    this.sayHi();
    // Already open, with the other half made: connected now (webtorrent reads `connected`).
    this.settle();
  }

  /** Whether both ends have their half (webtorrent reads it to start the wire at once). */
  get connected(): boolean {
    return this.heard && this.channel.readyState === 'open';
  }

  /**
   * Once a `hi` has come and this half is open: answers it once, and connects. A half may be
   * handed the other end's `hi` before it reports itself open (made just after the other's,
   * which says `hi` at once), and cannot send until it does: connected then, webtorrent's
   * handshake failed to send and the wire was destroyed.
   */
  private settle(): void {
    if (!this.heardHi || this.channel.readyState !== 'open') return;
    if (!this.answered) {
      // The other end may have missed every `hi` sent before its half was made.
      this.answered = true;
      this.sayHi();
    }
    if (!this.heard) {
      this.heard = true;
      clearInterval(this.hiTimer);
      clearTimeout(this.giveUp);
      this.emit('connect');
    }
  }

  private sayHi(): void {
    if (this.channel.readyState !== 'open') return;
    this.channel.send(HI);
  }

  private received(data: unknown): void {
    if (typeof data === 'string') {
      if (data !== HI) {
        this.destroy(new Error('Unexpected text on a wire channel'));
        return;
      }
      this.heardHi = true;
      this.settle();
      return;
    }
    if (this.heard && data instanceof ArrayBuffer) this.push(new Uint8Array(data));
  }

  override _write(chunk: unknown, cb: Callback): void {
    try {
      this.channel.send(chunk as Uint8Array<ArrayBuffer>);
    } catch (err) {
      cb(err as Error);
      return;
    }
    if (this.channel.bufferedAmount > HIGH_WATER_BYTES) this.drained = cb;
    else cb(null);
  }

  override _final(cb: Callback): void {
    this.push(null);
    cb(null);
  }

  /** Closes this channel only: the connection carries the neighbour's other channels. */
  override _destroy(cb: Callback): void {
    clearInterval(this.hiTimer);
    clearTimeout(this.giveUp);
    const drained = this.drained;
    this.drained = null;
    drained?.(new Error('closed'));
    if (this.channel.readyState === 'open' || this.channel.readyState === 'connecting')
      this.channel.close();
    cb(null);
  }
}
