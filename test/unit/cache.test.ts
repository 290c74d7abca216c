import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import {
  CACHE_DEFAULTS,
  cacheBudgetBytes,
  chooseEvictions,
  planStorage,
  type StorageTorrent,
} from '../../src/engine/policy/cache.ts';
import { ShoalEngine } from '../../src/engine/engine.ts';
import type { TorrentSnapshot } from '../../src/engine/types.ts';
import { AppStore } from '../../src/store/app-store.ts';
import '../../src/ui/shoal-storage/shoal-storage.ts';
import type { ShoalStorage } from '../../src/ui/shoal-storage/shoal-storage.ts';

const MB = 1000 * 1000;
const GB = 1000 * MB;

describe('cache budget (Spotify: 10 % of the space, 50 MB to 10 GB)', () => {
  const cases: [string, number, number | null, number][] = [
    ['10 % of a 2 GB quota', 2 * GB, null, 200 * MB],
    ['at least 50 MB', 100 * MB, null, 50 * MB],
    ['at most 10 GB', 500 * GB, null, 10 * GB],
    ['no quota figure still leaves the minimum', 0, null, CACHE_DEFAULTS.minBytes],
    ['the user setting wins', 500 * GB, 300 * MB, 300 * MB],
    ['a setting of 0 means no cache', 2 * GB, 0, 0],
  ];
  for (const [label, quota, setting, budget] of cases) {
    it(label, () => {
      expect(cacheBudgetBytes(quota, setting)).to.equal(budget);
    });
  }
});

const entry = (infoHash: string, over: Partial<StorageTorrent> = {}): StorageTorrent => ({
  infoHash,
  sizeBytes: 100 * MB,
  lastUsedMs: 0,
  kept: false,
  inUse: false,
  downloading: false,
  remainingBytes: 0,
  ...over,
});

describe('chooseEvictions', () => {
  const cases: { label: string; entries: StorageTorrent[]; budget: number; evict: string[] }[] = [
    {
      label: 'nothing when the cache fits',
      entries: [entry('a'), entry('b')],
      budget: 200 * MB,
      evict: [],
    },
    {
      label: 'least recently used first, only as many as needed',
      entries: [
        entry('new', { lastUsedMs: 30 }),
        entry('old', { lastUsedMs: 10 }),
        entry('mid', { lastUsedMs: 20 }),
      ],
      budget: 150 * MB,
      evict: ['old', 'mid'],
    },
    {
      label: 'kept torrents neither count nor go',
      entries: [
        entry('kept', { kept: true, sizeBytes: 5 * GB }),
        entry('cache', { lastUsedMs: 1 }),
      ],
      budget: 100 * MB,
      evict: [],
    },
    {
      label: 'the one in use stays even if it is the oldest',
      entries: [entry('playing', { inUse: true }), entry('other', { lastUsedMs: 5 })],
      budget: 100 * MB,
      evict: ['other'],
    },
    {
      label: 'everything that may go, when even that is not enough',
      entries: [entry('playing', { inUse: true, sizeBytes: 400 * MB }), entry('x'), entry('y')],
      budget: 100 * MB,
      evict: ['x', 'y'],
    },
  ];
  for (const { label, entries, budget, evict } of cases) {
    it(label, () => {
      expect(chooseEvictions(entries, budget)).to.deep.equal(evict);
    });
  }
});

describe('planStorage', () => {
  it('makes room for a running download out of the cache, oldest first', () => {
    const plan = planStorage({
      torrents: [
        entry('film', { kept: true, downloading: true, remainingBytes: 300 * MB, sizeBytes: 0 }),
        entry('old', { lastUsedMs: 1 }),
        entry('new', { lastUsedMs: 2 }),
      ],
      usageBytes: 1000 * MB,
      quotaBytes: 1200 * MB,
      budgetSetting: 1 * GB,
    });
    expect(plan.evict).to.deep.equal(['old']);
    expect(plan.tooBig).to.deep.equal([]);
    expect(plan.cacheUsageBytes).to.equal(100 * MB);
  });

  it('reports a download that cannot fit even with the cache emptied', () => {
    const plan = planStorage({
      torrents: [
        entry('huge', { kept: true, downloading: true, remainingBytes: 5 * GB, sizeBytes: 0 }),
        entry('cache'),
      ],
      usageBytes: 900 * MB,
      quotaBytes: 1000 * MB,
      budgetSetting: null,
    });
    expect(plan.evict).to.deep.equal(['cache']);
    expect(plan.tooBig).to.deep.equal([
      { infoHash: 'huge', neededBytes: 5 * GB, freeBytes: 200 * MB },
    ]);
  });

  it('leaves everything alone when there is room', () => {
    const plan = planStorage({
      torrents: [entry('a', { downloading: true, remainingBytes: 10 * MB }), entry('b')],
      usageBytes: 300 * MB,
      quotaBytes: 10 * GB,
      budgetSetting: null,
    });
    expect(plan).to.deep.equal({
      evict: [],
      tooBig: [],
      cacheUsageBytes: 200 * MB,
      budgetBytes: 1 * GB,
    });
  });
});

