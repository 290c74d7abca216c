/// <reference lib="webworker" />
// A click on a "download complete" notification brings the app forward on that torrent:
// the tab that runs the torrents if one is open, else a new window that opens on it.
import { SELECT_QUERY, selectMessage } from '../src/pwa/select-message.ts';

export async function focusTorrent(self: ServiceWorkerGlobalScope, data: unknown): Promise<void> {
  const infoHash =
    typeof data === 'object' &&
    data !== null &&
    'infoHash' in data &&
    typeof data.infoHash === 'string'
      ? data.infoHash
      : null;
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const ours = windows.filter((client) => new URL(client.url).origin === self.location.origin);
  const app = ours.find((client) => client.visibilityState === 'visible') ?? ours[0];
  if (app) {
    await app.focus();
    // Only the tab that runs the torrents acts on it; the others ignore it.
    if (infoHash !== null) for (const client of ours) client.postMessage(selectMessage(infoHash));
    return;
  }
  const url = new URL('/', self.location.origin);
  if (infoHash !== null) url.searchParams.set(SELECT_QUERY, infoHash);
  await self.clients.openWindow(url.href);
}
