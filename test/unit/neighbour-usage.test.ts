import { expect } from '@open-wc/testing';
import { NeighbourUsage, PRUNE_EVERY_MS } from '../../src/engine/overlay/usage.ts';
import { DEFAULT_PEER_ASSIST } from '../../src/config/peer-assist.ts';
import { FakeLink } from './support/fake-link.ts';

const MiB = 1024 * 1024;
const limits = { ...DEFAULT_PEER_ASSIST, softConns: 2, hardConns: 3, pruneGraceMs: 0 };

function neighbours(count: number): {
  usage: NeighbourUsage;
  links: FakeLink[];
  at: { ms: number };
} {
  const at = { ms: 0 };
  const usage = new NeighbourUsage(() => at.ms, limits);
  const links = Array.from({ length: count }, (_, i) => new FakeLink(`n${String(i)}`.repeat(8)));
  for (const link of links) usage.add(link);
  return { usage, links, at };
}

const closed = (links: FakeLink[]): string[] =>
  links.filter((l) => l.closed).map((l) => l.remoteId.slice(0, 2));

describe('neighbours within the connection limits (overlay/usage.ts)', () => {
  it('above the hard limit, the least useful go at once, down to it', async () => {
    const { usage, links, at } = neighbours(5);
    links.forEach((l, i) => (l.receivedBytes = (i + 1) * MiB));
    at.ms = 1000;
    await usage.prune();
    // 5 over a hard limit of 3: the two that sent us least.
    expect(closed(links)).to.deep.equal(['n0', 'n1']);
  });

  it('above the soft limit, one at a time, and not more often than every 5 s', async () => {
    const { usage, links, at } = neighbours(3);
    links.forEach((l, i) => (l.sentBytes = (3 - i) * MiB));
    at.ms = 1000;
    await usage.prune();
    expect(closed(links)).to.deep.equal(['n2']);
    at.ms += PRUNE_EVERY_MS - 1;
    links[2]?.close();
    await usage.prune();
    expect(closed(links)).to.deep.equal(['n2']);
  });

  it('a neighbour that led us to a peer outweighs one that moved a few bytes', async () => {
    const { usage, links, at } = neighbours(3);
    const [quiet, busy, guide] = links as [FakeLink, FakeLink, FakeLink];
    quiet.receivedBytes = 10_000;
    busy.receivedBytes = 4 * MiB;
    usage.discovered(guide, 0);
    at.ms = 1000;
    await usage.prune();
    expect(closed(links)).to.deep.equal([quiet.remoteId.slice(0, 2)]);
  });

  it('bytes from long ago no longer count: what it sent us in the last 10 minutes', async () => {
    const { usage, links, at } = neighbours(3);
    const [old, fresh] = links as [FakeLink, FakeLink, FakeLink];
    old.receivedBytes = 50 * MiB;
    fresh.receivedBytes = MiB;
    at.ms = 1000;
    await usage.prune();
    // The third (no bytes ever) went.
    expect(closed(links)).to.deep.equal(['n2']);
    const late = new FakeLink('n3'.repeat(8));
    usage.add(late);
    // Eleven minutes on: the old one's 50 MiB have aged out; the others sent a little since.
    at.ms = 11 * 60_000 + 2000;
    fresh.receivedBytes = 2 * MiB;
    late.receivedBytes = 64 * 1024;
    await usage.prune();
    expect(old.closed).to.equal(true);
  });
});
