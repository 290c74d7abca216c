import { expect } from '@open-wc/testing';
import {
  MAX_MESSAGE_BYTES,
  MAX_SIGNAL_CHARS,
  decode,
  encode,
  infoBytes,
  wireMessage,
  type OverlayMessage,
} from '../../src/engine/overlay/protocol.ts';

const A = 'peerAAAAAAAAAAAAAAAA';
const B = 'peerBBBBBBBBBBBBBBBB';
const Q = 'query-0123456789abcdef';
const H = 'ab'.repeat(20);

describe('the overlay control protocol', () => {
  const every: readonly OverlayMessage[] = [
    { t: 'hello', v: 1, id: A },
    { t: 'query', q: Q, infoHash: H, hops: 1 },
    { t: 'query', q: Q, infoHash: H, hops: 0 },
    { t: 'hit', q: Q, infoHash: H, holder: B },
    {
      t: 'signal',
      from: A,
      to: B,
      infoHash: H,
      kind: 'offer',
      data: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1',
    },
    { t: 'signal', from: B, to: A, infoHash: H, kind: 'answer', data: 'v=0' },
    {
      t: 'signal',
      from: A,
      to: B,
      infoHash: H,
      kind: 'candidate',
      data: '{"candidate":"candidate:1 1 udp"}',
    },
    { t: 'wire', infoHash: H, ch: 101 },
    { t: 'wire', infoHash: H, ch: 101, info: 'ZDQ6bmFtZTE6YWU=' },
  ];

  it('carries the info dictionary in a wire message when it fits, and its bytes come back', () => {
    const info = new Uint8Array(3000).map((_, i) => (i * 7) % 256);
    const message = wireMessage(H, 101, info);
    expect(message.info).to.be.a('string');
    const decoded = decode(encode(message));
    if (!decoded.ok || decoded.message.t !== 'wire') throw new Error('refused');
    expect([...(infoBytes(decoded.message.info ?? '') ?? [])]).to.deep.equal([...info]);
    // Too large for one control message: the wire goes without it (ut_metadata then).
    const big = wireMessage(H, 101, new Uint8Array(MAX_MESSAGE_BYTES));
    expect(big).to.deep.equal({ t: 'wire', infoHash: H, ch: 101 });
    expect(encode(wireMessage(H, 101, new Uint8Array(12_000))).length).to.be.at.most(
      MAX_MESSAGE_BYTES,
    );
    expect(wireMessage(H, 101, null)).to.deep.equal({ t: 'wire', infoHash: H, ch: 101 });
  });

  it('decodes every message it encodes, unchanged', () => {
    for (const message of every)
      expect(decode(encode(message))).to.deep.equal({ ok: true, message });
  });

  // Each hostile message, and the reason it is refused.
  const hostile: readonly (readonly [string, unknown, RegExp])[] = [
    ['binary', new Uint8Array([1, 2]), /not text/],
    ['not JSON', '{"t":', /not JSON/],
    ['an array', '[1,2]', /not an object/],
    ['null', 'null', /not an object/],
    ['an unknown type', JSON.stringify({ t: 'gossip' }), /unknown type/],
    ['an extra field', JSON.stringify({ t: 'hello', v: 1, id: A, admin: true }), /unexpected/],
    ['a missing field', JSON.stringify({ t: 'hello', v: 1 }), /unexpected/],
    ['a version of 0', JSON.stringify({ t: 'hello', v: 0, id: A }), /hello: v/],
    ['a short id', JSON.stringify({ t: 'hello', v: 1, id: 'abc' }), /hello: id/],
    [
      'an id with a slash',
      JSON.stringify({ t: 'hello', v: 1, id: '../../etc/passwd-xxxx' }),
      /hello: id/,
    ],
    ['three hops', JSON.stringify({ t: 'query', q: Q, infoHash: H, hops: 3 }), /hops/],
    ['negative hops', JSON.stringify({ t: 'query', q: Q, infoHash: H, hops: -1 }), /hops/],
    ['fractional hops', JSON.stringify({ t: 'query', q: Q, infoHash: H, hops: 0.5 }), /hops/],
    [
      'an upper-case info-hash',
      JSON.stringify({ t: 'query', q: Q, infoHash: H.toUpperCase(), hops: 1 }),
      /infoHash/,
    ],
    [
      'a signal to itself',
      JSON.stringify({ t: 'signal', from: A, to: A, infoHash: H, kind: 'offer', data: 'x' }),
      /ends/,
    ],
    [
      'a signal of another kind',
      JSON.stringify({ t: 'signal', from: A, to: B, infoHash: H, kind: 'bye', data: 'x' }),
      /kind/,
    ],
    [
      'an empty signal',
      JSON.stringify({ t: 'signal', from: A, to: B, infoHash: H, kind: 'offer', data: '' }),
      /data/,
    ],
    [
      'an oversized signal',
      JSON.stringify({
        t: 'signal',
        from: A,
        to: B,
        infoHash: H,
        kind: 'offer',
        data: 'x'.repeat(MAX_SIGNAL_CHARS + 1),
      }),
      /data/,
    ],
    [
      'a wire channel past SCTP’s 1024 streams',
      JSON.stringify({ t: 'wire', infoHash: H, ch: 1024 }),
      /ch/,
    ],
    ['a fractional wire channel', JSON.stringify({ t: 'wire', infoHash: H, ch: 101.5 }), /ch/],
    [
      'a signal for no torrent',
      JSON.stringify({ t: 'signal', from: A, to: B, infoHash: 'x', kind: 'offer', data: 'v=0' }),
      /infoHash/,
    ],
    ['a negative wire channel', JSON.stringify({ t: 'wire', infoHash: H, ch: -1 }), /ch/],
    ['a wire channel as text', JSON.stringify({ t: 'wire', infoHash: H, ch: '101' }), /ch/],
    [
      'a wire with a field of its own',
      JSON.stringify({ t: 'wire', infoHash: H, ch: 101, label: 'x' }),
      /unexpected/,
    ],
    [
      'a wire whose info is not base64',
      JSON.stringify({ t: 'wire', infoHash: H, ch: 101, info: 'a<b>' }),
      /info/,
    ],
    [
      'a wire whose info is a number',
      JSON.stringify({ t: 'wire', infoHash: H, ch: 101, info: 7 }),
      /info/,
    ],
    [
      'a wire whose info is empty',
      JSON.stringify({ t: 'wire', infoHash: H, ch: 101, info: '' }),
      /info/,
    ],
    [
      'an oversized message',
      JSON.stringify({ t: 'hello', v: 1, id: A, pad: 'x'.repeat(MAX_MESSAGE_BYTES) }),
      /too long/,
    ],
    [
      'a proto key',
      '{"t":"hello","v":1,"id":"peerAAAAAAAAAAAAAAAA","__proto__":{"x":1}}',
      /unexpected/,
    ],
  ];
  for (const [what, raw, reason] of hostile) {
    it(`refuses ${what}`, () => {
      const decoded = decode(raw);
      expect(decoded.ok).to.equal(false);
      if (!decoded.ok) expect(decoded.reason).to.match(reason);
    });
  }

  it('will not encode a message over the size bound', () => {
    expect(() =>
      encode({
        t: 'signal',
        from: A,
        to: B,
        infoHash: H,
        kind: 'offer',
        data: 'é'.repeat(MAX_MESSAGE_BYTES),
      }),
    ).to.throw(RangeError);
  });
});
