// The neighbour overlay's transport, on real WebRTC connections in this page made by the
// same simple-peer webtorrent's tracker client makes them with: two Shoal ends become
// neighbours over a control channel, the connection outlives the torrent wire that made it,
// more torrents' wires run over new channels of it, and a hostile message closes only the
// control channel.
import { expect, waitUntil } from '@open-wc/testing';
import Peer from '@thaunknown/simple-peer/lite.js';
import { Neighbours } from '../../src/engine/swarm/neighbours/neighbours.ts';
import { CONTROL_CHANNEL_ID, type Carrier } from '../../src/engine/swarm/neighbours/link.ts';
import type { NeighbourLink } from '../../src/engine/swarm/port.ts';
import { PROTOCOL_VERSION, type OverlayMessage } from '../../src/engine/overlay/protocol.ts';

const ID_A = 'a'.repeat(40);
const ID_B = 'b'.repeat(40);
const INFO_HASH = 'c'.repeat(40);

interface SimplePeer extends Carrier {
  signal(data: unknown): void;
  on(event: string, cb: (...args: never[]) => void): unknown;
  write(data: Uint8Array): boolean;
  destroy(): void;
  id?: string;
}

/** Two connected simple-peers in this page; each carries the other end's peer id. */
async function carriers(): Promise<[SimplePeer, SimplePeer]> {
  const config = { iceServers: [] };
  const a = new Peer({ initiator: true, trickle: false, config }) as unknown as SimplePeer;
  const b = new Peer({ initiator: false, trickle: false, config }) as unknown as SimplePeer;
  a.id = ID_B;
  b.id = ID_A;
  a.on('signal', (data: unknown) => {
    b.signal(data);
  });
  b.on('signal', (data: unknown) => {
    a.signal(data);
  });
  await Promise.all(
    [a, b].map(
      (p) =>
        new Promise<void>((resolve) => {
          p.once('connect', resolve);
        }),
    ),
  );
  return [a, b];
}

/** A Neighbours for one end, and the links it has made. */
function end(selfId: string): { neighbours: Neighbours; links: NeighbourLink[] } {
  const neighbours = new Neighbours(selfId, { iceServers: [] });
  const links: NeighbourLink[] = [];
  neighbours.onNeighbour((link) => links.push(link));
  return { neighbours, links };
}

/** What a torrent does with a conn handed to it: here, keep it to read and write. */
function torrent(): {
  infoHash: string;
  destroyed: boolean;
  conns: { write(b: Uint8Array): void; on(e: 'data', cb: (b: Uint8Array) => void): void }[];
  addPeer(conn: never): boolean;
} {
  const t = {
    infoHash: INFO_HASH,
    destroyed: false,
    conns: [] as never[],
    addPeer(conn: never): boolean {
      t.conns.push(conn);
      return true;
    },
  };
  return t;
}

/** Two Shoal ends that have become neighbours over their carriers. */
async function neighbourPair(open: SimplePeer[]): Promise<{
  a: SimplePeer;
  b: SimplePeer;
  A: ReturnType<typeof end>;
  B: ReturnType<typeof end>;
  toB: NeighbourLink;
  toA: NeighbourLink;
}> {
  const [a, b] = await carriers();
  open.push(a, b);
  const A = end(ID_A);
  const B = end(ID_B);
  A.neighbours.carrier(a);
  B.neighbours.carrier(b);
  await waitUntil(() => A.links.length === 1 && B.links.length === 1, 'no neighbours');
  return { a, b, A, B, toB: A.links[0] as NeighbourLink, toA: B.links[0] as NeighbourLink };
}

const received = (link: NeighbourLink): OverlayMessage[] => {
  const got: OverlayMessage[] = [];
  link.onMessage((m) => got.push(m));
  return got;
};

