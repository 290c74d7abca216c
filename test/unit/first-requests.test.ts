import { expect } from '@open-wc/testing';
import {
  firstRequestOrder,
  pipelineLength,
  streamFirstRequests,
  type FirstRequestWire,
} from '../../src/engine/swarm/patches/first-requests.ts';

const sel = (from: number, to: number, priority: number, offset = 0) => ({
  from,
  to,
  offset,
  priority,
});
const critical = (...indices: number[]): boolean[] => {
  const out: boolean[] = [];
  for (const i of indices) out[i] = true;
  return out;
};

describe('a new peer’s first requests while a stream waits', () => {
  const all = () => true;
  const cases: {
    name: string;
    critical: boolean[];
    selections: ReturnType<typeof sel>[];
    missing?: (i: number) => boolean;
    peerHas?: (i: number) => boolean;
    limit: number;
    want: number[];
  }[] = [
    {
      name: 'nothing critical: nothing (webtorrent’s own first request stands)',
      critical: [],
      selections: [sel(0, 99, 1)],
      limit: 10,
      want: [],
    },
    {
      name: 'the critical pieces first, then the stream selection on from its offset',
      critical: critical(4, 5),
      selections: [sel(0, 1442, 0), sel(0, 1442, 1, 4)],
      limit: 6,
      want: [4, 5, 6, 7, 8, 9],
    },
    {
      name: 'the highest priority selection before a lower one; unprioritised ones never',
      critical: critical(50),
      selections: [sel(0, 99, 0), sel(10, 12, 1), sel(50, 53, 2)],
      limit: 20,
      want: [50, 51, 52, 53, 10, 11, 12],
    },
    {
      name: 'only pieces still missing that the peer has',
      critical: critical(0, 1, 2),
      selections: [sel(0, 9, 1)],
      missing: (i) => i !== 1,
      peerHas: (i) => i % 2 === 0,
      limit: 10,
      want: [0, 2, 4, 6, 8],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(
        firstRequestOrder(c.critical, c.selections, c.missing ?? all, c.peerHas ?? all, c.limit),
      ).to.deep.equal(c.want);
    });
  }

  it('keeps as many blocks outstanding as webtorrent would, within the peer’s reqq', () => {
    const wire = (rate: number, reqq?: number) =>
      ({
        downloadSpeed: () => rate,
        ...(reqq ? { peerExtendedHandshake: { reqq } } : {}),
      }) as unknown as FirstRequestWire;
    expect(pipelineLength(wire(0))).to.equal(2);
    expect(pipelineLength(wire(512 * 1024))).to.equal(34);
    expect(pipelineLength(wire(512 * 1024, 10))).to.equal(10);
  });

  it('fills an unchoked new peer’s pipeline with the stream’s pieces before webtorrent asks for one block', () => {
    const requested: number[] = [];
    const blocksLeft = new Map([
      [3, 2],
      [4, 2],
      [5, 2],
    ]);
    const wire = {
      destroyed: false,
      downloaded: 0,
      peerChoking: false,
      requests: { length: 0 },
      peerPieces: { get: () => true },
      downloadSpeed: () => 2 * 16 * 1024, // 2 + 2 = 4 blocks
    };
    let stockCalls = 0;
    const wt = {
      _critical: critical(3),
      _selections: { length: 1, get: () => sel(0, 9, 1, 3) },
      bitfield: { get: (i: number) => i < 3 },
      _request(_w: typeof wire, index: number) {
        const left = blocksLeft.get(index) ?? 0;
        if (left === 0) return false;
        blocksLeft.set(index, left - 1);
        requested.push(index);
        wire.requests.length++;
        return true;
      },
      _updateWire(w: typeof wire): void {
        if (w === wire) stockCalls++;
      },
    };
    streamFirstRequests(wt);
    wt._updateWire(wire);
    expect(requested).to.deep.equal([3, 3, 4, 4]);
    expect(stockCalls).to.equal(1);
    // A peer that has answered is left to webtorrent.
    wire.downloaded = 16384;
    wire.requests.length = 0;
    wt._updateWire(wire);
    expect(requested).to.have.length(4);
    expect(stockCalls).to.equal(2);
  });
});
