/**
 * A deeper send buffer for webtorrent's data channels.
 *
 * simple-peer (webtorrent's WebRTC transport) stops writing once a channel holds more than
 * 64 KiB not yet sent, and writes again when the browser reports `bufferedamountlow` at that
 * same 64 KiB. Each refill of so small a buffer waits for that event to reach a main thread
 * that is busy serving pieces: in `npm run bench -- --only stream` traces a seeder sent
 * 64 KiB every 10–15 ms (4–5 MB/s) to a viewer waiting for the first half megabyte of a
 * video, while a plain channel between the same tabs, kept up to 1 MiB, moves 16.8 MiB/s
 * (GUIDE §4).
 *
 * The limit is a constant inside simple-peer's module, so the channels tell it another
 * story: once a caller has set `bufferedAmountLowThreshold` below `highBytes`, the channel
 * sets the browser's threshold to `lowBytes` instead, and reports as `bufferedAmount` what
 * it holds beyond `highBytes − threshold`. A caller that waits above its threshold then waits
 * above `highBytes`, and is woken at `lowBytes`. Channels nobody set a threshold on, and the
 * bytes themselves, are untouched. Installed before webtorrent's bundle (quick-ice-install.ts).
 */

export interface ChannelBufferOptions {
  /** A caller's "buffer full" point, in the bytes the channel really holds. */
  readonly highBytes: number;
  /** Where the caller is told the buffer has drained. */
  readonly lowBytes: number;
}

/** The raw channel's own figures (its throughput limit in the bench uses these). */
export const DEFAULT_CHANNEL_BUFFER: ChannelBufferOptions = {
  highBytes: 256 * 1024,
  lowBytes: 64 * 1024,
};

const installed = new WeakSet<object>();

/** A numeric accessor of the channel's prototype, as the browser defines it. */
interface Accessor {
  readonly enumerable?: boolean;
  readonly get?: (this: RTCDataChannel) => number;
  readonly set?: (this: RTCDataChannel, value: number) => void;
}

/** Patches `proto` (a window's `RTCDataChannel.prototype`) once. */
export function installChannelBuffer(
  proto: RTCDataChannel,
  { highBytes, lowBytes }: ChannelBufferOptions = DEFAULT_CHANNEL_BUFFER,
): void {
  if (installed.has(proto)) return;
  installed.add(proto);
  const amount = Object.getOwnPropertyDescriptor(proto, 'bufferedAmount') as Accessor | undefined;
  const threshold = Object.getOwnPropertyDescriptor(proto, 'bufferedAmountLowThreshold') as
    Accessor | undefined;
  const getAmount = amount?.get;
  const getThreshold = threshold?.get;
  const setThreshold = threshold?.set;
  if (!amount || !threshold || !getAmount || !getThreshold || !setThreshold) return;
  /** The threshold each caller asked for, where it is below `highBytes`. */
  const asked = new WeakMap<RTCDataChannel, number>();
  Object.defineProperty(proto, 'bufferedAmountLowThreshold', {
    configurable: true,
    enumerable: threshold.enumerable ?? true,
    get(this: RTCDataChannel): number {
      return asked.get(this) ?? getThreshold.call(this);
    },
    set(this: RTCDataChannel, value: number) {
      if (value < highBytes && value >= 0) {
        asked.set(this, value);
        setThreshold.call(this, Math.max(value, lowBytes));
      } else {
        asked.delete(this);
        setThreshold.call(this, value);
      }
    },
  });
  Object.defineProperty(proto, 'bufferedAmount', {
    configurable: true,
    enumerable: amount.enumerable ?? true,
    get(this: RTCDataChannel): number {
      const real = getAmount.call(this);
      const mine = asked.get(this);
      return mine === undefined ? real : Math.max(0, real - (highBytes - mine));
    },
  });
}
