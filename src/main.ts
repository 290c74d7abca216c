import './trusted-types.ts';
import { Workbox } from 'workbox-window';
import { loadSettings, saveSettings } from './config/settings-storage.ts';
import { planNetwork } from './engine/policy/network.ts';
import { ShoalEngine } from './engine/engine.ts';
import { AppStore } from './store/app-store.ts';
import { consumeLaunches, type LaunchQueueLike } from './pwa/launch-queue.ts';
import { DownloadAttention, isSelectMessage } from './pwa/notify.ts';
import { PwaStore } from './pwa/pwa-store.ts';
import { ShareInbox } from './pwa/share-inbox.ts';
import type { AppStore as Store } from './store/app-store.ts';
import { readLaunch, withoutLaunch } from './store/launch.ts';
import { deviceMemoryOf, missingCapabilities, probeCapabilities } from './launch/capabilities.ts';
import { memoryBudgetBytes as memoryBudgetOf } from './engine/policy/memory-budget.ts';
import { TorrentPersistence } from './store/persistence.ts';
import { TorrentDb } from './store/torrent-db.ts';
import { HeldTorrents } from './stream/held-torrents.ts';
import { StreamHost } from './stream/stream-host.ts';
import { ShoalApp } from './ui/shoal-app/shoal-app.ts';
import { ShoalElsewhere } from './ui/shoal-elsewhere/shoal-elsewhere.ts';
import './styles.css';

const launchUrl = new URL(location.href);
const launch = readLaunch(launchUrl);
const { magnet } = launch;

/**
 * How long a page waits for the engine lock before deciding another tab runs the torrents:
 * on a reload or a navigation the page before still holds it for a moment.
 */
const LOCK_WAIT_MS = 2000;

// vite-plugin-pwa serves the worker at another address on the dev server.
const workbox =
  'serviceWorker' in navigator
    ? new Workbox(import.meta.env.PROD ? '/sw.js' : '/dev-sw.js?dev-sw', { type: 'module' })
    : null;

/** Tabs of this origin talk here: a second tab hands the links it is opened with to the first. */
const channel = new BroadcastChannel('shoal');

