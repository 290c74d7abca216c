// The app as an installed PWA: install, update and network state, its bar, the share card,
// and what it tells of finished downloads (notification, badge).
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { TorrentSnapshot, TorrentState } from '../../src/engine/types.ts';
import { DownloadAttention, activeDownloads } from '../../src/pwa/notify.ts';
import { PwaStore, type InstallPromptEvent, type PwaState } from '../../src/pwa/pwa-store.ts';
import '../../src/ui/shoal-pwa-bar/shoal-pwa-bar.ts';
import '../../src/ui/shoal-share-card/shoal-share-card.ts';
import type { ShoalPwaBar } from '../../src/ui/shoal-pwa-bar/shoal-pwa-bar.ts';
import type { ShoalShareCard } from '../../src/ui/shoal-share-card/shoal-share-card.ts';
import { HASH } from './support/leaves-of-grass.ts';

const snapshot = (infoHash: string, state: TorrentState, name = infoHash): TorrentSnapshot => ({
  infoHash,
  name,
  magnetURI: `magnet:?xt=urn:btih:${infoHash}`,
  lengthBytes: 1024,
  downloadedBytes: 0,
  uploadedBytes: 0,
  progress: state === 'seeding' ? 1 : 0.5,
  downloadRateBytesPerS: 0,
  uploadRateBytesPerS: 0,
  peers: 0,
  etaS: null,
  state,
  errorMessage: null,
  warning: null,
  files: [
    { path: `${name}/a.bin`, name: 'a.bin', lengthBytes: 1024, downloadedBytes: 0, progress: 0 },
  ],
  addedAtMs: 1,
  receivedBytes: 0,
});

/** An `EventTarget` posing as workbox-window's `Workbox`. */
class FakeUpdates extends EventTarget {
  skipWaitingAsked = 0;
  override addEventListener(type: string, listener: () => void): void {
    super.addEventListener(type, listener);
  }
  messageSkipWaiting(): void {
    this.skipWaitingAsked += 1;
  }
}

const installPrompt = (outcome: 'accepted' | 'dismissed') => {
  const event = new Event('beforeinstallprompt', { cancelable: true }) as InstallPromptEvent & {
    prompted: number;
  };
  let prompted = 0;
  Object.defineProperties(event, {
    prompt: {
      value: () => {
        prompted += 1;
        return Promise.resolve();
      },
    },
    userChoice: { value: Promise.resolve({ outcome }) },
    prompted: { get: () => prompted },
  });
  return event;
};

describe('PwaStore', () => {
  let events: EventTarget;
  let updates: FakeUpdates;
  let reloads: number;
  let registered: [string, string][];
  let pwa: PwaStore;

  beforeEach(() => {
    events = new EventTarget();
    updates = new FakeUpdates();
    reloads = 0;
    registered = [];
    pwa = new PwaStore({
      events,
      isOnline: () => true,
      isStandalone: () => false,
      updates,
      reload: () => {
        reloads += 1;
      },
      registerProtocolHandler: (scheme, url) => {
        registered.push([scheme, url]);
      },
      notifications: {
        permission: () => 'default',
        request: () => Promise.resolve('granted'),
      },
    });
  });

  it('offers install only after the browser does, and shows its dialog once', async () => {
    expect(pwa.state.installable).to.equal(false);
    const event = installPrompt('accepted');
    events.dispatchEvent(event);
    expect(event.defaultPrevented, 'the mini-infobar is kept away').to.equal(true);
    expect(pwa.state.installable).to.equal(true);
    await pwa.install();
    expect(event.prompted).to.equal(1);
    expect(pwa.state).to.include({ installable: false, installed: true });
    await pwa.install();
    expect(event.prompted).to.equal(1);
  });

  it('shows a waiting update and reloads only when the user asks for it', () => {
    updates.dispatchEvent(new Event('waiting'));
    expect(pwa.state.updateWaiting).to.equal(true);
    // A worker taking control on its own (e.g. another tab updated) reloads nothing here.
    updates.dispatchEvent(new Event('controlling'));
    expect(reloads).to.equal(0);
    pwa.applyUpdate();
    expect(updates.skipWaitingAsked).to.equal(1);
    updates.dispatchEvent(new Event('controlling'));
    expect(reloads).to.equal(1);
  });

  it('"Later" keeps the running version', () => {
    updates.dispatchEvent(new Event('waiting'));
    pwa.dismissUpdate();
    expect(pwa.state.updateWaiting).to.equal(false);
    pwa.applyUpdate();
    expect(updates.skipWaitingAsked).to.equal(0);
  });

  it('follows the network, registers for magnet links, and asks for notifications', async () => {
    events.dispatchEvent(new Event('offline'));
    expect(pwa.state.online).to.equal(false);
    events.dispatchEvent(new Event('online'));
    expect(pwa.state.online).to.equal(true);
    pwa.handleMagnets();
    expect(registered).to.deep.equal([['magnet', '/?magnet=%s']]);
    expect(pwa.state.magnetHandler).to.equal('asked');
    await pwa.enableNotifications();
    expect(pwa.state.notifications).to.equal('granted');
  });
});

