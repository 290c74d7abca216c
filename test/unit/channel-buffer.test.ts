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
  const { highBytes, lowBytes } = DEFAULT_CHANNEL_BUFFER;

  it('lets a writer that waits above 64 KiB keep the high mark in flight, wakes it at the low mark, and delivers every byte in order', async () => {
    const { send, received, close } = await channelPair();
    try {
      send.bufferedAmountLowThreshold = 64 * KiB;
      // The writer sees its own threshold; the browser wakes it at the low mark.
      expect(send.bufferedAmountLowThreshold).to.equal(64 * KiB);
      expect(realThreshold.call(send)).to.equal(lowBytes);
      const first = writeUntilFull(send, 16 * KiB, 0);
      // It stopped only once the channel really held more than the high mark.
      expect(first).to.equal(highBytes + 16 * KiB);
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
      expect(messages.length).to.equal(total / (16 * KiB));
      messages.forEach((m, i) => {
        expect(m.length).to.equal(16 * KiB);
        expect(m[0]).to.equal(i & 0xff);
      });
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

  it("sends a stream writer's message header with the bytes that follow it, as one message", async () => {
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
      const messages = await messagesArrived(received, 2);
      expect(messages.map((m) => m.length)).to.deep.equal([13 + 16 * KiB, 34]);
      expect([...(messages[0] ?? new Uint8Array()).subarray(0, 13)]).to.deep.equal([...header]);
      expect((messages[0] ?? new Uint8Array()).subarray(13)).to.deep.equal(block);
      expect(messages[1]).to.deep.equal(
        Uint8Array.from([...(requests[0] ?? []), ...(requests[1] ?? [])]),
      );
      // A lone small message goes out by itself, without waiting for more.
      send.send(new Uint8Array(5).fill(7));
      const more = await messagesArrived(received, 3);
      expect(more.at(-1)).to.deep.equal(new Uint8Array(5).fill(7));
    } finally {
      close();
    }
  });

  it('a run of pieces written in one task arrive each whole, with its own header and bytes', async () => {
    const { send, received, close } = await channelPair();
    try {
      send.bufferedAmountLowThreshold = 64 * KiB;
      const header = (n: number) => Uint8Array.from({ length: 13 }, (_, i) => n * 16 + i);
      for (let n = 0; n < 8; n++) {
        send.send(header(n));
        send.send(new Uint8Array(16 * KiB + n).fill(100 + n));
      }
      const messages = await messagesArrived(received, 8);
      messages.forEach((m, n) => {
        expect(m.length).to.equal(13 + 16 * KiB + n);
        expect([...m.subarray(0, 13)]).to.deep.equal([...header(n)]);
        expect(m.subarray(13).every((b) => b === 100 + n)).to.equal(true);
      });
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
