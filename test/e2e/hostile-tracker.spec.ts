// A hostile tracker (a real WebSocket server speaking the WebTorrent tracker protocol, badly):
// it answers every announce with an announce interval of one millisecond, text that is not
// JSON, and an offer whose SDP is garbage. The tab must not announce in a loop, must not
// raise an error, and must show the tracker's trouble on the torrent.
import { WebSocketServer, type RawData } from 'ws';
import { appUrl, expect, row, test } from './support/peers.ts';
import { announceTo } from './support/tracker-process.ts';

const PORT = Number(process.env.E2E_HOSTILE_TRACKER_PORT ?? 18041);

test('a tracker that asks for an announce every millisecond and sends garbage gets neither a flood nor an error', async ({
  newPeer,
}) => {
  const server = new WebSocketServer({ host: '127.0.0.1', port: PORT });
  const announces: number[] = [];
  server.on('connection', (socket) => {
    socket.on('message', (data: RawData) => {
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : '';
      const message = JSON.parse(text) as { action?: string; info_hash?: string };
      if (message.action !== 'announce') return;
      announces.push(Date.now());
      const answer = (fields: Record<string, unknown>): void => {
        socket.send(
          JSON.stringify({ action: 'announce', info_hash: message.info_hash, ...fields }),
        );
      };
      answer({ interval: 0.001, complete: 0, incomplete: 0 });
      socket.send('this is not JSON {');
      answer({
        offer: { type: 'offer', sdp: 'v=0 this is no session description' },
        offer_id: 'o'.repeat(20),
        peer_id: 'p'.repeat(20),
      });
    });
  });
  try {
    const page = await newPeer(appUrl());
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await announceTo(page, `ws://localhost:${String(PORT)}`);
    await page
      .locator('shoal-add-bar input#magnet')
      .fill(`magnet:?xt=urn:btih:${'b'.repeat(40)}&dn=hostile`);
    await page.locator('shoal-add-bar button.primary').click();
    await expect(row(page, 'hostile')).toHaveCount(1);
    await expect.poll(() => announces.length).toBeGreaterThan(0);
    const first = announces[0] ?? Date.now();
    await page.waitForTimeout(5_000);
    // No flood: the announce interval it asked for is held to 10 s or more.
    const within5s = announces.filter((at) => at - first < 5_000).length;
    expect(within5s).toBeLessThanOrEqual(2);
    // Its garbage shows on the torrent as a warning (the latest: the text, or the bad offer).
    await expect(page.locator('shoal-torrent-detail .warning')).toHaveText(
      /Invalid tracker response|Connection error/,
    );
    expect(errors).toEqual([]);
  } finally {
    // Its server closes only once no client is left.
    for (const client of server.clients) client.terminate();
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  }
});
