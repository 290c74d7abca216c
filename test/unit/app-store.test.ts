import { expect } from '@open-wc/testing';
import { ShoalEngine } from '../../src/engine/engine.ts';
import { AppStore } from '../../src/store/app-store.ts';

describe('AppStore with a real engine (no peers)', () => {
  let engine: ShoalEngine;
  let store: AppStore;

  beforeEach(() => {
    engine = new ShoalEngine({ announce: [], iceServers: [], maxConns: 5 });
    store = new AppStore(engine, { storage: navigator.storage, storagePollMs: 60_000 });
  });

  afterEach(async () => {
    store.dispose();
    await engine.destroy();
  });

  it('reads the browser storage figures', async () => {
    await store.refreshStorage();
    expect(store.state.storage?.quotaBytes).to.be.greaterThan(0);
    expect(store.state.storage?.usageBytes).to.be.at.least(0);
  });

  it('adds a magnet, shows it fetching metadata, and refuses it twice', async () => {
    const hash = '0123456789abcdef0123456789abcdef01234567';
    const added = await store.addText(`magnet:?xt=urn:btih:${hash}&dn=Waiting`);
    expect(added).to.deep.equal({ ok: true, infoHash: hash });
    expect(store.state.selected).to.equal(hash);
    expect(store.state.torrents.map((t) => [t.name, t.state])).to.deep.equal([
      ['Waiting', 'metadata'],
    ]);
    const again = await store.addText(hash);
    expect(again.ok).to.equal(false);
    if (!again.ok) expect(again.message).to.contain('already in your list');
    // A link the app is opened with for a torrent it has just shows it.
    expect(await store.openLink(hash)).to.deep.equal({ ok: true, infoHash: hash });
    await store.remove(hash, true);
    expect(store.state.torrents).to.deep.equal([]);
  });
});
