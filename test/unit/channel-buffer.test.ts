import { expect } from '@open-wc/testing';
import {
  DEFAULT_CHANNEL_BUFFER,
  installChannelBuffer,
} from '../../src/engine/swarm/browser/channel-buffer.ts';

const KiB = 1024;
const proto = RTCDataChannel.prototype;
type Getter = (this: RTCDataChannel) => number;
const getterOf = (name: string): Getter =>
  (Object.getOwnPropertyDescriptor(proto, name) as { get: Getter }).get;
const realAmount = getterOf('bufferedAmount');
const realThreshold = getterOf('bufferedAmountLowThreshold');

/** Two connections in this page with an open channel between them. */
async function channelPair(): Promise<{
  send: RTCDataChannel;
  received: () => Uint8Array[];
  close: () => void;
}> {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  a.onicecandidate = (e) => void (e.candidate && b.addIceCandidate(e.candidate));
  b.onicecandidate = (e) => void (e.candidate && a.addIceCandidate(e.candidate));
  const send = a.createDataChannel('data');
  const got: Uint8Array[] = [];
  b.ondatachannel = (e) => {
    e.channel.binaryType = 'arraybuffer';
    e.channel.onmessage = (m: MessageEvent<ArrayBuffer>) => {
      got.push(new Uint8Array(m.data));
    };
  };
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription as RTCSessionDescriptionInit);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription as RTCSessionDescriptionInit);
  await new Promise((resolve) => {
    send.onopen = resolve;
  });
  return {
    send,
    received: () => got,
    close: () => {
      a.close();
      b.close();
    },
  };
}

/** The messages' bytes, one after another (the byte stream the receiving wire reads). */
function joinAll(messages: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(messages.reduce((n, m) => n + m.length, 0));
  let at = 0;
  for (const m of messages) {
    out.set(m, at);
    at += m.length;
  }
  return out;
}

/** What simple-peer does: write while the channel holds at most 64 KiB, then wait. */
function writeUntilFull(channel: RTCDataChannel, messageBytes: number, start: number): number {
  let sent = 0;
  let n = start;
  for (;;) {
    channel.send(new Uint8Array(messageBytes).fill(n++ & 0xff));
    sent += messageBytes;
    if (channel.bufferedAmount > 64 * KiB) return sent;
  }
}

