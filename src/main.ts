import { Workbox } from 'workbox-window';
import { loadSettings, saveSettings } from './config/settings-storage.ts';
import { planNetwork } from './engine/policy/network.ts';
import { WebTorrentEngine } from './engine/webtorrent-client.ts';
import { AppStore } from './store/app-store.ts';
import { magnetFromUrl, withoutMagnet } from './store/launch.ts';
import { TorrentPersistence } from './store/persistence.ts';
import { TorrentDb } from './store/torrent-db.ts';
import { StreamHost } from './stream/stream-host.ts';
import { ShoalApp } from './ui/shoal-app/shoal-app.ts';
import { ShoalElsewhere } from './ui/shoal-elsewhere/shoal-elsewhere.ts';
import './styles.css';

const launchUrl = new URL(location.href);
const magnet = magnetFromUrl(launchUrl);
if (magnet !== null) history.replaceState(null, '', withoutMagnet(launchUrl));

/** Tabs of this origin talk here: a second tab hands the links it is opened with to the first. */
const channel = new BroadcastChannel('shoal');

/** The tab that holds the engine lock runs the torrents. */
function run(): void {
  const settings = loadSettings();
  const network = planNetwork({
    hostname: location.hostname,
    settings,
    localTrackerPort: __SHOAL_LOCAL_TRACKER_PORT__,
  });
  const engine = new WebTorrentEngine({
    announce: network.announce,
    iceServers: network.iceServers,
    maxConns: settings.maxConns,
  });
  const store = new AppStore(engine, {
    settings,
    saveSettings: (next) => {
      saveSettings(next);
    },
    ...('storage' in navigator ? { storage: navigator.storage } : {}),
  });
  const defaults = planNetwork({
    hostname: location.hostname,
    settings: { trackers: null, iceServers: null },
    localTrackerPort: __SHOAL_LOCAL_TRACKER_PORT__,
  });
  document.body.append(new ShoalApp(store, { defaultTrackers: defaults.announce }));

  void (async () => {
    // Torrents kept by an earlier visit come back first, so a launch link to one of them is
    // recognised as a duplicate rather than added twice.
    try {
      const db = await TorrentDb.open();
      const persistence = new TorrentPersistence(engine, db, {
        onError: (message) => {
          store.notify({ level: 'error', message });
        },
      });
      addEventListener('pagehide', () => void persistence.flush());
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'hidden') void persistence.flush();
      });
      await persistence.restoreAll();
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
  })();

  const streams =
    'serviceWorker' in navigator ? new StreamHost(engine, navigator.serviceWorker) : null;

  window.shoal = { store, streams };
  channel.onmessage = (event: MessageEvent<{ type?: string; link?: string }>) => {
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

/** Another tab runs the torrents: say so, hand it our link, take over when it closes. */
function standBy(): void {
  const notice = new ShoalElsewhere();
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
  void navigator.locks.request('shoal-engine', { ifAvailable: true }, (lock) => {
    if (lock === null) {
      standBy();
      return;
    }
    run();
    // Held for as long as this page lives.
    return new Promise<never>(() => undefined);
  });
} else {
  run();
}

if ('serviceWorker' in navigator) {
  // vite-plugin-pwa serves the worker at another address on the dev server.
  const workerUrl = import.meta.env.PROD ? '/sw.js' : '/dev-sw.js?dev-sw';
  void new Workbox(workerUrl, { type: 'module' }).register();
}

// For tests and the curious: the store, read-only in spirit.
declare global {
  interface Window {
    shoal?: { store: AppStore; streams: StreamHost | null };
  }
}
