// The overlay's behaviour between tabs, with the swarm faked: what a query, a hit, a wire and
// a relayed signal lead to at each tab (the connections themselves: neighbours.test.ts).
import { expect } from '@open-wc/testing';
import { Overlay, type OverlayClient } from '../../src/engine/overlay/overlay.ts';
import type { OverlayMessage } from '../../src/engine/overlay/protocol.ts';
import type { NeighbourDial, NeighbourLink, SignalSend } from '../../src/engine/swarm/port.ts';
import { FakeLink } from './support/fake-link.ts';

const H = 'c'.repeat(40);
const id = (name: string): string => name.repeat(16);

interface Dialled {
  readonly infoHash: string;
  readonly remoteId: string;
  readonly initiator: boolean;
  readonly send: SignalSend;
  readonly signals: [string, string][];
}

class FakeClient implements OverlayClient {
  readonly held = new Set<string>();
  readonly live = new Set<string>();
  readonly wires: [string, string, number | undefined][] = [];
  readonly dialled: Dialled[] = [];
  private made: ((link: NeighbourLink) => void) | null = null;
  constructor(readonly selfId: string) {}
  onNeighbour(cb: (link: NeighbourLink) => void): void {
    this.made = cb;
  }
  neighbour(name: string): FakeLink {
    const link = new FakeLink(id(name));
    this.made?.(link);
    return link;
  }
  holds(infoHash: string): boolean {
    return this.held.has(infoHash);
  }
  running(infoHash: string): boolean {
    return this.live.has(infoHash) || this.held.has(infoHash);
  }
  wireOver(link: NeighbourLink, infoHash: string, ch?: number): number | null {
    this.wires.push([link.remoteId, infoHash, ch]);
    return ch ?? 102;
  }
  /** Info dictionaries of the torrents held here; those handed to us, and what we said. */
  readonly infos = new Map<string, Uint8Array>();
  readonly supplied: [string, number[]][] = [];
  supplyOutcome: 'used' | 'unneeded' | 'wrong' = 'used';
  infoOf(infoHash: string): Uint8Array | null {
    return this.infos.get(infoHash) ?? null;
  }
  supplyMetadata(
    infoHash: string,
    info: Uint8Array<ArrayBuffer>,
  ): Promise<'used' | 'unneeded' | 'wrong'> {
    this.supplied.push([infoHash, [...info]]);
    return Promise.resolve(this.supplyOutcome);
  }
  dial(infoHash: string, remoteId: string, initiator: boolean, send: SignalSend): NeighbourDial {
    const d: Dialled = { infoHash, remoteId, initiator, send, signals: [] };
    this.dialled.push(d);
    return {
      signal: (kind, data) => d.signals.push([kind, data]),
      close: () => undefined,
    };
  }
}

function tab(name: string): { client: FakeClient; overlay: Overlay; ids: () => string } {
  const client = new FakeClient(id(name));
  let n = 0;
  const ids = (): string => `query-${name}-${String(n++).padStart(8, '0')}`;
  const overlay = new Overlay(client, () => 1000, ids);
  return { client, overlay, ids };
}

const query = (q: string, hops: number): OverlayMessage => ({ t: 'query', q, infoHash: H, hops });