describe('a deeper send buffer for simple-peer-style writers', () => {
  installChannelBuffer(proto);
  const { highBytes, lowBytes, coalesceUpToBytes } = DEFAULT_CHANNEL_BUFFER;

  it('lets a writer that waits above 64 KiB keep the high mark in flight, wakes it at the low mark, and delivers every byte in order', async () => {
    const { send, received, close } = await channelPair();
    try {
      send.bufferedAmountLowThreshold = 64 * KiB;
      // The writer sees its own threshold; the browser wakes it at the low mark.
      expect(send.bufferedAmountLowThreshold).to.equal(64 * KiB);
      expect(realThreshold.call(send)).to.equal(lowBytes);
      const first = writeUntilFull(send, 16 * KiB, 0);
      // It stopped only once the channel really held more than the high mark (with at most a
      // message's worth still waiting to be joined).
      expect(first).to.be.greaterThan(highBytes);
      expect(first).to.be.at.most(highBytes + coalesceUpToBytes + 16 * KiB);
      expect(realAmount.call(send)).to.be.greaterThan(highBytes);
      await new Promise((resolve) => {
        send.addEventListener('bufferedamountlow', resolve, { once: true });
      });
      expect(realAmount.call(send)).to.be.at.most(lowBytes);
      const second = writeUntilFull(send, 16 * KiB, first / (16 * KiB));
      const total = first + second;
      const deadline = performance.now() + 5000;
      while (received().reduce((n, m) => n + m.length, 0) < total && performance.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 10));
      const messages = received();
      // Writes joined up to 64 KiB a message (the last of each task's run shorter), none
      // split, every byte in order.
      for (const m of messages) {
        expect(m.length % (16 * KiB)).to.equal(0);
        expect(m.length).to.be.at.most(coalesceUpToBytes);
      }
      expect(messages.length).to.be.at.most(Math.ceil(total / coalesceUpToBytes) + 2);
      const bytes = joinAll(messages);
      expect(bytes.length).to.equal(total);
      for (let i = 0; i < total / (16 * KiB); i++) {
        const write = bytes.subarray(i * 16 * KiB, (i + 1) * 16 * KiB);
        expect(write.every((b) => b === (i & 0xff))).to.equal(true);
      }
    } finally {
      close();
    }
  });

  it('leaves a channel alone whose writer set no threshold, or one above the high mark', async () => {
    const { send, close } = await channelPair();
    try {
      send.send(new Uint8Array(100 * KiB));
      expect(send.bufferedAmount).to.equal(realAmount.call(send));
      send.bufferedAmountLowThreshold = 4 * highBytes;
      expect(realThreshold.call(send)).to.equal(4 * highBytes);
      expect(send.bufferedAmount).to.equal(realAmount.call(send));
    } finally {
      close();
    }
  });

  /** Waits until `count` messages have arrived (or 5 s). */
  async function messagesArrived(
    received: () => Uint8Array[],
    count: number,
  ): Promise<Uint8Array[]> {
    const deadline = performance.now() + 5000;
    while (received().length < count && performance.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    // Anything more that was going to come.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return received();
  }

  it("sends a stream writer's writes of one task as one message, a header with the bytes that follow it", async () => {
    const { send, received, close } = await channelPair();
    try {
      send.bufferedAmountLowThreshold = 64 * KiB;
      // As bittorrent-protocol writes a piece: its 13-byte header, then the block.
      const header = Uint8Array.from({ length: 13 }, (_, i) => i + 1);
      const block = new Uint8Array(16 * KiB).fill(9);
      send.send(header);
      send.send(block);
      // Requests: small messages, one after another, and nothing after them in this task.
      const requests = [new Uint8Array(17).fill(1), new Uint8Array(17).fill(2)];
      for (const r of requests) send.send(r);
      // The writer may use its buffer again at once: what was sent is already taken.
      block.fill(0);
      const messages = await messagesArrived(received, 1);
      expect(messages.map((m) => m.length)).to.deep.equal([13 + 16 * KiB + 34]);
      const [one = new Uint8Array()] = messages;
      expect([...one.subarray(0, 13)]).to.deep.equal([...header]);
      expect(one.subarray(13, 13 + 16 * KiB).every((b) => b === 9)).to.equal(true);
      expect([...one.subarray(13 + 16 * KiB)]).to.deep.equal([
        ...(requests[0] ?? []),
        ...(requests[1] ?? []),
      ]);
      // A lone small message goes out by itself, without waiting for more.
      send.send(new Uint8Array(5).fill(7));
      const more = await messagesArrived(received, 2);
      expect(more.at(-1)).to.deep.equal(new Uint8Array(5).fill(7));
    } finally {
      close();
    }
  });

  it('a run of pieces written in one task goes out in messages of whole pieces, at most 64 KiB each', async () => {
    const { send, received, close } = await channelPair();
    try {
      send.bufferedAmountLowThreshold = 64 * KiB;
      const header = (n: number) => Uint8Array.from({ length: 13 }, (_, i) => n * 16 + i);
      const ends = new Set<number>();
      let at = 0;
      for (let n = 0; n < 8; n++) {
        send.send(header(n));
        send.send(new Uint8Array(16 * KiB + n).fill(100 + n));
        at += 13 + 16 * KiB + n;
        ends.add(at);
      }
      const messages = await messagesArrived(received, 3);
      // Three pieces fit in 64 KiB: 3 + 3 + 2.
      expect(messages.length).to.equal(3);
      let end = 0;
      for (const m of messages) {
        expect(m.length).to.be.at.most(coalesceUpToBytes);
        end += m.length;
        // No message ends inside a piece, nor between a header and its block.
        expect(ends.has(end), String(end)).to.equal(true);
      }
      const bytes = joinAll(messages);
      at = 0;
      for (let n = 0; n < 8; n++) {
        expect([...bytes.subarray(at, at + 13)]).to.deep.equal([...header(n)]);
        at += 13;
        expect(bytes.subarray(at, at + 16 * KiB + n).every((b) => b === 100 + n)).to.equal(true);
        at += 16 * KiB + n;
      }
      expect(at).to.equal(bytes.length);
    } finally {
      close();
    }
  });

  it('keeps the messages of a channel whose writer set no threshold as they were sent', async () => {
    const { send, received, close } = await channelPair();
    try {
      send.send(new Uint8Array(13).fill(1));
      send.send(new Uint8Array(16 * KiB).fill(2));
      const messages = await messagesArrived(received, 2);
      expect(messages.map((m) => m.length)).to.deep.equal([13, 16 * KiB]);
    } finally {
      close();
    }
  });
});
