// How torrents reach the app from outside it: launch addresses, shared text and files, and
// .torrent files and magnets launched into the running window.
import { expect, waitUntil } from '@open-wc/testing';
import { ShoalEngine } from '../../src/engine/engine.ts';
import { consumeLaunches, type LaunchParamsLike } from '../../src/pwa/launch-queue.ts';
import { ShareInbox } from '../../src/pwa/share-inbox.ts';
import { AppStore, type ActionResult } from '../../src/store/app-store.ts';
import { magnetInSharedText, readLaunch, withoutLaunch } from '../../src/store/launch.ts';
import { ShoalApp } from '../../src/ui/shoal-app/shoal-app.ts';
import { bencode } from './support/bencode.ts';
import { HASH, MAGNET } from './support/leaves-of-grass.ts';

describe('launch addresses and shared text', () => {
  it('reads a share, a share error and a torrent to select, and cleans them away', () => {
    const url = new URL(`https://shoal.example/?share=abc&select=${HASH}&x=1`);
    expect(readLaunch(url)).to.deep.equal({
      magnet: null,
      shareId: 'abc',
      shareError: null,
      select: HASH,
    });
    expect(withoutLaunch(url).href).to.equal('https://shoal.example/?x=1');
    const failed = new URL('https://shoal.example/?share-error=QuotaExceededError%3A+full');
    expect(readLaunch(failed).shareError).to.equal('QuotaExceededError: full');
    expect(withoutLaunch(failed).href).to.equal('https://shoal.example/');
  });

  const cases: [string, string | null][] = [
    [MAGNET, MAGNET],
    [`Have a look: ${MAGNET} (the good edition)`, MAGNET],
    [`Leaves of Grass\nhttps://shoal.example/?magnet=${encodeURIComponent(MAGNET)}`, MAGNET],
    [`https://other.example/#${MAGNET}`, MAGNET],
    ['https://example.com/holiday-photos', null],
    ['just some words', null],
    ['', null],
  ];
  for (const [text, magnet] of cases) {
    it(`finds ${magnet ? 'the magnet' : 'nothing'} in ${JSON.stringify(text.slice(0, 40))}`, () => {
      expect(magnetInSharedText(text)).to.equal(magnet);
    });
  }
});

