// The tracker as Spotify's: it remembers only the most recent announcers of each torrent and
// hands a newcomer's offers to those. The real tracker (started here on a free port) and
// real WebSocket clients speaking the WebTorrent tracker protocol.
import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { DEFAULT_RECENT_PEERS, startTracker } from '../../tracker/tracker.ts';

const INFO_HASH = 'a'.repeat(20);
const peerId = (i: number): string => `-SH0001-${String(i).padStart(12, '0')}`;

interface Announcer {
  readonly socket: WebSocket;
  /** Offers the tracker handed this peer. */
  offers: number;
}

/** Peer `i` announces (with `numwant` offers) and resolves with the swarm size it is told. */
function announce(url: string, i: number, numwant: number): Promise<[Announcer, number]> {
  return new Promise((resolve, reject) => {
    const peer: Announcer = { socket: new WebSocket(url), offers: 0 };
    peer.socket.on('error', reject);
    peer.socket.on('open', () => {
      peer.socket.send(
        JSON.stringify({
          action: 'announce',
          info_hash: INFO_HASH,
          peer_id: peerId(i),
          numwant,
          uploaded: 0,
          downloaded: 0,
          left: 1,
          event: 'started',
          offers: Array.from({ length: numwant }, (_, k) => ({
            offer: { type: 'offer', sdp: `v=0 offer ${String(k)}` },
            offer_id: `offer${String(k)}`.padEnd(20, '-'),
          })),
        }),
      );
    });
    peer.socket.on('message', (data: WebSocket.RawData) => {
      // The tracker sends text frames: one Buffer each.
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : '';
      const message = JSON.parse(text) as {
        offer?: unknown;
        complete?: number;
        incomplete?: number;
        'failure reason'?: string;
      };
      if (message['failure reason'] !== undefined) reject(new Error(message['failure reason']));
      else if (message.offer !== undefined) peer.offers++;
      else if (message.complete !== undefined && message.incomplete !== undefined)
        resolve([peer, message.complete + message.incomplete]);
    });
  });
}

test('the tracker keeps only the 20 most recent announcers of a torrent, and offers go to them', async () => {
  const tracker = await startTracker({ port: 0 });
  const peers: Announcer[] = [];
  try {
    const sizes: number[] = [];
    for (let i = 1; i <= 25; i++) {
      const [peer, size] = await announce(tracker.url, i, 0);
      peers.push(peer);
      sizes.push(size);
    }
    // The swarm grows to 20 and stays there: each newcomer pushes out the oldest.
    expect(sizes).toEqual(
      Array.from({ length: 25 }, (_, i) => Math.min(i + 1, DEFAULT_RECENT_PEERS)),
    );
    // One more, with an offer for as many peers as the tracker will name.
    const [last] = await announce(tracker.url, 26, 25);
    peers.push(last);
    // Offers reach only the 19 others it is remembered with (peers 7…25), never 1…6.
    const offered = (): number[] =>
      peers.flatMap((peer, index) => (peer.offers > 0 ? [index + 1] : []));
    await expect.poll(offered).toEqual(Array.from({ length: 19 }, (_, i) => i + 7));
  } finally {
    for (const peer of peers) peer.socket.close();
    await tracker.close();
  }
});
