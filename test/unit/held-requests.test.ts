// A snubbed connection is asked for nothing (swarm/patches/held-requests.ts).
import { expect } from '@open-wc/testing';
import { holdRequests, RequestHolds } from '../../src/engine/swarm/patches/held-requests.ts';

interface Wire {
  readonly name: string;
}

/** webtorrent's request round in small: one block of piece 0 per round, recorded. */
function torrent() {
  const asked: string[] = [];
  const rounds: string[] = [];
  const wt = {
    _request(wire: Wire, index: number, hotswap: boolean): boolean {
      asked.push(`${wire.name}:${String(index)}${hotswap ? '!' : ''}`);
      return true;
    },
    _updateWire(wire: Wire): boolean {
      rounds.push(wire.name);
      return wt._request(wire, 0, false);
    },
  };
  return { wt, asked, rounds };
}

describe('held requests: a snubbed connection is asked for nothing', () => {
  it('skips its request round and refuses its requests until freed; counts each new hold', () => {
    const { wt, asked, rounds } = torrent();
    const holds = new RequestHolds();
    holdRequests(wt, holds);
    const a = { name: 'a' };
    const b = { name: 'b' };
    holds.hold(a, true);
    holds.hold(a, true);
    expect(holds.snubbed).to.equal(1);
    wt._updateWire(a);
    wt._updateWire(b);
    expect(wt._request(a, 3, true)).to.equal(false);
    expect(rounds).to.deep.equal(['b']);
    expect(asked).to.deep.equal(['b:0']);
    holds.hold(a, false);
    wt._updateWire(a);
    expect(asked).to.deep.equal(['b:0', 'a:0']);
    expect(holds.isHeld(a)).to.equal(false);
    holds.hold(a, true);
    expect(holds.snubbed).to.equal(2);
  });

  it('patches a torrent once', () => {
    const { wt, rounds } = torrent();
    const holds = new RequestHolds();
    holdRequests(wt, holds);
    holdRequests(wt, new RequestHolds());
    const a = { name: 'a' };
    holds.hold(a, true);
    wt._updateWire(a);
    expect(rounds).to.deep.equal([]);
  });
});
