import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { Engine, EngineEvents, TorrentSnapshot } from '../../src/engine/types.ts';
import { AppStore } from '../../src/store/app-store.ts';
import { pageTitle } from '../../src/ui/page-title.ts';
import { ShoalApp } from '../../src/ui/shoal-app/shoal-app.ts';
import '../../src/ui/shoal-player/shoal-player.ts';
import type { PlayerItem } from '../../src/ui/shoal-player/shoal-player.ts';
import '../../src/ui/shoal-share-card/shoal-share-card.ts';
import '../../src/ui/shoal-torrent-row/shoal-torrent-row.ts';
import '../../src/ui/shoal-storage/shoal-storage.ts';

const MiB = 1024 * 1024;
const LEAVES = 'd2474e86c95b19b8bcfdb92bc12c9d44667cfa36';
const OTHER = 'a'.repeat(40);

const torrent = (over: Partial<TorrentSnapshot> = {}): TorrentSnapshot => ({
  infoHash: LEAVES,
  name: 'Leaves of Grass',
  magnetURI: `magnet:?xt=urn:btih:${over.infoHash ?? LEAVES}`,
  lengthBytes: 16 * MiB,
  downloadedBytes: 16 * MiB,
  uploadedBytes: 0,
  progress: 1,
  downloadRateBytesPerS: 0,
  uploadRateBytesPerS: 0,
  peers: 0,
  etaS: null,
  state: 'seeding',
  errorMessage: null,
  warning: null,
  files: [
    {
      path: `${over.name ?? 'Leaves of Grass'}/a.bin`,
      name: 'a.bin',
      lengthBytes: 16 * MiB,
      downloadedBytes: 16 * MiB,
      progress: 1,
    },
  ],
  addedAtMs: 1,
  receivedBytes: 0,
  ...over,
});

/** The engine as the store sees it: torrents it holds, and what it was asked to remove. */
class FakeEngine {
  torrents: TorrentSnapshot[];
  readonly removed: [string, boolean][] = [];
  private readonly changes = new Set<EngineEvents['change']>();

  constructor(torrents: TorrentSnapshot[]) {
    this.torrents = torrents;
  }

  snapshots(): TorrentSnapshot[] {
    return this.torrents;
  }

  has(infoHash: string): boolean {
    return this.torrents.some((t) => t.infoHash === infoHash);
  }

  add(): Promise<TorrentSnapshot> {
    return Promise.reject(new Error('This torrent is already in your list.'));
  }

  remove(infoHash: string, opts: { deleteData: boolean }): Promise<void> {
    this.removed.push([infoHash, opts.deleteData]);
    this.torrents = this.torrents.filter((t) => t.infoHash !== infoHash);
    return Promise.resolve();
  }

  /** What the engine says while a download runs. */
  change(): void {
    for (const listener of this.changes) listener('');
  }

  on(event: keyof EngineEvents, listener: EngineEvents['change']): () => void {
    if (event !== 'change') return () => undefined;
    this.changes.add(listener);
    return () => this.changes.delete(listener);
  }
}

const storage = {
  estimate: () => Promise.resolve({ usage: 32 * MiB, quota: 1024 * MiB }),
  persisted: () => Promise.resolve(true),
  persist: () => Promise.resolve(true),
};

/** The whole app over a fake engine, as a user sees it. */
async function mountApp(
  torrents: TorrentSnapshot[],
  options: { undoMs?: number; throttleMs?: number } = {},
): Promise<{ app: ShoalApp; store: AppStore; engine: FakeEngine }> {
  const engine = new FakeEngine(torrents);
  const store = new AppStore(engine as unknown as Engine, {
    undoMs: options.undoMs ?? 500,
    throttleMs: options.throttleMs ?? 20,
    pollMs: 60_000,
    storage,
    storagePollMs: 60_000,
  });
  store.refresh();
  await store.refreshStorage();
  const app = new ShoalApp(store, { defaultTrackers: [] });
  document.body.append(app);
  await app.updateComplete;
  return { app, store, engine };
}

const part = (app: ShoalApp, tag: string): HTMLElement | null =>
  app.shadowRoot?.querySelector<HTMLElement>(tag) ?? null;

/** The names the list shows. */
const listed = (app: ShoalApp): string[] =>
  [
    ...(part(app, 'shoal-torrent-list')?.shadowRoot?.querySelectorAll('shoal-torrent-row') ?? []),
  ].map((row) => row.shadowRoot?.querySelector('button.name')?.textContent?.trim() ?? '');

const detailName = (app: ShoalApp): string | null =>
  part(app, 'shoal-torrent-detail')?.shadowRoot?.querySelector('h2')?.textContent?.trim() ?? null;