describe('AppStore keeps storage within bounds', () => {
  let engine: ShoalEngine;
  let store: AppStore;

  afterEach(async () => {
    store.dispose();
    await engine.destroy();
  });

  it('pauses a download the browser has no room for, and says how to free space', async () => {
    engine = new ShoalEngine({ announce: [], iceServers: [], maxConns: 5 });
    // A browser that allows this site only 100 KB more.
    const storage = {
      estimate: () => Promise.resolve({ usage: 900_000, quota: 1_000_000 }),
      persisted: () => Promise.resolve(false),
      persist: () => Promise.resolve(false),
    };
    store = new AppStore(engine, { storage, storagePollMs: 60_000 });
    const files = [new File([new Uint8Array(300 * 1024)], 'big.bin')];
    // Seeded elsewhere: we only need its .torrent, as a download that has not started.
    const source = new ShoalEngine({ announce: [], iceServers: [], maxConns: 5 });
    const seeded = await source.seed(files);
    const torrentFile = source.persisted(seeded.infoHash)?.torrentFile;
    // Same origin, same storage: take its pieces away so ours starts empty.
    await source.remove(seeded.infoHash, { deleteData: true });
    await source.destroy();
    expect(torrentFile).to.be.instanceOf(Uint8Array);
    const added = await store.addTorrentFile(
      new File([new Uint8Array(torrentFile ?? [])], 'big.torrent'),
    );
    expect(added.ok).to.equal(true);
    await waitUntil(
      () => {
        store.refresh();
        return store.state.torrents[0]?.state === 'downloading';
      },
      'the download never started',
      { timeout: 8000 },
    );
    await store.refreshStorage();
    expect(store.state.torrents[0]?.state).to.equal('paused');
    const notice = store.state.notices.find((n) => n.level === 'error');
    expect(notice?.message).to.match(/Paused "big\.bin": it needs 300 KiB more/);
    expect(notice?.message).to.contain('Free space');
  });
});

describe('<shoal-storage>', () => {
  const snapshot = (infoHash: string, name: string, downloadedBytes: number) =>
    ({ infoHash, name, downloadedBytes }) as TorrentSnapshot;

  it('lists what each torrent holds, kept or cache, and offers to clear the cache', async () => {
    const el = await fixture<ShoalStorage>(
      html`<shoal-storage
        .status=${{ usageBytes: 3 * MB, quotaBytes: 10 * GB, persisted: true }}
        .torrents=${[snapshot('a', 'Album', 2 * 1024 * 1024), snapshot('b', 'Film', 1024 * 1024)]}
        .retention=${{ b: { infoHash: 'b', kept: false, lastUsedMs: 1 } }}
        .cache=${{ usageBytes: 1024 * 1024, budgetBytes: 1 * GB }}
      ></shoal-storage>`,
    );
    el.shadowRoot?.querySelector('details')?.setAttribute('open', '');
    const rows = [...(el.shadowRoot?.querySelectorAll('tbody tr') ?? [])].map((tr) =>
      [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent.trim()),
    );
    expect(rows).to.deep.equal([
      ['Album', '2 MiB', 'Kept'],
      ['Film', '1 MiB', 'Cache'],
    ]);
    expect(el.shadowRoot?.querySelector('.cache-line')?.textContent.replace(/\s+/g, ' ')).to.match(
      /Cache of streamed torrents: 1 MiB of 953\.6 MiB/,
    );
    await expect(el).to.be.accessible();
    const clear = oneEvent(el, 'shoal-clear-cache');
    [...(el.shadowRoot?.querySelectorAll('button') ?? [])]
      .find((b) => b.textContent.trim() === 'Clear cache')
      ?.click();
    await clear;
    const keep = oneEvent(el, 'shoal-keep');
    el.shadowRoot?.querySelector<HTMLButtonElement>('tr[data-info-hash="b"] button')?.click();
    expect((await keep).detail).to.deep.equal({ infoHash: 'b', kept: true });
  });
});
