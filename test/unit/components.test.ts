import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { TorrentSnapshot } from '../../src/engine/types.ts';
import '../../src/ui/shoal-add-bar/shoal-add-bar.ts';
import '../../src/ui/shoal-elsewhere/shoal-elsewhere.ts';
import '../../src/ui/shoal-notices/shoal-notices.ts';
import '../../src/ui/shoal-settings/shoal-settings.ts';
import '../../src/ui/shoal-storage/shoal-storage.ts';
import '../../src/ui/shoal-torrent-detail/shoal-torrent-detail.ts';
import '../../src/ui/shoal-torrent-list/shoal-torrent-list.ts';
import '../../src/ui/shoal-torrent-row/shoal-torrent-row.ts';
import type { ShoalAddBar } from '../../src/ui/shoal-add-bar/shoal-add-bar.ts';
import type { ShoalNotices } from '../../src/ui/shoal-notices/shoal-notices.ts';
import type { ShoalSettings } from '../../src/ui/shoal-settings/shoal-settings.ts';
import type { ShoalStorage } from '../../src/ui/shoal-storage/shoal-storage.ts';
import type { ShoalTorrentDetail } from '../../src/ui/shoal-torrent-detail/shoal-torrent-detail.ts';
import type { ShoalTorrentList } from '../../src/ui/shoal-torrent-list/shoal-torrent-list.ts';
import type { ShoalTorrentRow } from '../../src/ui/shoal-torrent-row/shoal-torrent-row.ts';

const MiB = 1024 * 1024;

const torrent = (over: Partial<TorrentSnapshot> = {}): TorrentSnapshot => ({
  infoHash: 'd2474e86c95b19b8bcfdb92bc12c9d44667cfa36',
  name: 'Leaves of Grass',
  magnetURI: 'magnet:?xt=urn:btih:d2474e86c95b19b8bcfdb92bc12c9d44667cfa36',
  lengthBytes: 16 * MiB,
  downloadedBytes: 4 * MiB,
  uploadedBytes: 0,
  progress: 0.25,
  downloadRateBytesPerS: 2 * MiB,
  uploadRateBytesPerS: 512 * 1024,
  peers: 3,
  etaS: 6,
  state: 'downloading',
  errorMessage: null,
  warning: null,
  files: [
    {
      path: 'Leaves of Grass/a.mp3',
      name: 'a.mp3',
      lengthBytes: 8 * MiB,
      downloadedBytes: 8 * MiB,
      progress: 1,
    },
    {
      path: 'Leaves of Grass/b.mp3',
      name: 'b.mp3',
      lengthBytes: 8 * MiB,
      downloadedBytes: 0,
      progress: 0,
    },
  ],
  addedAtMs: 1,
  receivedBytes: 0,
  ...over,
});

const text = (root: Element | null | undefined, selector: string): string =>
  root?.shadowRoot?.querySelector(selector)?.textContent?.trim() ?? '';