const noticeTexts = (app: ShoalApp): string[] =>
  [...(part(app, 'shoal-notices')?.shadowRoot?.querySelectorAll('li p') ?? [])].map(
    (p) => p.textContent?.trim() ?? '',
  );

const undoButton = (app: ShoalApp): HTMLButtonElement | null =>
  part(app, 'shoal-notices')?.shadowRoot?.querySelector<HTMLButtonElement>('button.undo') ?? null;

/** The element with focus, through shadow roots. */
function focused(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

const settle = async (app: ShoalApp): Promise<void> => {
  await app.updateComplete;
  await new Promise((resolve) => setTimeout(resolve, 0));
  const root = app.shadowRoot;
  await root?.querySelector('shoal-torrent-list')?.updateComplete;
  await root?.querySelector('shoal-notices')?.updateComplete;
  await root?.querySelector('shoal-storage')?.updateComplete;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Remove and delete data: Undo before anything is deleted', () => {
  let mounted: { app: ShoalApp; store: AppStore; engine: FakeEngine } | null = null;

  afterEach(() => {
    mounted?.app.remove();
    mounted?.store.dispose();
    mounted = null;
  });

  it('the torrent leaves at once, Undo (focused, axe clean) brings it back as it was, and nothing is deleted', async () => {
    mounted = await mountApp(
      [torrent(), torrent({ infoHash: OTHER, name: 'Other', addedAtMs: 0 })],
      // Longer than the axe pass between the delete and the Undo click takes on a busy machine.
      { undoMs: 4000 },
    );
    const { app, store, engine } = mounted;
    store.select(LEAVES);
    await settle(app);
    expect(detailName(app)).to.equal('Leaves of Grass');

    const remove = [
      ...(part(app, 'shoal-torrent-detail')?.shadowRoot?.querySelectorAll<HTMLButtonElement>(
        '.actions button',
      ) ?? []),
    ].find((b) => b.textContent?.includes('Remove and delete data'));
    remove?.focus();
    remove?.click();
    await settle(app);

    // Gone from the list and the detail, a notice says so and offers Undo; nothing deleted.
    expect(listed(app)).to.deep.equal(['Other']);
    expect(detailName(app)).to.equal(null);
    expect(noticeTexts(app)).to.deep.equal(['Deleted "Leaves of Grass".']);
    expect(engine.removed).to.deep.equal([]);
    // The button the user pressed went away with the torrent: focus is on Undo instead.
    expect(focused()).to.equal(undoButton(app));
    expect(undoButton(app)?.textContent?.trim()).to.equal('Undo');
    await expect(app).to.be.accessible();

    undoButton(app)?.click();
    await settle(app);
    expect(listed(app)).to.deep.equal(['Leaves of Grass', 'Other']);
    expect(detailName(app)).to.equal('Leaves of Grass');
    expect(noticeTexts(app)).to.deep.equal([]);
    // Focus follows: on the torrent that came back.
    await waitUntil(() => focused()?.textContent?.trim() === 'Leaves of Grass', 'focus lost');

    // Well past the undo time: still there, never removed.
    await sleep(4300);
    await settle(app);
    expect(engine.removed).to.deep.equal([]);
    expect(listed(app)).to.deep.equal(['Leaves of Grass', 'Other']);
  });

  it('from the storage view: deleted only once the undo time is up, and then for good', async () => {
    mounted = await mountApp([torrent()], { undoMs: 400 });
    const { app, engine } = mounted;
    const del = part(app, 'shoal-storage')?.shadowRoot?.querySelector<HTMLButtonElement>(
      'button.danger',
    );
    expect(del?.getAttribute('aria-label')).to.equal('Delete Leaves of Grass and its data');
    const clickedMs = performance.now();
    del?.click();
    await settle(app);
    expect(listed(app)).to.deep.equal([]);
    expect(noticeTexts(app)).to.deep.equal(['Deleted "Leaves of Grass".']);
    await sleep(150);
    expect(engine.removed, 'deleted before the undo time was up').to.deep.equal([]);

    await waitUntil(() => engine.removed.length > 0, 'never deleted', { timeout: 3000 });
    expect(performance.now() - clickedMs).to.be.at.least(390);
    expect(engine.removed).to.deep.equal([[LEAVES, true]]);
    await settle(app);
    expect(noticeTexts(app)).to.deep.equal([]);
    expect(listed(app)).to.deep.equal([]);
  });

  it('the countdown waits while the pointer is moved onto the notice, and runs on when it leaves', async () => {
    mounted = await mountApp([torrent()], { undoMs: 400 });
    const { app, store, engine } = mounted;
    store.deleteWithUndo(LEAVES);
    await settle(app);
    const notice = part(app, 'shoal-notices')?.shadowRoot?.querySelector('li');
    // A notice that appears under a resting pointer holds nothing; one moved onto does.
    notice?.dispatchEvent(new PointerEvent('pointerenter'));
    notice?.dispatchEvent(new PointerEvent('pointermove'));
    await sleep(800);
    expect(engine.removed, 'deleted while the user was reading the notice').to.deep.equal([]);
    expect(noticeTexts(app)).to.deep.equal(['Deleted "Leaves of Grass".']);
    notice?.dispatchEvent(new PointerEvent('pointerleave'));
    await waitUntil(() => engine.removed.length > 0, 'never deleted', { timeout: 3000 });
    expect(engine.removed).to.deep.equal([[LEAVES, true]]);
  });

  it('dismissing the notice deletes at once; a closed page deletes nothing', async () => {
    mounted = await mountApp([torrent(), torrent({ infoHash: OTHER, name: 'Other' })], {
      undoMs: 300,
    });
    const { app, store, engine } = mounted;
    store.deleteWithUndo(LEAVES);
    await settle(app);
    part(app, 'shoal-notices')
      ?.shadowRoot?.querySelector<HTMLButtonElement>('button[aria-label="Dismiss message"]')
      ?.click();
    await waitUntil(() => engine.removed.length === 1, 'dismissing did not delete');
    expect(engine.removed).to.deep.equal([[LEAVES, true]]);

    // The page closes (the store goes) while "Other" waits for its undo time.
    store.deleteWithUndo(OTHER);
    store.dispose();
    await sleep(500);
    expect(engine.removed).to.deep.equal([[LEAVES, true]]);
    expect(engine.torrents.map((t) => t.name)).to.deep.equal(['Other']);
  });

  it('adding a just-deleted torrent again brings it back instead of refusing it', async () => {
    mounted = await mountApp([torrent()], { undoMs: 5000 });
    const { app, store, engine } = mounted;
    store.deleteWithUndo(LEAVES);
    await settle(app);
    expect(listed(app)).to.deep.equal([]);
    expect(await store.addText(`magnet:?xt=urn:btih:${LEAVES}`)).to.deep.equal({
      ok: true,
      infoHash: LEAVES,
    });
    await settle(app);
    expect(listed(app)).to.deep.equal(['Leaves of Grass']);
    expect(detailName(app)).to.equal('Leaves of Grass');
    expect(noticeTexts(app)).to.deep.equal([]);
    expect(engine.removed).to.deep.equal([]);
  });
});

