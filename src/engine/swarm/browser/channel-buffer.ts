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
 * On those same channels (a byte stream's writer: simple-peer), the bytes written in one task
 * go out together once its microtasks have run, as messages of up to `coalesceUpToBytes`.
 * bittorrent-protocol writes each block as a 13-byte header and then the block, and a seeder
 * answers a peer's batch of requests in one task: sent as written, that was two channel
 * messages per 16 KiB block, and the channel's `send` (a fixed cost per message, not per
 * byte) was the largest item of a seeding tab's main thread; the receiving tab paid a message
 * event per message. The receiving wire reads a byte stream, so where one message ends does
 * not matter to it (stock WebTorrent's included).
 */
export interface ChannelBufferOptions {
  /** A caller's "buffer full" point, in the bytes the channel really holds. */
  readonly highBytes: number;
  /** Where the caller is told the buffer has drained. */
  readonly lowBytes: number;
  /** A stream writer's bytes written in one task go out in messages of up to this many. */
  readonly coalesceUpToBytes: number;
}

/** The raw channel's own figures (its throughput limit in the bench uses these). */
export const DEFAULT_CHANNEL_BUFFER: ChannelBufferOptions = {
  highBytes: 256 * 1024,
  lowBytes: 64 * 1024,
  // Within every browser's max-message-size (Safari's is 64 KiB).
  coalesceUpToBytes: 64 * 1024,
};

/** A write this small is a wire message's header (or a whole short message). */
const SMALL_BYTES = 64;
/** Room for a 16 KiB block (webtorrent's) and its header. */
const BLOCK_ROOM = 16 * 1024 + SMALL_BYTES;

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
  { highBytes, lowBytes, coalesceUpToBytes }: ChannelBufferOptions = DEFAULT_CHANNEL_BUFFER,
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
  // A stream writer's bytes wait in a buffer of the channel's until this task's microtasks have
  // run or the buffer is full. `send` copies what it is given before it returns, so each
  // buffer is used again (a new one per message was a seeding tab's largest allocation).
  const sendDescriptor = Object.getOwnPropertyDescriptor(proto, 'send') as
    { readonly value?: (this: RTCDataChannel, data: unknown) => void } | undefined;
  const nativeSend = sendDescriptor?.value;
  if (!nativeSend) return;
  interface Held {
    readonly bytes: Uint8Array;
    length: number;
  }
  const held = new WeakMap<RTCDataChannel, Held>();
  const spare: Uint8Array[] = [];
  const flush = (channel: RTCDataChannel, which?: Held): void => {
    const waiting = held.get(channel);
    if (!waiting || (which && waiting !== which)) return;
    held.delete(channel);
    try {
      nativeSend.call(channel, waiting.bytes.subarray(0, waiting.length));
    } catch {
      // Closed meanwhile: the writer hears of it from the channel's close event.
    }
    if (spare.length < 4) spare.push(waiting.bytes);
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
      if (!bytes || !asked.has(this) || !this.ordered || bytes.byteLength >= coalesceUpToBytes) {
        flush(this);
        nativeSend.call(this, data);
        return;
      }
      let waiting = held.get(this);
      // A message never splits a write, nor a small one (a wire message's header) from the
      // block after it: the receiving wire would join the two messages again with a copy.
      const room = waiting ? coalesceUpToBytes - waiting.length : coalesceUpToBytes;
      if (
        waiting &&
        (bytes.byteLength > room || (bytes.byteLength < SMALL_BYTES && room < BLOCK_ROOM))
      ) {
        flush(this);
        waiting = undefined;
      }
      if (!waiting) {
        const fresh: Held = { bytes: spare.pop() ?? new Uint8Array(coalesceUpToBytes), length: 0 };
        waiting = fresh;
        held.set(this, fresh);
        queueMicrotask(() => {
          flush(this, fresh);
        });
      }
      waiting.bytes.set(bytes, waiting.length);
      waiting.length += bytes.byteLength;
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