describe('the overlay at one tab', () => {
  it('asks every neighbour for a torrent added, once each, with one hop left to forward', () => {
    const { client, overlay } = tab('C');
    const [b, d] = [client.neighbour('B'), client.neighbour('D')];
    overlay.find(H);
    expect(b.sent).to.deep.equal([query('query-C-00000000', 1)]);
    expect(d.sent).to.deep.equal([query('query-C-00000000', 1)]);
    expect(overlay.stats.queriesSent).to.equal(2);
  });

  it('a holder asked straight runs the wire to the asker at once, on a channel of theirs', () => {
    const { client, overlay } = tab('A');
    client.held.add(H);
    const c = client.neighbour('C');
    c.deliver(query('q'.repeat(16), 1));
    expect(client.wires).to.deep.equal([[id('C'), H, undefined]]);
    expect(c.sent).to.deep.equal([{ t: 'wire', infoHash: H, ch: 102 }]);
    expect(overlay.stats).to.include({ queriesAnswered: 1, wires: 1 });
  });

  it('sends the info dictionary with the wire, and hands one it receives to its torrent', async () => {
    const A = tab('A');
    A.client.held.add(H);
    A.client.infos.set(H, new Uint8Array([100, 52, 58, 110, 101]));
    const c = A.client.neighbour('C');
    c.deliver(query('q'.repeat(16), 1));
    const wire = c.sent[0];
    expect(wire).to.deep.equal({ t: 'wire', infoHash: H, ch: 102, info: 'ZDQ6bmU=' });

    const C = tab('C');
    C.client.live.add(H);
    const a = C.client.neighbour('A');
    if (wire) a.deliver(wire);
    await Promise.resolve();
    expect(C.client.supplied).to.deep.equal([[H, [100, 52, 58, 110, 101]]]);
    expect(C.overlay.stats).to.include({ wires: 1, metadataFromWire: 1, metadataRefused: 0 });
    // One that does not hash to the info-hash is counted, and the wire still runs.
    C.client.supplyOutcome = 'wrong';
    a.deliver({ t: 'wire', infoHash: H, ch: 209, info: 'ZDQ6bmU=' });
    await Promise.resolve();
    expect(C.overlay.stats).to.include({ wires: 2, metadataFromWire: 1, metadataRefused: 1 });
  });

  it('takes its half of the channel a neighbour opened, for a torrent running here only', () => {
    const { client, overlay } = tab('C');
    client.live.add(H);
    const a = client.neighbour('A');
    a.deliver({ t: 'wire', infoHash: H, ch: 205 });
    a.deliver({ t: 'wire', infoHash: 'd'.repeat(40), ch: 207 });
    expect(client.wires).to.deep.equal([[id('A'), H, 205]]);
    expect(overlay.stats.wires).to.equal(1);
  });

  it('forwards a query it cannot answer to its other neighbours once, and drops the repeat', () => {
    const { client, overlay } = tab('B');
    const [c, a, d] = [client.neighbour('C'), client.neighbour('A'), client.neighbour('D')];
    c.deliver(query('q'.repeat(16), 1));
    a.deliver(query('q'.repeat(16), 0));
    expect(c.sent).to.deep.equal([]);
    expect(a.sent).to.deep.equal([query('q'.repeat(16), 0)]);
    expect(d.sent).to.deep.equal([query('q'.repeat(16), 0)]);
    expect(overlay.stats).to.include({ queriesForwarded: 2, duplicatesDropped: 1 });
    // Tallied for that torrent alone, apart from the queries about any other.
    c.deliver({ t: 'query', q: 'r'.repeat(16), infoHash: 'd'.repeat(40), hops: 1 });
    expect(overlay.queriesFor(H)).to.deep.equal({ received: 2, forwarded: 2, duplicates: 1 });
    expect(overlay.queriesFor('d'.repeat(40))).to.include({ received: 1, duplicates: 0 });
  });

  it('does not forward a query with no hops left (the hop limit)', () => {
    const { client, overlay } = tab('A');
    const [b, d] = [client.neighbour('B'), client.neighbour('D')];
    b.deliver(query('q'.repeat(16), 0));
    expect(d.sent).to.deep.equal([]);
    expect(overlay.stats.queriesForwarded).to.equal(0);
  });

  it('drops a flood of queries from one neighbour past its rate', () => {
    const { client, overlay } = tab('B');
    const c = client.neighbour('C');
    client.neighbour('A');
    for (let i = 0; i < 30; i++) c.deliver(query(`flood-${String(i).padStart(12, '0')}`, 1));
    expect(overlay.stats.floodsDropped).to.equal(10);
    expect(overlay.stats.queriesForwarded).to.equal(20);
  });
});

describe('two hops: a hit routed back and the signalling relayed', () => {
  it('C finds A through B and connects to it with the offer and answer relayed by B', () => {
    const A = tab('A');
    const B = tab('B');
    const C = tab('C');
    A.client.held.add(H);
    C.client.live.add(H);
    // Links: each end's view of the other.
    const cToB = C.client.neighbour('B');
    const bToC = B.client.neighbour('C');
    const bToA = B.client.neighbour('A');
    const aToB = A.client.neighbour('B');
    const pump = (): void => {
      for (const [from, to] of [
        [cToB, bToC],
        [bToC, cToB],
        [bToA, aToB],
        [aToB, bToA],
      ] as const)
        for (const m of from.sent.splice(0)) to.deliver(m);
    };
    C.overlay.find(H);
    pump(); // C → B: query; B → A: forwarded
    pump(); // A → B: hit
    pump(); // B → C: hit routed back
    expect(C.overlay.stats.farHits).to.equal(1);
    expect(A.overlay.stats.queriesAnswered).to.equal(1);
    const [dialC] = C.client.dialled;
    expect(dialC).to.include({ infoHash: H, remoteId: id('A'), initiator: true });
    dialC?.send('offer', '{"type":"offer","sdp":"v=0"}');
    pump(); // C → B: offer
    pump(); // B → A: relayed
    const [dialA] = A.client.dialled;
    expect(dialA).to.include({ infoHash: H, remoteId: id('C'), initiator: false });
    expect(dialA?.signals).to.deep.equal([['offer', '{"type":"offer","sdp":"v=0"}']]);
    dialA?.send('answer', '{"type":"answer","sdp":"v=0"}');
    pump();
    pump();
    expect(dialC?.signals).to.deep.equal([['answer', '{"type":"answer","sdp":"v=0"}']]);
    expect(B.overlay.stats.signalsRelayed).to.equal(2);
  });

  it('a neighbour relays no signal between two ends no hit of its named, nor one spoofing its sender', () => {
    const B = tab('B');
    const c = B.client.neighbour('C');
    const a = B.client.neighbour('A');
    const signal = (from: string): OverlayMessage => ({
      t: 'signal',
      from: id(from),
      to: id('A'),
      infoHash: H,
      kind: 'offer',
      data: '{}',
    });
    c.deliver(signal('C'));
    c.deliver(signal('D'));
    expect(a.sent).to.deep.equal([]);
    expect(B.overlay.stats.signalsRelayed).to.equal(0);
  });

  it('a holder answers no offer for a torrent it did not just say it holds', () => {
    const A = tab('A');
    A.client.held.add(H);
    const b = A.client.neighbour('B');
    b.deliver({
      t: 'signal',
      from: id('B'),
      to: id('A'),
      infoHash: H,
      kind: 'offer',
      data: '{"type":"offer","sdp":"v=0"}',
    });
    expect(A.client.dialled).to.deep.equal([]);
  });
});