describe('the page title shows what downloads', () => {
  const downloading = (over: Partial<TorrentSnapshot>) =>
    torrent({ state: 'downloading', progress: 0.5, downloadedBytes: 8 * MiB, ...over });

  it('is "Shoal" when nothing downloads; one download and several read at a glance', () => {
    expect(pageTitle([])).to.equal('Shoal');
    expect(pageTitle([torrent(), torrent({ state: 'paused', progress: 0.3 })])).to.equal('Shoal');
    expect(pageTitle([downloading({ progress: 0.427 }), torrent()])).to.equal(
      '42% · Leaves of Grass — Shoal',
    );
    // Never 100% before it is done.
    expect(pageTitle([downloading({ progress: 0.999 })])).to.equal('99% · Leaves of Grass — Shoal');
    // Several: their bytes together (1 MiB at 100% and 3 MiB at 0% is 25%).
    expect(
      pageTitle([
        downloading({ infoHash: OTHER, lengthBytes: 1 * MiB, progress: 1 }),
        downloading({ lengthBytes: 3 * MiB, progress: 0 }),
      ]),
    ).to.equal('2 downloading · 25% — Shoal');
    // Fetching metadata counts (size unknown yet), as on the app badge.
    expect(
      pageTitle([
        downloading({ lengthBytes: 4 * MiB, progress: 0.5 }),
        downloading({ infoHash: OTHER, state: 'metadata', lengthBytes: null, progress: 0 }),
      ]),
    ).to.equal('2 downloading · 50% — Shoal');
  });

  let mounted: { app: ShoalApp; store: AppStore; engine: FakeEngine } | null = null;
  afterEach(() => {
    mounted?.app.remove();
    mounted?.store.dispose();
    mounted = null;
  });

  it('follows the downloads in the running app, throttled, and comes back to "Shoal"', async () => {
    mounted = await mountApp([downloading({ progress: 0.25 })], { throttleMs: 200 });
    const { app, store, engine } = mounted;
    expect(document.title).to.equal('25% · Leaves of Grass — Shoal');

    // The engine reports progress every 10 ms for a second: the title follows the store's
    // throttled updates, not every report.
    const titles: string[] = [];
    const observer = new MutationObserver(() => titles.push(document.title));
    const titleElement = document.querySelector('title') ?? document.head;
    observer.observe(titleElement, { childList: true, characterData: true, subtree: true });
    for (let i = 1; i <= 100; i++) {
      engine.torrents = [downloading({ progress: 0.25 + i / 200 })];
      engine.change();
      await sleep(10);
    }
    await sleep(250);
    observer.disconnect();
    expect(document.title).to.equal('75% · Leaves of Grass — Shoal');
    expect(titles.length, titles.join(' | ')).to.be.within(2, 8);

    // A second download: both together.
    engine.torrents = [
      downloading({ progress: 0.5 }),
      downloading({ infoHash: OTHER, name: 'Other', progress: 0 }),
    ];
    engine.change();
    await waitUntil(() => document.title === '2 downloading · 25% — Shoal', document.title);

    // Deleted (Undo still possible): it no longer counts.
    store.deleteWithUndo(OTHER);
    await settle(app);
    expect(document.title).to.equal('50% · Leaves of Grass — Shoal');

    // Done: back to the app's name.
    engine.torrents = [torrent()];
    engine.change();
    await waitUntil(() => document.title === 'Shoal', document.title);
  });
});

