import { expect, waitUntil } from '@open-wc/testing';
import {
  GatedWebSeed,
  httpSegments,
  type StockWebConn,
} from '../../src/engine/swarm/webseed-conn.ts';

const PIECE = 1000;

describe('httpSegments', () => {
  const single = {
    pieceLength: PIECE,
    length: 5000,
    files: [{ path: 'a.mp4', offset: 0, length: 5000 }],
  };
  const multi = {
    pieceLength: PIECE,
    length: 5000,
    files: [
      { path: 'album/1.mp3', offset: 0, length: 2500 },
      { path: 'album/2 two.mp3', offset: 2500, length: 2500 },
    ],
  };
  const cases: [string, string, typeof single, number, number, ReturnType<typeof httpSegments>][] =
    [
      [
        'one file: the URL as given',
        'http://s/a.mp4',
        single,
        1000,
        3000,
        [{ url: 'http://s/a.mp4', from: 1000, to: 2999, at: 0 }],
      ],
      [
        'one file, a folder URL: its name appended',
        'http://s/',
        single,
        0,
        10,
        [{ url: 'http://s/a.mp4', from: 0, to: 9, at: 0 }],
      ],
      [
        'several files: folder/name per file, split at the boundary',
        'http://s/seed',
        multi,
        2000,
        3000,
        [
          { url: 'http://s/seed/album/1.mp3', from: 2000, to: 2499, at: 0 },
          { url: 'http://s/seed/album/2%20two.mp3', from: 0, to: 499, at: 500 },
        ],
      ],
    ];
  for (const [name, url, torrent, start, end, expected] of cases) {
    it(name, () => {
      expect(httpSegments(url, torrent, start, end)).to.deep.equal(expected);
    });
  }
});

/** A stand-in for webtorrent's WebConn: records what the gate advertises. */
function fakeConn() {
  const sent: string[] = [];
  const conn: StockWebConn = {
    connId: 'http://s/a.bin',
    destroyed: false,
    httpRequest: () => undefined,
    have: (piece) => sent.push(`have ${String(piece)}`),
    bitfield: (bf) => {
      const set: number[] = [];
      for (let i = 0; i < 10; i++) if ((bf.buffer[i >> 3] ?? 0) & (128 >> (i & 7))) set.push(i);
      sent.push(`bitfield ${set.join(',')}`);
    },
    lt_donthave: { donthave: (piece) => sent.push(`donthave ${String(piece)}`) },
  };
  return { conn, sent };
}

function bitfield(n: number) {
  const buffer = new Uint8Array(Math.ceil(n / 8)).fill(255);
  return {
    buffer,
    set(i: number, v: boolean) {
      if (v) buffer[i >> 3] = (buffer[i >> 3] ?? 0) | (128 >> (i & 7));
      else buffer[i >> 3] = (buffer[i >> 3] ?? 0) & ~(128 >> (i & 7));
    },
  };
}

describe('GatedWebSeed', () => {
  const data = Uint8Array.from({ length: 10 * PIECE }, (_, i) => i % 251);
  const torrent = {
    pieceLength: PIECE,
    length: data.length,
    files: [{ path: 'a.bin', offset: 0, length: data.length }],
  };

  it('advertises only what the policy allows, and withdraws the rest', () => {
    const { conn, sent } = fakeConn();
    const gate = new GatedWebSeed(conn, torrent, 'http://s/a.bin', () => 0);
    gate.allow([{ from: 2, to: 3 }]);
    conn.bitfield(bitfield(10)); // stock's handshake: every piece
    gate.allow([{ from: 3, to: 4 }]);
    conn.have(7); // stock re-advertising after a failure: not allowed, dropped
    expect(sent).to.deep.equal(['bitfield 2,3', 'donthave 2', 'have 4']);
  });

  it('answers a run of piece requests with one simple Range request', async () => {
    const { conn } = fakeConn();
    const calls: { url: string; headers: Record<string, string> }[] = [];
    const fakeFetch = (url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const headers = init?.headers as Record<string, string>;
      calls.push({ url: url instanceof Request ? url.url : url.toString(), headers });
      const [, a, b] = /bytes=(\d+)-(\d+)/.exec(headers.Range ?? '') ?? [];
      return Promise.resolve(new Response(data.slice(Number(a), Number(b) + 1), { status: 206 }));
    };
    const gate = new GatedWebSeed(conn, torrent, 'http://s/a.bin', () => 0, fakeFetch);
    conn.bitfield(bitfield(10));
    gate.allow([{ from: 2, to: 5 }]);
    const got: Uint8Array[] = [];
    // webtorrent may ask for a later piece of the run first.
    for (const piece of [4, 2, 3, 5]) {
      void conn.httpRequest(piece, 0, PIECE, (err, bytes) => {
        if (!err && bytes) got.push(bytes);
      });
    }
    await waitUntil(() => got.length === 4);
    expect(calls).to.deep.equal([{ url: 'http://s/a.bin', headers: { Range: 'bytes=2000-5999' } }]);
    expect(got.map((b) => b[0])).to.deep.equal([4000, 2000, 3000, 5000].map((i) => i % 251));
    expect(gate.stats).to.deep.equal({ requests: 1, bytes: 4 * PIECE });
  });
});