describe('launches and shares reaching a real store', () => {
  let engine: ShoalEngine;
  let store: AppStore;

  beforeEach(() => {
    engine = new ShoalEngine({ announce: [], iceServers: [], maxConns: 5 });
    store = new AppStore(engine, { storagePollMs: 60_000 });
  });

  afterEach(async () => {
    store.dispose();
    await engine.destroy();
  });

  it('opens a .torrent file handle from launchQueue and shows it in the app', async () => {
    const root = await navigator.storage.getDirectory();
    const handle = await root.getFileHandle('launch-test.torrent', { create: true });
    const writable = await handle.createWritable();
    await writable.write(
      new TextEncoder().encode(
        bencode({
          announce: 'ws://localhost:1',
          info: {
            length: 5,
            name: 'launched.txt',
            'piece length': 16384,
            pieces: 'abcdefghijklmnopqrst',
          },
        }),
      ),
    );
    await writable.close();

    let consumer: (params: LaunchParamsLike) => void = () => undefined;
    const results: ActionResult[] = [];
    consumeLaunches(
      {
        setConsumer: (fn) => {
          consumer = fn;
        },
      },
      store,
      (result) => results.push(result),
      'https://shoal.example/',
    );
    const app = new ShoalApp(store, { defaultTrackers: [] });
    document.body.append(app);
    try {
      consumer({ targetURL: 'https://shoal.example/', files: [handle] });
      await waitUntil(() => results.length === 1, 'the launch was not handled', { timeout: 5000 });
      expect(results[0]?.ok, JSON.stringify(results)).to.equal(true);
      store.refresh();
      await app.updateComplete;
      const list = app.shadowRoot?.querySelector('shoal-torrent-list');
      await waitUntil(
        () =>
          [...(list?.shadowRoot?.querySelectorAll('shoal-torrent-row') ?? [])].some((row) =>
            (row.shadowRoot?.textContent ?? '').includes('launched.txt'),
          ),
        'the list never showed the launched torrent',
        { timeout: 5000 },
      );
      // The main view, with the list, the details and the storage view: axe finds nothing.
      await app.updateComplete;
      await expect(app).to.be.accessible();
    } finally {
      app.remove();
      await root.removeEntry('launch-test.torrent');
    }
  });

  it('a magnet launched into the running window opens it; a bad one says why', async () => {
    let consumer: (params: LaunchParamsLike) => void = () => undefined;
    const results: ActionResult[] = [];
    consumeLaunches(
      { setConsumer: (fn) => (consumer = fn) },
      store,
      (result) => results.push(result),
      'https://shoal.example/',
    );
    consumer({
      targetURL: `https://shoal.example/?magnet=${encodeURIComponent(MAGNET)}`,
      files: [],
    });
    consumer({
      targetURL: 'https://shoal.example/?magnet=magnet%3A%3Fxt%3Durn%3Abtih%3A1234',
      files: [],
    });
    await waitUntil(() => results.length === 2, 'both launches were not handled', {
      timeout: 5000,
    });
    expect(store.state.torrents.map((t) => t.infoHash)).to.deep.equal([HASH]);
    const bad = results.find((r) => !r.ok);
    expect(bad && !bad.ok && bad.message).to.match(/info-hash "1234" is malformed/);
  });

  it('receives a share: text with a magnet opens it; nothing useful says so', async () => {
    const opened = await store.receiveShare({ files: [], text: `Listen to this\n${MAGNET}` });
    expect(opened).to.deep.equal({ ok: true, infoHash: HASH });
    const empty = await store.receiveShare({ files: [], text: 'https://example.com/' });
    expect(empty.ok).to.equal(false);
    if (!empty.ok) expect(empty.message).to.contain('no magnet link');
  });

  it('receives shared files: seeds them and shows the sharing card', async () => {
    const files = [
      new File(['first photo bytes'], 'IMG_0001.jpg', { type: 'image/jpeg' }),
      new File(['second photo bytes'], 'IMG_0002.jpg', { type: 'image/jpeg' }),
    ];
    const result = await store.receiveShare({ files, text: '' });
    expect(result.ok, JSON.stringify(result)).to.equal(true);
    if (!result.ok) return;
    expect(store.state.sharing).to.equal(result.infoHash);
    const seeded = store.state.torrents.find((t) => t.infoHash === result.infoHash);
    expect(seeded?.state).to.equal('seeding');
    expect(seeded?.files.map((f) => f.name).sort()).to.deep.equal(['IMG_0001.jpg', 'IMG_0002.jpg']);
    store.share(null);
    expect(store.state.sharing).to.equal(null);
    await store.remove(result.infoHash, true);
  });
});

describe('ShareInbox', () => {
  it('keeps shared files until taken, and drops stale ones', async () => {
    const inbox = await ShareInbox.open();
    try {
      const file = new File(['hello'], 'note.txt', { type: 'text/plain' });
      await inbox.put({ id: 'fresh', receivedAtMs: 10_000, files: [file], text: 'hi' });
      await inbox.put({ id: 'stale', receivedAtMs: 0, files: [], text: '' });
      const back = await inbox.get('fresh');
      expect(back?.files[0]?.name).to.equal('note.txt');
      expect(await back?.files[0]?.text()).to.equal('hello');
      expect(await inbox.prune(10_001, 5_000)).to.equal(1);
      expect(await inbox.get('stale')).to.equal(undefined);
      await inbox.delete('fresh');
      expect(await inbox.get('fresh')).to.equal(undefined);
    } finally {
      inbox.close();
    }
  });
});