describe('<shoal-torrent-row>', () => {
  it('shows the live figures of a downloading torrent', async () => {
    const el = await fixture<ShoalTorrentRow>(
      html`<shoal-torrent-row .torrent=${torrent()}></shoal-torrent-row>`,
    );
    expect(text(el, '.state')).to.equal('Downloading');
    expect(text(el, '.size')).to.equal('16 MiB');
    expect(text(el, '.progress')).to.equal('25.0%');
    expect(text(el, '.down')).to.equal('2 MiB/s');
    expect(text(el, '.up')).to.equal('512 KiB/s');
    expect(text(el, '.peers')).to.equal('3');
    expect(text(el, '.eta')).to.equal('6 s');
    expect(
      el.shadowRoot?.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow'),
    ).to.equal('25');
    await expect(el).to.be.accessible();
  });

  it('asks to pause a running torrent and to resume a paused one', async () => {
    const el = await fixture<ShoalTorrentRow>(
      html`<shoal-torrent-row .torrent=${torrent()}></shoal-torrent-row>`,
    );
    const pause = oneEvent(el, 'shoal-pause');
    el.shadowRoot?.querySelector<HTMLButtonElement>('button[data-action="pause"]')?.click();
    expect((await pause).detail.infoHash).to.equal(torrent().infoHash);

    el.torrent = torrent({ state: 'paused' });
    await el.updateComplete;
    expect(text(el, '.state')).to.equal('Paused');
    const resume = oneEvent(el, 'shoal-resume');
    el.shadowRoot?.querySelector<HTMLButtonElement>('button[data-action="resume"]')?.click();
    expect((await resume).detail.infoHash).to.equal(torrent().infoHash);
  });

  it('a torrent seeded from files the browser wants allowed again offers "Allow access" and says why', async () => {
    const warning =
      'Seeding "Leaves of Grass" from your files needs your permission again: allow access to go on.';
    const el = await fixture<ShoalTorrentRow>(
      html`<shoal-torrent-row
        .torrent=${torrent({ state: 'paused', warning, inPlace: { needsAccess: true } })}
      ></shoal-torrent-row>`,
    );
    const button = el.shadowRoot?.querySelector<HTMLButtonElement>('button[data-action="resume"]');
    expect(button?.textContent?.trim()).to.equal('Allow access');
    expect(button?.getAttribute('aria-label')).to.equal(
      'Allow access to the files of Leaves of Grass',
    );
    expect(text(el, '.needs-access')).to.equal(warning);
    const resume = oneEvent(el, 'shoal-resume');
    button?.click();
    expect((await resume).detail.infoHash).to.equal(torrent().infoHash);
    await expect(el).to.be.accessible();

    // Once allowed, it is an ordinary seeding torrent again.
    el.torrent = torrent({ state: 'seeding', inPlace: { needsAccess: false } });
    await el.updateComplete;
    expect(el.shadowRoot?.querySelector('.needs-access')).to.equal(null);
    expect(text(el, 'button[data-action="pause"]')).to.equal('Pause');
  });

  it("a torrent paused for want of space says why on its row; a user's pause does not repeat an old warning", async () => {
    const warning = 'Paused: it is 64 GiB, and this browser gives Shoal no file storage.';
    const el = await fixture<ShoalTorrentRow>(
      html`<shoal-torrent-row
        .torrent=${torrent({ state: 'paused', warning, pausedForSpace: true })}
      ></shoal-torrent-row>`,
    );
    expect(text(el, '.needs-access')).to.equal(warning);
    expect(text(el, 'button[data-action="resume"]')).to.equal('Resume');
    await expect(el).to.be.accessible();
    el.torrent = torrent({ state: 'paused', warning: 'Tracker ws://x cannot be reached.' });
    await el.updateComplete;
    expect(el.shadowRoot?.querySelector('.needs-access')).to.equal(null);
  });

  it('shows "Fetching metadata" and no size before the metadata arrives', async () => {
    const el = await fixture<ShoalTorrentRow>(
      html`<shoal-torrent-row
        .torrent=${torrent({ state: 'metadata', lengthBytes: null, etaS: null })}
      ></shoal-torrent-row>`,
    );
    expect(text(el, '.state')).to.equal('Fetching metadata');
    expect(text(el, '.size')).to.equal('—');
    expect(text(el, '.eta')).to.equal('—');
  });
});

describe('<shoal-torrent-list>', () => {
  it('invites a first add when empty', async () => {
    const el = await fixture<ShoalTorrentList>(html`<shoal-torrent-list></shoal-torrent-list>`);
    expect(text(el, '.empty')).to.contain('No torrents yet');
    await expect(el).to.be.accessible();
  });

  it('lists the newest first and marks the selected one', async () => {
    const older = torrent({ infoHash: 'a'.repeat(40), name: 'Older', addedAtMs: 1 });
    const newer = torrent({ infoHash: 'b'.repeat(40), name: 'Newer', addedAtMs: 2 });
    const el = await fixture<ShoalTorrentList>(
      html`<shoal-torrent-list
        .torrents=${[older, newer]}
        .selected=${older.infoHash}
      ></shoal-torrent-list>`,
    );
    const rows = [...(el.shadowRoot?.querySelectorAll('shoal-torrent-row') ?? [])];
    expect(rows.map((r) => r.torrent?.name)).to.deep.equal(['Newer', 'Older']);
    expect(rows.map((r) => r.selected)).to.deep.equal([false, true]);
    await expect(el).to.be.accessible();
  });
});

