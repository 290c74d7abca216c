// Stock WebTorrent's bench driver: bench/pages/stock.html, through the `bench` object it
// puts on its window.
import type { Driver, DownloadInfo, SeedInfo, StreamInfo, WatchInfo } from './drivers.ts';

interface StockBench {
  loadFixture(name: string): Promise<number>;
  seed(announce: string[]): Promise<SeedInfo>;
  rawSha1(pieceLength: number): Promise<{ bytes: number; ms: number }>;
  download(opts: {
    magnet: string | null;
    torrentFile: number[];
    pieces: number;
    announce: string[];
    tuned: boolean;
    bitfield: number[] | null;
    timeoutMs: number;
  }): Promise<DownloadInfo>;
  stats(infoHash: string): { uploadedBytes: number; receivedBytes: number };
  stream(opts: {
    magnet: string;
    announce: string[];
    fileName: string;
    seekToS: number;
    timeoutMs: number;
  }): Promise<StreamInfo>;
  watch(opts: {
    magnet: string;
    announce: string[];
    fileName: string;
    watchS: number;
    timeoutMs: number;
  }): Promise<WatchInfo>;
}
interface StockWindow {
  bench?: StockBench;
  benchReady?: boolean;
}

/** `tuned`: stock with the options that close part of the gap (GUIDE §5). */
export function stockDriver(staticOrigin: string, tuned: boolean): Driver {
  return {
    variant: tuned ? 'tuned' : 'stock',
    url: `${staticOrigin}/stock.html`,
    async ready(peer) {
      await peer.page.waitForFunction(() => (window as StockWindow).benchReady === true);
    },
    loadFixture(peer, name) {
      return peer.page.evaluate(
        (name) =>
          (window as StockWindow).bench?.loadFixture(name) ?? Promise.reject(new Error('no page')),
        name,
      );
    },
    seed(peer, announce) {
      return peer.page.evaluate(
        (announce) =>
          (window as StockWindow).bench?.seed([announce]) ?? Promise.reject(new Error('no page')),
        announce,
      );
    },
    async rawSha1Ms(peer, pieceLength) {
      const { ms } = await peer.page.evaluate(
        (n) => (window as StockWindow).bench?.rawSha1(n) ?? Promise.reject(new Error('no page')),
        pieceLength,
      );
      return ms;
    },
    download(peer, seed, announce, timeoutMs) {
      return peer.page.evaluate(
        (opts) =>
          (window as StockWindow).bench?.download(opts) ?? Promise.reject(new Error('no page')),
        {
          magnet: seed.magnet,
          torrentFile: seed.torrentFile,
          pieces: seed.pieces,
          announce: [announce],
          tuned,
          bitfield: null,
          timeoutMs,
        },
      );
    },
    stream(peer, seed, announce, options) {
      return peer.page.evaluate(
        (opts) =>
          (window as StockWindow).bench?.stream(opts) ?? Promise.reject(new Error('no page')),
        { magnet: seed.magnet, announce: [announce], ...options },
      );
    },
    watch(peer, magnet, _infoHash, announce, options) {
      return peer.page.evaluate(
        (opts) =>
          (window as StockWindow).bench?.watch(opts) ?? Promise.reject(new Error('no page')),
        { magnet, announce: [announce], ...options },
      );
    },
    async uploadedBytes(peer, infoHash) {
      const stats = await peer.page.evaluate(
        (h) => (window as StockWindow).bench?.stats(h) ?? { uploadedBytes: 0, receivedBytes: 0 },
        infoHash,
      );
      return stats.uploadedBytes;
    },
    async receivedBytes(peer, infoHash) {
      const stats = await peer.page.evaluate(
        (h) => (window as StockWindow).bench?.stats(h) ?? { uploadedBytes: 0, receivedBytes: 0 },
        infoHash,
      );
      return stats.receivedBytes;
    },
    async reloadToSeeding(peer, seed, kept, announce, timeoutMs) {
      // A stock app keeps no list: after a reload it must add the torrent again (here from
      // the .torrent it kept; tuned, with the verified bitfield it kept too).
      await peer.page.reload({ waitUntil: 'commit' });
      await peer.page.waitForFunction(() => (window as StockWindow).benchReady === true, null, {
        polling: 10,
      });
      const info = await peer.page.evaluate(
        (opts) =>
          (window as StockWindow).bench?.download(opts) ?? Promise.reject(new Error('no page')),
        {
          magnet: null,
          torrentFile: seed.torrentFile,
          pieces: seed.pieces,
          announce: [announce],
          tuned,
          bitfield: tuned ? (kept.bitfield ?? null) : null,
          timeoutMs,
        },
      );
      return { seedingMs: info.doneMs, receivedBytes: info.receivedBytes };
    },
  };
}
