import { expect } from '@open-wc/testing';
import { ChannelConn } from '../../src/engine/swarm/neighbours/channel-conn.ts';

const HI = 'shoal-wire-hi';

/** A data channel's half as ChannelConn uses it, whose state and events the test drives. */
class FakeChannel extends EventTarget {
  readyState: RTCDataChannelState = 'connecting';
  binaryType = 'blob';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  readonly sent: unknown[] = [];
  send(data: unknown): void {
    if (this.readyState !== 'open')
      throw new DOMException("RTCDataChannel.readyState is not 'open'", 'InvalidStateError');
    this.sent.push(data);
  }
  close(): void {
    this.readyState = 'closed';
  }
  open(): void {
    this.readyState = 'open';
    this.dispatchEvent(new Event('open'));
  }
  deliver(data: unknown): void {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
}

describe('a wire over a neighbour’s data channel', () => {
  it('hears a hi that came before its half reported open, and connects only once open, answering it', () => {
    const channel = new FakeChannel();
    const conn = new ChannelConn(channel as unknown as RTCDataChannel, 'peer-b');
    let connected = 0;
    conn.on('connect', () => connected++);
    try {
      channel.deliver(HI);
      expect(connected).to.equal(0);
      expect(conn.connected).to.equal(false);
      channel.open();
      expect(connected).to.equal(1);
      expect(conn.connected).to.equal(true);
      // Its own hi on open, then the answer to the one it heard.
      expect(channel.sent).to.deep.equal([HI, HI]);
      channel.deliver(HI);
      expect(connected).to.equal(1);
      expect(channel.sent).to.have.length(2);
    } finally {
      conn.destroy();
    }
  });

  it('connects at once on a hi once open, and takes no bytes before it', async () => {
    const channel = new FakeChannel();
    const conn = new ChannelConn(channel as unknown as RTCDataChannel, 'peer-b');
    const got: number[] = [];
    conn.on('data', (bytes: unknown) => got.push(...(bytes as Uint8Array)));
    try {
      channel.open();
      channel.deliver(new Uint8Array([1, 2]).buffer);
      channel.deliver(HI);
      expect(conn.connected).to.equal(true);
      channel.deliver(new Uint8Array([3]).buffer);
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(got).to.deep.equal([3]);
    } finally {
      conn.destroy();
    }
  });

  it('a half made for the other end’s wire message connects once open, saying hi, without waiting for one', () => {
    const channel = new FakeChannel();
    const conn = new ChannelConn(channel as unknown as RTCDataChannel, 'peer-b', true);
    let connected = 0;
    conn.on('connect', () => connected++);
    try {
      expect(connected).to.equal(0);
      channel.open();
      expect(connected).to.equal(1);
      expect(channel.sent).to.deep.equal([HI]);
      // The other end's hi, when it comes, changes nothing.
      channel.deliver(HI);
      expect(connected).to.equal(1);
      expect(channel.sent).to.deep.equal([HI]);
    } finally {
      conn.destroy();
    }
  });
});