describe('a 300-character name never widens its box', () => {
  const long = `${'Very_long_name_without_spaces_'.repeat(10)}.mp4`;

  it('the row and the share card cut it with an ellipsis and keep it whole in a tooltip', async () => {
    const box = await fixture<HTMLDivElement>(
      html`<div style="width: 296px">
        <shoal-torrent-row .torrent=${torrent({ name: long })}></shoal-torrent-row>
        <shoal-share-card .torrent=${torrent({ name: long })}></shoal-share-card>
        <shoal-storage
          .status=${{ usageBytes: 0, quotaBytes: 1024 * MiB, persisted: true }}
          .torrents=${[torrent({ name: long })]}
        ></shoal-storage>
      </div>`,
    );
    expect(long.length).to.equal(304);
    const row = box.querySelector('shoal-torrent-row');
    const card = box.querySelector('shoal-share-card');
    const store = box.querySelector('shoal-storage');
    await (row as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    await (card as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    store?.shadowRoot?.querySelector('details')?.setAttribute('open', '');
    const labels = [
      row?.shadowRoot?.querySelector<HTMLElement>('button.name'),
      card?.shadowRoot?.querySelector<HTMLElement>('h2'),
      store?.shadowRoot?.querySelector<HTMLElement>('td.name'),
    ];
    for (const label of labels) {
      expect(label?.getAttribute('title')).to.equal(long);
      expect(label?.getBoundingClientRect().right).to.be.at.most(box.getBoundingClientRect().right);
    }
    for (const el of [row, card, store]) {
      expect(el?.getBoundingClientRect().width).to.be.at.most(296);
      expect(el?.scrollWidth, el?.tagName).to.be.at.most(296);
    }
    // One line each, cut with an ellipsis: the name's text is all there for screen readers.
    const name = row?.shadowRoot?.querySelector<HTMLElement>('button.name .truncate');
    expect(name?.scrollWidth).to.be.greaterThan(name?.clientWidth ?? Infinity);
    expect(getComputedStyle(name as HTMLElement).textOverflow).to.equal('ellipsis');
    expect(name?.textContent?.trim()).to.equal(long);
    await expect(box).to.be.accessible();
  });

  it("the player's title and playlist cut it too, whole in a tooltip", async () => {
    const item = (name: string): PlayerItem => ({
      infoHash: LEAVES,
      path: `x/${name}`,
      name,
      // Nothing to play: this is about the labels, not the sound.
      src: 'data:audio/wav;base64,',
      kind: 'audio',
      mimeType: 'audio/mpeg',
      verified: [],
    });
    const longMp3 = long.replace(/\.mp4$/, '.mp3');
    const box = await fixture<HTMLDivElement>(
      html`<div style="width: 296px">
        <shoal-player .items=${[item(longMp3), item('b.mp3')]}></shoal-player>
      </div>`,
    );
    const player = box.querySelector('shoal-player');
    await player?.updateComplete;
    const title = player?.shadowRoot?.querySelector<HTMLElement>('.title:not([hidden])');
    const track = player?.shadowRoot?.querySelector<HTMLElement>('.playlist button');
    for (const label of [title, track]) {
      expect(label?.getAttribute('title')).to.equal(longMp3);
      expect(label?.textContent?.trim()).to.equal(longMp3);
      expect(label?.getBoundingClientRect().right).to.be.at.most(box.getBoundingClientRect().right);
    }
    // (The player's accessibility is checked with a file it can load, in player.test.ts.)
    expect(player?.scrollWidth).to.be.at.most(296);
  });
});
