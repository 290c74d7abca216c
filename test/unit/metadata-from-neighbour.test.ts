// A magnet's metadata handed over as a neighbour sends it with its `wire` message: a real
// webtorrent torrent (the engine's swarm client) takes an info dictionary that hashes to its
// info-hash, and nothing else.
import { expect, waitUntil } from '@open-wc/testing';
import { SwarmClient } from '../../src/engine/swarm/client.ts';
import { EmptyStore, withReadyTorrent } from './support/ready-torrent.ts';

/** The info-hash and info dictionary of a real 64-piece torrent. */
const held = (): Promise<{ infoHash: string; info: Uint8Array<ArrayBuffer> }> =>
  withReadyTorrent(64, (wt) => ({
    infoHash: wt.infoHash,
    info: Uint8Array.from(wt.infoBuffer ?? []),
  }));

async function withMagnet<R>(
  infoHash: string,
  use: (client: SwarmClient, ready: Promise<void>) => Promise<R>,
): Promise<R> {
  const client = new SwarmClient({ announce: [], iceServers: [], maxConns: 10 });
  try {
    const swarm = client.add(
      `magnet:?xt=urn:btih:${infoHash}`,
      { store: EmptyStore, storeOpts: {} },
      { emptyStore: () => true, failed: () => undefined },
    );
    const ready = new Promise<void>((resolve) => {
      swarm.once('ready', resolve);
    });
    // webtorrent reads the magnet in a later task.
    await waitUntil(() => client.running(infoHash), 'the magnet was not added');
    return await use(client, ready);
  } finally {
    await client.destroy();
  }
}

describe('metadata from a neighbour', () => {
  it('makes a magnet ready with no peer at all when the info dictionary hashes right', async () => {
    const { infoHash, info } = await held();
    expect(info.byteLength).to.be.greaterThan(64 * 20);
    await withMagnet(infoHash, async (client, ready) => {
      expect(client.infoOf(infoHash)).to.equal(null);
      expect(await client.supplyMetadata(infoHash, info)).to.equal('used');
      await ready;
      expect([...(client.infoOf(infoHash) ?? [])]).to.deep.equal([...info]);
      expect(await client.supplyMetadata(infoHash, info)).to.equal('unneeded');
    });
  });

  it('refuses an info dictionary of another torrent, or one altered', async () => {
    const { infoHash, info } = await held();
    const altered = info.slice();
    altered[altered.length - 10] = (altered[altered.length - 10] ?? 0) ^ 1;
    await withMagnet(infoHash, async (client) => {
      expect(await client.supplyMetadata(infoHash, altered)).to.equal('wrong');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(client.infoOf(infoHash)).to.equal(null);
      expect(client.holds(infoHash)).to.equal(false);
    });
  });
});