/** The tab that holds the engine lock runs the torrents. */
function run(): void {
  // Handled here, once: a reload does not add or share it again. (A standing-by tab keeps its
  // address, so that when it takes over it still knows what it was opened with.)
  if (withoutLaunch(launchUrl).href !== launchUrl.href) {
    history.replaceState(null, '', withoutLaunch(launchUrl));
  }
  const settings = loadSettings();
  const network = planNetwork({
    hostname: location.hostname,
    settings,
    localTrackerPort: __SHOAL_LOCAL_TRACKER_PORT__,
  });
  // The page's own probe decides where downloads go: a worker may see APIs the page does not.
  const capabilities = probeCapabilities(window);
  const memoryBudgetBytes = memoryBudgetOf(deviceMemoryOf(window));
  const engine = new ShoalEngine({
    announce: network.announce,
    iceServers: network.iceServers,
    maxConns: settings.maxConns,
    peerAssist: settings.peerAssist,
    storage: capabilities.opfs ? 'opfs' : 'memory',
    memoryBudgetBytes,
  });
  const db = TorrentDb.open();
  const store = new AppStore(engine, {
    // Without OPFS nothing is kept, and the browser's storage figures are not what downloads
    // use (they live in memory): no quota to keep within, no space to free.
    ...(engine.keepsTorrents
      ? {
          saveRetention: async (retention) => {
            await (await db).putRetention(retention);
          },
        }
      : {}),
    settings,
    saveSettings: (next) => {
      saveSettings(next);
    },
    ...('storage' in navigator && engine.keepsTorrents ? { storage: navigator.storage } : {}),
  });
  // What this browser lacks is said once, up front, with what still works.
  for (const message of missingCapabilities(capabilities, memoryBudgetBytes))
    store.notify({ level: 'warning', message });
  // A first visit can try the app alone: the demo its server keeps (store/demo.ts).
  void store.offerDemo(document.baseURI);
  const defaults = planNetwork({
    hostname: location.hostname,
    settings: { trackers: null, iceServers: null },
    localTrackerPort: __SHOAL_LOCAL_TRACKER_PORT__,
  });
  const pwa = new PwaStore({
    events: window,
    isOnline: () => navigator.onLine,
    isStandalone: () => matchMedia('(display-mode: standalone)').matches,
    ...(workbox ? { updates: workbox } : {}),
    reload: () => {
      location.reload();
    },
    ...('registerProtocolHandler' in navigator
      ? {
          registerProtocolHandler: (scheme: string, url: string) => {
            navigator.registerProtocolHandler(scheme, url);
          },
        }
      : {}),
    ...('Notification' in window
      ? {
          notifications: {
            permission: () => Notification.permission,
            request: () => Notification.requestPermission(),
          },
        }
      : {}),
  });
  document.body.append(new ShoalApp(store, { defaultTrackers: defaults.announce, pwa }));
  watchDownloads(store);

  void (async () => {
    // Torrents kept by an earlier visit come back first, so a launch link to one of them is
    // recognised as a duplicate rather than added twice.
    try {
      const persistence = new TorrentPersistence(engine, await db, {
        onError: (message) => {
          store.notify({ level: 'error', message });
        },
      });
      addEventListener('pagehide', () => void persistence.flush());
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'hidden') void persistence.flush();
      });
      await persistence.restoreAll();
      if (engine.keepsTorrents) store.loadRetention(await (await db).allRetention());
      store.refresh();
    } catch (err) {
      store.notify({
        level: 'warning',
        message: `Torrents will not be kept after this visit: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
    if (magnet !== null) {
      const result = await store.openLink(magnet);
      if (!result.ok) store.notify({ level: 'error', message: result.message });
    }
    if (launch.shareError !== null) {
      store.notify({
        level: 'error',
        message: `Shoal could not keep what was shared with it: ${launch.shareError}`,
      });
    }
    if (launch.shareId !== null) await takeShare(store, launch.shareId);
    if (launch.select !== null) store.select(launch.select);
    if ('launchQueue' in window) {
      consumeLaunches(
        (window as Window & { launchQueue: LaunchQueueLike }).launchQueue,
        store,
        (result) => {
          if (!result.ok) store.notify({ level: 'error', message: result.message });
        },
        launchUrl.href,
      );
    }
  })();

  const worker = 'serviceWorker' in navigator ? navigator.serviceWorker : null;
  const streams = worker ? new StreamHost(engine, worker) : null;

  // The storage probes load on demand: the app's start does not carry them.
  window.shoal = {
    store,
    streams,
    engine,
    probes: () => import('./engine/storage/write-probe.ts'),
  };
  if (worker) {
    new HeldTorrents(engine, worker);
    worker.addEventListener('message', (event) => {
      if (isSelectMessage(event.data)) store.select(event.data.infoHash);
    });
  }
  channel.onmessage = (event: MessageEvent<{ type?: string; link?: string; id?: string }>) => {
    if (event.data.type === 'open-share' && typeof event.data.id === 'string') {
      void takeShare(store, event.data.id);
    }
    if (event.data.type === 'open-link' && typeof event.data.link === 'string') {
      void store.openLink(event.data.link).then((result) => {
        store.notify(
          result.ok
            ? { level: 'info', message: 'Opened a link from another tab.' }
            : { level: 'error', message: result.message },
        );
      });
    }
  };
}

/** Seeds the files (or opens the link) of a share the service worker kept for us. */
async function takeShare(store: Store, id: string): Promise<void> {
  try {
    const inbox = await ShareInbox.open();
    try {
      const item = await inbox.get(id);
      if (!item) {
        store.notify({ level: 'info', message: 'That share was already opened.' });
        return;
      }
      const result = await store.receiveShare(item);
      if (result.ok) await inbox.delete(id);
      else store.notify({ level: 'error', message: result.message });
    } finally {
      inbox.close();
    }
  } catch (err) {
    store.notify({
      level: 'error',
      message: `Could not open what was shared: ${err instanceof Error ? err.message : String(err)}`,
    });
  }
}

/** A notification when a download completes (if allowed), and the app badge. */
function watchDownloads(store: Store): void {
  const attention = new DownloadAttention({
    notify: async (title, options) => {
      if (!('Notification' in window) || Notification.permission !== 'granted') return;
      const registration = await navigator.serviceWorker.getRegistration();
      await registration?.showNotification(title, { ...options, icon: '/pwa-192x192.png' });
    },
    ...('setAppBadge' in navigator
      ? {
          setBadge: (count: number) =>
            count > 0 ? navigator.setAppBadge(count) : navigator.clearAppBadge(),
        }
      : {}),
  });
  attention.update(store.state.torrents);
  store.subscribe((state) => {
    attention.update(state.torrents);
  });
}

/** Another tab runs the torrents: say so, hand it our link, take over when it closes. */
function standBy(): void {
  const notice = new ShoalElsewhere();
  if (launch.shareId !== null) channel.postMessage({ type: 'open-share', id: launch.shareId });
  if (magnet !== null) {
    channel.postMessage({ type: 'open-link', link: magnet });
    notice.forwarded = magnet;
  }
  document.body.append(notice);
  void navigator.locks.request('shoal-engine', () => {
    location.reload();
  });
}

if ('locks' in navigator) {
  navigator.locks
    .request('shoal-engine', { signal: AbortSignal.timeout(LOCK_WAIT_MS) }, () => {
      run();
      // Held for as long as this page lives.
      return new Promise<never>(() => undefined);
    })
    .catch((err: unknown) => {
      if (err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError'))
        standBy();
      else throw err;
    });
} else {
  run();
}

void workbox?.register();

// For tests and the curious: the store, read-only in spirit.
declare global {
  interface Window {
    shoal?: {
      store: AppStore;
      streams: StreamHost | null;
      engine: ShoalEngine;
      /** Storage write rates and write lag (engine/storage/write-probe.ts; bench/storage.ts). */
      probes: () => Promise<typeof import('./engine/storage/write-probe.ts')>;
    };
  }
}