describe('<shoal-torrent-detail>', () => {
  it('lists files with sizes and progress, and offers Save only for complete files', async () => {
    const el = await fixture<ShoalTorrentDetail>(
      html`<shoal-torrent-detail .torrent=${torrent()} .canStream=${true}></shoal-torrent-detail>`,
    );
    const rows = [...(el.shadowRoot?.querySelectorAll('tbody tr') ?? [])];
    expect(rows.map((r) => r.getAttribute('data-path'))).to.deep.equal([
      'Leaves of Grass/a.mp3',
      'Leaves of Grass/b.mp3',
    ]);
    const buttons = rows.map((r) =>
      r.querySelector<HTMLButtonElement>('button[aria-label^="Save"]'),
    );
    expect(buttons.map((b) => b?.disabled)).to.deep.equal([false, true]);
    // Media can be played before it is complete: that is what streaming is for.
    expect(rows.map((r) => r.querySelector('button[aria-label^="Play"]') !== null)).to.deep.equal([
      true,
      true,
    ]);
    const save = oneEvent(el, 'shoal-save-file');
    buttons[0]?.click();
    expect((await save).detail).to.deep.equal({
      infoHash: torrent().infoHash,
      path: 'Leaves of Grass/a.mp3',
    });
    await expect(el).to.be.accessible();
  });

  it('plays a media file in the player, from its /stream/ address', async () => {
    const el = await fixture<ShoalTorrentDetail>(
      html`<shoal-torrent-detail .torrent=${torrent()} .canStream=${true}></shoal-torrent-detail>`,
    );
    el.shadowRoot?.querySelector<HTMLButtonElement>('button[aria-label="Play b.mp3"]')?.click();
    await el.updateComplete;
    const player = el.shadowRoot?.querySelector('shoal-player');
    // Every media file of the torrent is on the playlist, the chosen one playing.
    expect(player?.items.map((item) => item.src)).to.deep.equal([
      `/stream/${torrent().infoHash}/Leaves%20of%20Grass/a.mp3`,
      `/stream/${torrent().infoHash}/Leaves%20of%20Grass/b.mp3`,
    ]);
    expect(player?.index).to.equal(1);
    expect(player?.current?.kind).to.equal('audio');
    // The playlist moving on is remembered: the detail follows the player.
    player?.playAt(0);
    await el.updateComplete;
    expect(player?.index).to.equal(0);
  });

  it('says why it cannot play when the service worker does not control the page', async () => {
    const el = await fixture<ShoalTorrentDetail>(
      html`<shoal-torrent-detail .torrent=${torrent()}></shoal-torrent-detail>`,
    );
    expect(el.shadowRoot?.querySelector('button[aria-label^="Play"]')).to.equal(null);
    expect(el.shadowRoot?.textContent).to.contain('Playing needs Shoal');
  });

  it('shows the magnet link and the two ways to remove', async () => {
    const el = await fixture<ShoalTorrentDetail>(
      html`<shoal-torrent-detail .torrent=${torrent()} .canStream=${true}></shoal-torrent-detail>`,
    );
    expect(el.shadowRoot?.querySelector<HTMLInputElement>('#magnet-link')?.value).to.equal(
      torrent().magnetURI,
    );
    const remove = oneEvent(el, 'shoal-remove');
    [...(el.shadowRoot?.querySelectorAll<HTMLButtonElement>('.actions button') ?? [])]
      .find((b) => b.textContent?.includes('delete data'))
      ?.click();
    expect((await remove).detail).to.deep.equal({ infoHash: torrent().infoHash, deleteData: true });
  });

  it('shows an error and a tracker warning', async () => {
    const el = await fixture<ShoalTorrentDetail>(
      html`<shoal-torrent-detail
        .torrent=${torrent({ state: 'error', errorMessage: 'Storage is full', warning: 'connection error to ws://x' })}
      ></shoal-torrent-detail>`,
    );
    expect(text(el, '[role="alert"]')).to.equal('Storage is full');
    expect(text(el, '.warning')).to.contain('ws://x');
  });
});

describe('<shoal-add-bar>', () => {
  it('sends what was typed, and shows an error beside the field', async () => {
    const el = await fixture<ShoalAddBar>(html`<shoal-add-bar></shoal-add-bar>`);
    const input = el.shadowRoot?.querySelector<HTMLInputElement>('#magnet');
    if (!input) throw new Error('no field');
    input.value = 'magnet:?xt=urn:btih:abc';
    const added = oneEvent(el, 'shoal-add-text');
    el.shadowRoot?.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
    expect((await added).detail.text).to.equal('magnet:?xt=urn:btih:abc');

    el.error = 'That magnet link is broken.';
    await el.updateComplete;
    expect(text(el, '#add-error')).to.equal('That magnet link is broken.');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    await expect(el).to.be.accessible();
  });
});