describe('neighbours (swarm/neighbours)', () => {
  const open: SimplePeer[] = [];
  afterEach(() => {
    for (const p of open.splice(0)) p.destroy();
  });

  it('two Shoal tabs become neighbours over a control channel and talk on it', async () => {
    const { toB, toA } = await neighbourPair(open);
    expect([toB.remoteId, toA.remoteId]).to.deep.equal([ID_B, ID_A]);
    const got = received(toA);
    toB.send({ t: 'query', q: 'q'.repeat(16), infoHash: INFO_HASH, hops: 1 });
    await waitUntil(() => got.length === 1, 'the query did not arrive');
    expect(got[0]).to.deep.equal({ t: 'query', q: 'q'.repeat(16), infoHash: INFO_HASH, hops: 1 });
  });

  it('a stock peer is never a neighbour, and its connection carries its wire as before', async () => {
    const [a, b] = await carriers();
    open.push(a, b);
    const A = end(ID_A);
    A.neighbours.carrier(a);
    const got: Uint8Array[] = [];
    b.on('data', (d: Uint8Array) => got.push(d));
    a.write(new Uint8Array([19, 1, 2, 3]));
    await waitUntil(() => got.length > 0, 'the stock end got nothing');
    expect([...(got[0] as Uint8Array)]).to.deep.equal([19, 1, 2, 3]);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(A.links).to.have.length(0);
  });

  it('the connection outlives the wire that made it, and carries the next torrent’s wire', async () => {
    const { a, b, A, B, toB, toA } = await neighbourPair(open);
    const pcA = a._pc as RTCPeerConnection;
    // The first torrent is removed: webtorrent destroys its connection.
    a.destroy();
    // simple-peer gives its connection up as it ends (to the link, which keeps it open).
    await waitUntil(() => b._pc === null, 'the far end of the wire did not end');
    expect(pcA.connectionState).to.equal('connected');
    expect([toB.open, toA.open]).to.deep.equal([true, true]);

    // The next torrent: A opens a channel for it, B its half.
    const tA = torrent();
    const tB = torrent();
    const ch = A.neighbours.wireOver(toB, tA);
    expect(ch).to.be.a('number');
    expect(B.neighbours.wireOver(toA, tB, ch as number)).to.equal(ch);
    // An id of A's half taken again, or one of B's own half, is refused.
    expect(B.neighbours.wireOver(toA, tB, ch as number)).to.equal(null);
    expect(B.neighbours.wireOver(toA, tB, (ch as number) + 1)).to.equal(null);
    const [connA, connB] = [tA.conns[0], tB.conns[0]];
    if (!connA || !connB) throw new Error('no conns');
    const got: number[] = [];
    connB.on('data', (d) => got.push(...d));
    await new Promise((resolve) => setTimeout(resolve, 50));
    connA.write(new Uint8Array([19, 66, 84]));
    await waitUntil(() => got.length === 3, 'the wire carried nothing');
    expect(got).to.deep.equal([19, 66, 84]);
    expect(pcA.connectionState).to.equal('connected');
  });

  it('a malformed message closes the control channel and nothing else', async () => {
    const [a, b] = await carriers();
    open.push(a, b);
    const A = end(ID_A);
    A.neighbours.carrier(a);
    // The far end says a correct hello by hand, then sends garbage.
    const control = (b._pc as RTCPeerConnection).createDataChannel('x', {
      negotiated: true,
      id: CONTROL_CHANNEL_ID,
    });
    const hello = JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, id: ID_B });
    const timer = setInterval(() => {
      if (control.readyState === 'open') control.send(hello);
    }, 50);
    await waitUntil(() => A.links.length === 1, 'no neighbour');
    clearInterval(timer);
    const link = A.links[0] as NeighbourLink;
    let closed = false;
    link.onClose(() => (closed = true));
    control.send('{"t":"query","q":"x"}');
    await waitUntil(() => closed, 'the control channel stayed open');
    expect(link.open).to.equal(false);
    const got: Uint8Array[] = [];
    b.on('data', (d: Uint8Array) => got.push(d));
    a.write(new Uint8Array([19, 7]));
    await waitUntil(() => got.length > 0, 'the wire stopped too');
  });
});
