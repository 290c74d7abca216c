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
 *
 * On those same channels (a byte stream's writer: simple-peer), messages smaller than
 * `coalesceBelowBytes` wait for the bytes written after them, at most until the current
 * task's microtasks have run, and go out with them. bittorrent-protocol writes each block as
 * a 13-byte header and then the block: two channel messages, which the receiving wire joined
 * again with a copy, and twice the messages for both main threads to handle. In a bench
 * --profile of a stream's start and seek the viewer's main thread was busy 946 ms before,
 * 515 ms after (bittorrent-protocol's join, 51 ms, gone).
 */
export interface ChannelBufferOptions {
  /** A caller's "buffer full" point, in the bytes the channel really holds. */
  readonly highBytes: number;
  /** Where the caller is told the buffer has drained. */
  readonly lowBytes: number;
  /** A stream writer's messages smaller than this wait for the bytes that follow them. */
  readonly coalesceBelowBytes: number;
}

/** The raw channel's own figures (its throughput limit in the bench uses these). */
export const DEFAULT_CHANNEL_BUFFER: ChannelBufferOptions = {
  highBytes: 256 * 1024,
  lowBytes: 64 * 1024,
  coalesceBelowBytes: 64,
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
  { highBytes, lowBytes, coalesceBelowBytes }: ChannelBufferOptions = DEFAULT_CHANNEL_BUFFER,
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
  // A stream writer's small message (a wire message's header, a request) waits for the bytes
  // that follow it, until this task's microtasks have run at most: one channel message, where
  // bittorrent-protocol's two writes per block made two (and its reader joined them again).
  const sendDescriptor = Object.getOwnPropertyDescriptor(proto, 'send') as
    { readonly value?: (this: RTCDataChannel, data: unknown) => void } | undefined;
  const nativeSend = sendDescriptor?.value;
  if (!nativeSend) return;
  const held = new WeakMap<RTCDataChannel, Uint8Array[]>();
  // The parts are joined in one buffer used again for every message: `send` copies what it
  // is given before it returns. A new array per block (a 16 KiB allocation, zeroed, then
  // collected) was 207 ms of a seeding tab's main thread in a bench --profile of one stream.
  let scratch = new Uint8Array(0);
  const joined = (parts: readonly Uint8Array[]): Uint8Array => {
    const length = parts.reduce((sum, part) => sum + part.byteLength, 0);
    if (scratch.byteLength < length) scratch = new Uint8Array(Math.max(length, 64 * 1024));
    let at = 0;
    for (const part of parts) {
      scratch.set(part, at);
      at += part.byteLength;
    }
    return scratch.subarray(0, length);
  };
  const flush = (channel: RTCDataChannel): void => {
    const parts = held.get(channel);
    if (!parts) return;
    held.delete(channel);
    try {
      nativeSend.call(channel, parts.length === 1 ? parts[0] : joined(parts));
    } catch {
      // Closed meanwhile: the writer hears of it from the channel's close event.
    }
  };
  const viewOf = (data: unknown): Uint8Array | null =>
    data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : ArrayBuffer.isView(data)
        ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
        : null;
  Object.defineProperty(proto, 'send', {
    configurable: true,
    enumerable: true,
    writable: true,
    value: function send(this: RTCDataChannel, data: unknown): void {
      const bytes = viewOf(data);
      if (!bytes || !asked.has(this) || !this.ordered) {
        flush(this);
        nativeSend.call(this, data);
        return;
      }
      const small = bytes.byteLength < coalesceBelowBytes;
      const parts = held.get(this);
      if (parts) {
        // Small parts are copied: the writer may reuse its buffer before they go.
        parts.push(small ? bytes.slice() : bytes);
        if (!small) flush(this);
      } else if (small) {
        held.set(this, [bytes.slice()]);
        queueMicrotask(() => {
          flush(this);
        });
      } else {
        nativeSend.call(this, data);
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