describe('<shoal-notices>', () => {
  it('announces errors as alerts, others as status, and can dismiss them', async () => {
    const el = await fixture<ShoalNotices>(
      html`<shoal-notices
        .notices=${[
          { id: 1, level: 'error', message: 'Bad magnet' },
          { id: 2, level: 'info', message: 'Saved' },
        ]}
      ></shoal-notices>`,
    );
    expect(text(el, '[role="alert"]')).to.equal('Bad magnet');
    expect(text(el, '[role="status"]')).to.equal('Saved');
    const dismissed = oneEvent(el, 'shoal-dismiss-notice');
    el.shadowRoot?.querySelector<HTMLButtonElement>('li.info button')?.click();
    expect((await dismissed).detail.id).to.equal(2);
    await expect(el).to.be.accessible();
  });
});

describe('<shoal-settings>', () => {
  const settings = { trackers: null, iceServers: null, maxConns: 55 };

  it('shows the origin defaults, and saves a list of WebSocket trackers', async () => {
    const el = await fixture<ShoalSettings>(
      html`<shoal-settings
        .settings=${settings}
        .defaults=${['ws://localhost:8000']}
      ></shoal-settings>`,
    );
    const field = el.shadowRoot?.querySelector<HTMLTextAreaElement>('#trackers');
    expect(field?.placeholder).to.equal('ws://localhost:8000');
    if (!field) throw new Error('no field');
    field.value = 'wss://a.example\n\nws://b.example:9000\nwss://a.example';
    const changed = oneEvent(el, 'shoal-settings-change');
    el.shadowRoot?.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
    expect((await changed).detail.trackers).to.deep.equal([
      'wss://a.example',
      'ws://b.example:9000',
    ]);
    await expect(el).to.be.accessible();
  });

  it('refuses a tracker that is not ws:// or wss://, naming it', async () => {
    const el = await fixture<HTMLElement>(
      html`<shoal-settings .settings=${settings}></shoal-settings>`,
    );
    let fired = false;
    el.addEventListener('shoal-settings-change', () => {
      fired = true;
    });
    const field = el.shadowRoot?.querySelector<HTMLTextAreaElement>('#trackers');
    if (!field) throw new Error('no field');
    field.value = 'udp://tracker.example:1337';
    el.shadowRoot?.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
    await (el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    expect(text(el, '#trackers-error')).to.contain('udp://tracker.example:1337');
    expect(fired).to.equal(false);
  });

  it('an empty list goes back to the defaults', async () => {
    const el = await fixture<HTMLElement>(
      html`<shoal-settings
        .settings=${{ ...settings, trackers: ['wss://x.example'] }}
      ></shoal-settings>`,
    );
    const field = el.shadowRoot?.querySelector<HTMLTextAreaElement>('#trackers');
    expect(field?.value).to.equal('wss://x.example');
    if (field) field.value = '  ';
    const changed = oneEvent(el, 'shoal-settings-change');
    el.shadowRoot?.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
    expect((await changed).detail.trackers).to.equal(null);
  });
});

describe('<shoal-elsewhere>', () => {
  it('explains that another tab runs the torrents, and where a link went', async () => {
    const el = await fixture<HTMLElement & { forwarded: string; updateComplete: Promise<unknown> }>(
      html`<shoal-elsewhere></shoal-elsewhere>`,
    );
    expect(text(el, 'h1')).to.equal('Shoal is open in another tab');
    expect(el.shadowRoot?.querySelector('[role="status"]')).to.equal(null);
    el.forwarded = 'magnet:?xt=urn:btih:abc';
    await el.updateComplete;
    expect(text(el, '[role="status"]')).to.contain('handed to the other tab');
    await expect(el).to.be.accessible();
  });
});

describe('<shoal-storage>', () => {
  it('shows usage against the quota and whether the browser keeps it', async () => {
    const el = await fixture<ShoalStorage>(
      html`<shoal-storage
        .status=${{ usageBytes: 256 * MiB, quotaBytes: 1024 * MiB, persisted: false }}
      ></shoal-storage>`,
    );
    expect(text(el, '.usage')).to.match(/256 MiB used of\s+1 GiB/);
    expect(text(el, '.persisted')).to.contain('may clear it');
    expect(
      el.shadowRoot?.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow'),
    ).to.equal('25');
    el.status = { usageBytes: 0, quotaBytes: 0, persisted: true };
    await el.updateComplete;
    expect(text(el, '.persisted')).to.equal('kept by the browser');
    await expect(el).to.be.accessible();
  });
});
