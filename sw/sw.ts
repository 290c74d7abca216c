/// <reference lib="webworker" />
// Wiring only: precache the app shell (Workbox), stream torrent files from the tab that
// holds them (/stream/…), receive shared files (/share-target), and fall back to the shell for other navigations.
import { clientsClaim } from 'workbox-core';
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { SHARE_TARGET_PATH } from '../src/pwa/share-path.ts';
import { STREAM_PREFIX } from '../src/stream/stream-path.ts';
import { focusTorrent } from './notification-click.ts';
import { receiveShare } from './share-target.ts';
import { handleStream, noteHolds } from './stream-route.ts';
import { isHoldsMessage } from '../src/stream/protocol.ts';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: (string | { url: string; revision: string | null })[];
};

const manifest = self.__WB_MANIFEST;
precacheAndRoute(manifest);
cleanupOutdatedCaches();
registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname.startsWith(STREAM_PREFIX),
  ({ event }) => handleStream(self, event as FetchEvent),
);
registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname === SHARE_TARGET_PATH,
  ({ request }) => receiveShare(request, self.location.origin),
  'POST',
);
// The dev server's worker has an empty manifest: navigations then go to the network.
if (manifest.some((entry) => (typeof entry === 'string' ? entry : entry.url) === 'index.html')) {
  registerRoute(
    new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/stream\//] }),
  );
}

// A tab's 'shoal-keep-alive' needs no answer: being an event, it keeps the worker running.
self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
  if (isHoldsMessage(event.data) && event.source instanceof WindowClient) {
    noteHolds(event.source.id, event.data.infoHashes);
  }
});
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(focusTorrent(self, event.notification.data));
});
clientsClaim();