describe('<shoal-pwa-bar>', () => {
  const state = (over: Partial<PwaState> = {}): PwaState => ({
    installable: false,
    installed: false,
    updateWaiting: false,
    online: true,
    notifications: 'granted',
    magnetHandler: 'unsupported',
    ...over,
  });
  const buttons = (el: ShoalPwaBar) =>
    [...(el.shadowRoot?.querySelectorAll('button') ?? [])].map((b) => b.textContent.trim());

  it('shows nothing when there is nothing to offer', async () => {
    const el = await fixture<ShoalPwaBar>(html`<shoal-pwa-bar .state=${state()}></shoal-pwa-bar>`);
    expect(buttons(el)).to.deep.equal([]);
    expect(el.shadowRoot?.textContent?.trim()).to.equal('');
  });

  it('offers install, magnet links and notifications, each as an intent', async () => {
    const el = await fixture<ShoalPwaBar>(
      html`<shoal-pwa-bar
        .state=${state({ installable: true, magnetHandler: 'offered', notifications: 'default' })}
      ></shoal-pwa-bar>`,
    );
    expect(buttons(el)).to.deep.equal([
      'Install Shoal',
      'Open magnet links with Shoal',
      'Notify me when downloads finish',
    ]);
    const all = el.shadowRoot?.querySelectorAll('button');
    const install = oneEvent(el, 'shoal-install');
    all?.[0]?.click();
    await install;
    const magnets = oneEvent(el, 'shoal-handle-magnets');
    all?.[1]?.click();
    await magnets;
    const notify = oneEvent(el, 'shoal-enable-notifications');
    all?.[2]?.click();
    await notify;
    await expect(el).to.be.accessible();
  });

  it('announces a waiting update with Reload now / Later, and being offline', async () => {
    const el = await fixture<ShoalPwaBar>(
      html`<shoal-pwa-bar .state=${state({ updateWaiting: true, online: false })}></shoal-pwa-bar>`,
    );
    const alert = el.shadowRoot?.querySelector('[role=alert]');
    expect(alert?.textContent).to.contain('A new version of Shoal is ready');
    expect(el.shadowRoot?.querySelector('.offline')?.textContent).to.contain('You are offline');
    const apply = oneEvent(el, 'shoal-apply-update');
    [...(alert?.querySelectorAll('button') ?? [])]
      .find((b) => b.textContent.trim() === 'Reload now')
      ?.click();
    await apply;
    await expect(el).to.be.accessible();
  });
});

describe('<shoal-share-card>', () => {
  it('shows a QR code, the app link and the magnet, and closes with Done', async () => {
    const torrent = snapshot(HASH, 'seeding', 'Holiday photos');
    const el = await fixture<ShoalShareCard>(
      html`<shoal-share-card
        .torrent=${torrent}
        .origin=${'https://shoal.example'}
      ></shoal-share-card>`,
    );
    await waitUntil(
      () => {
        const found = el.shadowRoot?.querySelector('img');
        return found?.complete === true && found.naturalWidth > 0;
      },
      'the QR code never loaded',
      { timeout: 5000 },
    );
    const img = el.shadowRoot?.querySelector('img') as HTMLImageElement;
    expect(img.alt).to.equal('QR code that opens Holiday photos in Shoal');
    // A QR code is square and has the quiet zone the library adds.
    expect(img.naturalWidth).to.equal(img.naturalHeight);
    const link = el.shadowRoot?.querySelector<HTMLInputElement>('#share-link')?.value ?? '';
    expect(new URL(link).searchParams.get('magnet')).to.equal(torrent.magnetURI);
    expect(link.startsWith('https://shoal.example/?magnet=')).to.equal(true);
    expect(el.shadowRoot?.querySelector<HTMLInputElement>('#share-magnet')?.value).to.equal(
      torrent.magnetURI,
    );
    await expect(el).to.be.accessible();
    const done = oneEvent(el, 'shoal-share');
    [...(el.shadowRoot?.querySelectorAll('button') ?? [])]
      .find((b) => b.textContent?.trim() === 'Done')
      ?.click();
    expect((await done).detail).to.deep.equal({ infoHash: null });
  });
});

describe('download attention (notification, badge)', () => {
  it('notifies once per completed download, never for a torrent that was already complete', () => {
    const shown: string[] = [];
    const badges: number[] = [];
    const attention = new DownloadAttention({
      notify: (_title, options) => {
        shown.push(options.body);
        return Promise.resolve();
      },
      setBadge: (count) => {
        badges.push(count);
        return Promise.resolve();
      },
    });
    attention.update([snapshot('a', 'seeding', 'Restored'), snapshot('b', 'downloading', 'Film')]);
    attention.update([snapshot('a', 'seeding', 'Restored'), snapshot('b', 'downloading', 'Film')]);
    attention.update([snapshot('a', 'seeding', 'Restored'), snapshot('b', 'seeding', 'Film')]);
    attention.update([snapshot('a', 'seeding', 'Restored'), snapshot('b', 'seeding', 'Film')]);
    expect(shown).to.have.length(1);
    expect(shown[0]).to.contain('Film is ready');
    expect(badges).to.deep.equal([1, 0]);
  });

  it('counts running downloads for the badge (not paused, seeding or failed ones)', () => {
    expect(
      activeDownloads([
        snapshot('a', 'metadata'),
        snapshot('b', 'downloading'),
        snapshot('c', 'paused'),
        snapshot('d', 'seeding'),
        snapshot('e', 'error'),
      ]),
    ).to.equal(2);
  });
});
