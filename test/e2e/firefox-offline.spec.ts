// Offline start in Firefox: after one visit, the service worker has the app's shell cached, so
// with the server gone and the network off the app still opens, lists what it holds, says it
// is offline, and serves its files. The app is served here from a server of the test's own, so
// "the server is down" is real, not emulated; Firefox's offline emulation (WebDriver BiDi
// `emulation.setNetworkConditions`) takes the network away from the tab as well.
import { resolve } from 'node:path';
import { keptRows } from './support/app-state.ts';
import { serveDir } from './support/dir-server.ts';
import { randomFixture } from './support/fixtures.ts';
import {
  controlled,
  fetchDigest,
  rowState,
  shareFiles,
  shownText,
  test,
} from './support/firefox.ts';
import { expect } from './support/peers.ts';

const PORT = 4192;
const ORIGIN = `http://localhost:${String(PORT)}`;
const KiB = 1024;

test('after one visit Firefox opens the app with its server down (and offline where it can emulate it), lists what it holds and serves it', async ({
  newFirefoxPeer,
}) => {
  const fixture = randomFixture('firefox-offline-300KiB.bin', 300 * KiB);
  const server = await serveDir(resolve(import.meta.dirname, '../../dist-e2e'), PORT);
  try {
    const page = await newFirefoxPeer(`${ORIGIN}/`);
    await controlled(page);
    await shareFiles(page, fixture.path);
    await expect.poll(() => rowState(page, fixture.name)).toBe('Seeding');
    // What the reload will read: the torrent's record, with its .torrent, in IndexedDB.
    await expect.poll(async () => Boolean((await keptRows(page))[0]?.torrentFile)).toBe(true);
    const [record] = await keptRows(page);

    server.closeAllConnections();
    await new Promise((done) => server.close(done));
    expect((await fetch(`${ORIGIN}/`).catch(() => null))?.status ?? 'down').toBe('down');
    // Firefox ESR 140's WebDriver BiDi has no network emulation (emulation.setNetworkConditions,
    // ESR 153 has it): there the page is reloaded with its server down but the network up, and
    // the offline banner, which only the emulation can drive, is not checked.
    const offline = await page.setOfflineMode(true).then(
      () => true,
      (err: unknown) => {
        if (!/setNetworkConditions/.test(String(err))) throw err;
        test.info().annotations.push({
          type: 'not driven',
          description: 'this Firefox cannot emulate being offline: the offline banner is unchecked',
        });
        return false;
      },
    );
    await page.reload();

    await expect.poll(() => rowState(page, fixture.name)).toBe('Seeding');
    if (offline)
      await expect.poll(() => shownText(page, '.banner.offline')).toContain('You are offline');
    await controlled(page);
    expect(
      await fetchDigest(
        page,
        `/stream/${record?.infoHash ?? ''}/${encodeURIComponent(fixture.name)}`,
      ),
    ).toEqual({ status: 200, lengthBytes: fixture.lengthBytes, sha256: fixture.sha256 });

    // Back online. Firefox 153's offline emulation fires no `online` event in a document that
    // was loaded offline when the emulation first ends (navigator.onLine turns true silently);
    // after that, each change fires its event, as a real network's does.
    if (offline) {
      await page.setOfflineMode(false);
      await page.setOfflineMode(true);
      await page.setOfflineMode(false);
    }
    await expect.poll(() => shownText(page, '.banner.offline')).toBe('');
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
