// A silent wire on a neighbour's connection, on real WebRTC connections in this page (the
// simple-peer webtorrent's tracker client makes), judged by the real peer assist: the snub
// rule may withdraw its requests, but never closes the wire, the RTCPeerConnection, or the
// neighbour's control channel, even while the neighbour's hello is still on its way.
import { expect, waitUntil } from '@open-wc/testing';
import Peer from '@thaunknown/simple-peer/lite.js';
import { PeerAssist } from '../../src/engine/assist/peer-assist.ts';
import { DEFAULT_PEER_ASSIST } from '../../src/config/peer-assist.ts';
import { Playback } from '../../src/engine/streaming/playback.ts';
import { Priorities } from '../../src/engine/streaming/priorities.ts';
import { connectionIsShared, Neighbours } from '../../src/engine/swarm/neighbours/neighbours.ts';
import type { Carrier } from '../../src/engine/swarm/neighbours/link.ts';
import type { NeighbourLink } from '../../src/engine/swarm/port.ts';
import type { OverlayMessage } from '../../src/engine/overlay/protocol.ts';
import { FakePeer, FakeSwarm } from './support/fake-swarm.ts';

const ID_A = 'a'.repeat(40);
const ID_B = 'b'.repeat(40);
const KiB = 1024;

interface SimplePeer extends Carrier {
  signal(data: unknown): void;
  on(event: string, cb: (...args: never[]) => void): unknown;
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
  // One end closed (a dropped wire, the test's cleanup) is an 'error' at the other: Chromium
  // reports the closed channel as "User-Initiated Abort"; unheard, it would be uncaught.
  for (const p of [a, b]) p.on('error', () => undefined);
  a.on('signal', (data: unknown) => {
    b.signal(data);
  });
  b.on('signal', (data: unknown) => {
    a.signal(data);
  });
  await Promise.all([a, b].map((p) => new Promise<void>((resolve) => p.once('connect', resolve))));
  return [a, b];
}

/** The torrent's wire on carrier `a`, as the swarm's port shows it (swarm/torrent.ts). */
class CarrierWire extends FakePeer {
  constructor(private readonly carrier: SimplePeer) {
    super({ pieces: Array.from({ length: 64 }, (_, i) => i) });
  }
  /** What WirePeer reads: whether the wire's connection is a neighbour's. */
  update(): void {
    this.neighbour = connectionIsShared(this.carrier);
  }
  override dropSilent(): void {
    super.dropSilent();
    // webtorrent destroys the wire's connection with it.
    this.carrier.destroy();
  }
}

/**
 * Peer assist on a fake clock over 60 s: the wire on `a` sits on a request the whole time,
 * beside an honest peer that sends a block a second (so the snub rule may act on it).
 */
function sitOnRequests(a: SimplePeer): { wire: CarrierWire; snubs: number } {
  const swarm = new FakeSwarm(64);
  const clock = { nowMs: 0 };
  const assist = new PeerAssist(
    swarm,
    new Priorities(swarm),
    new Playback(() => clock.nowMs),
    DEFAULT_PEER_ASSIST,
    () => clock.nowMs,
  );
  const wire = new CarrierWire(a);
  swarm.connect(wire);
  const honest = swarm.connect(new FakePeer({ pieces: [1] }));
  let snubs = 0;
  for (; clock.nowMs <= 60_000; clock.nowMs += 500) {
    if (clock.nowMs % 1_000 === 0) honest.transfer('down', 16 * KiB);
    honest.queued = [{ piece: 1, offset: 0, length: 16 * KiB }];
    if (!wire.snubbed && wire.queued.length === 0)
      wire.queued = [{ piece: 1, offset: 0, length: 16 * KiB }];
    wire.update();
    const was = wire.snubbed;
    assist.tick();
    if (!was && wire.snubbed) snubs++;
  }
  return { wire, snubs };
}

describe('the snub rule on a neighbour’s connection (real WebRTC)', () => {
  const open: SimplePeer[] = [];
  afterEach(() => {
    for (const p of open.splice(0)) p.destroy();
  });

  it('a neighbour’s silent wire is snubbed, not dropped: its connection and control channel stay', async () => {
    const [a, b] = await carriers();
    open.push(a, b);
    const A = new Neighbours(ID_A, { iceServers: [] });
    const B = new Neighbours(ID_B, { iceServers: [] });
    const links: NeighbourLink[] = [];
    A.onNeighbour((l) => links.push(l));
    B.onNeighbour((l) => links.push(l));
    A.carrier(a);
    B.carrier(b);
    await waitUntil(() => links.length === 2, 'no neighbours');

    const pc = a._pc as RTCPeerConnection;
    const { wire, snubs } = sitOnRequests(a);
    // The control channel still carries the overlay's messages.
    const [toB, toA] = links as [NeighbourLink, NeighbourLink];
    const got: OverlayMessage[] = [];
    toA.onMessage((m) => got.push(m));
    toB.send({ t: 'query', q: 'q'.repeat(16), infoHash: 'c'.repeat(40), hops: 1 });
    await waitUntil(() => got.length === 1, 'the control channel carried nothing');
    expect(pc.connectionState).to.equal('connected');
    // Its requests went to the honest peer, again and again; the wire itself stays.
    expect(snubs).to.be.at.least(2);
    expect([wire.droppedSilent, a.destroyed]).to.deep.equal([0, false]);
  });

  it('a wire that sits on requests while the other end’s hello is still on its way is kept: the neighbour link still forms', async () => {
    const [a, b] = await carriers();
    open.push(a, b);
    const A = new Neighbours(ID_A, { iceServers: [] });
    const B = new Neighbours(ID_B, { iceServers: [] });
    const links: NeighbourLink[] = [];
    A.onNeighbour((l) => links.push(l));
    B.onNeighbour((l) => links.push(l));
    // A asks at once; B (a loaded tab) has not answered yet when the rule judges the wire.
    A.carrier(a);
    const { wire } = sitOnRequests(a);
    B.carrier(b);
    await waitUntil(() => links.length === 2, 'the neighbour link never formed');
    expect(links.every((l) => l.open)).to.equal(true);
    expect([wire.droppedSilent, a.destroyed]).to.deep.equal([0, false]);
  });

  it('a stock peer’s silent wire (no neighbour, its hello long given up) is still dropped, with its connection', async () => {
    const [a, b] = await carriers();
    open.push(a, b);
    // Nobody asked hello on this connection: a stock peer's, after its hello timed out.
    const { wire } = sitOnRequests(a);
    expect(wire.droppedSilent).to.equal(1);
    await waitUntil(() => a.destroyed, 'the stock peer’s connection stayed');
  });
});
