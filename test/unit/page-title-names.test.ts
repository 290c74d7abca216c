// The page title shows what downloads, and a very long torrent name never widens its box.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { TorrentSnapshot } from '../../src/engine/types.ts';
import { pageTitle } from '../../src/ui/page-title.ts';
import '../../src/ui/shoal-player/shoal-player.ts';
import type { PlayerItem } from '../../src/ui/shoal-player/shoal-player.ts';
import '../../src/ui/shoal-share-card/shoal-share-card.ts';
import '../../src/ui/shoal-torrent-row/shoal-torrent-row.ts';
import '../../src/ui/shoal-storage/shoal-storage.ts';
import {
  LEAVES,
  MiB,
  OTHER,
  mountApp,
  settle,
  sleep,
  torrent,
  unmount,
  type MountedApp,
} from './support/fake-engine-app.ts';

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

  let mounted: MountedApp | null = null;
  afterEach(() => {
    unmount(mounted);
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
