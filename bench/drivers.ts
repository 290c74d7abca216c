// How a measurement drives each contender: Shoal through its built app page (its store,
// as the UI calls it), stock WebTorrent through bench/pages/stock.html. Both report
// timestamps taken in the page (epoch ms from performance.timeOrigin + performance.now()).
import type { Peer } from './browser.ts';

export type Variant = 'shoal' | 'stock' | 'tuned';

export interface SeedInfo {
  readonly startMs: number;
  readonly doneMs: number;
  readonly magnet: string;
  readonly infoHash: string;
  /** The .torrent, as numbers (what a stock app would keep to re-add or share it). */
  readonly torrentFile: number[];
  readonly pieceLength: number;
  readonly pieces: number;
}

export interface DownloadInfo {
  readonly startMs: number;
  readonly metadataMs: number | null;
  readonly firstPieceMs: number | null;
  readonly doneMs: number;
  /** Piece bytes received from peers. */
  readonly receivedBytes: number;
  /** Verified pieces at the end (stock only: what a tuned stock app would keep for a reload). */
  readonly bitfield?: number[];
}

export interface ReloadInfo {
  /** Epoch ms at which the torrent was complete and seeding again. */
  readonly seedingMs: number;
  /** Piece bytes fetched from peers after the reload. */
  readonly receivedBytes: number;
}

export interface StreamOptions {
  /** The media file's path in the torrent. */
  readonly fileName: string;
  readonly seekToS: number;
  readonly timeoutMs: number;
}

/** Epoch ms of one streamed play: added → playing, then a seek → seeked. */
export interface StreamInfo {
  readonly startMs: number;
  readonly playingMs: number;
  readonly seekStartMs: number;
  readonly seekedMs: number;
}

export interface WatchOptions {
  /** The media file's path in the torrent. */
  readonly fileName: string;
  /** Seconds of the media to play before it counts as watched. */
  readonly watchS: number;
  readonly timeoutMs: number;
}

/** One viewer of a swarm: added → playing, stalls while it played, added → complete. */
export interface WatchInfo {
  readonly startMs: number;
  readonly playingMs: number;
  readonly doneMs: number;
  /** `waiting` events after the first frame, not during a seek: the picture froze. */
  readonly stalls: number;
  /** How long those lasted in all (until the next `playing`, or the end). */
  readonly stalledMs: number;
  /** Piece bytes received, from peers and web seeds. */
  readonly receivedBytes: number;
  /** Each stall: when (after playing began), where, what was buffered ahead, how long. */
  readonly stallLog?: readonly string[];
}

export interface Driver {
  readonly variant: Variant;
  /** Page each peer of this variant opens. */
  readonly url: string;
  ready(peer: Peer): Promise<void>;
  /** Puts the fixture in the page's memory as a File (not timed). */
  loadFixture(peer: Peer, name: string, staticOrigin: string): Promise<number>;
  seed(peer: Peer, announce: string): Promise<SeedInfo>;
  /** Milliseconds raw WebCrypto SHA-1 takes over the loaded fixture, piece by piece. */
  rawSha1Ms(peer: Peer, pieceLength: number): Promise<number>;
  download(peer: Peer, seed: SeedInfo, announce: string, timeoutMs: number): Promise<DownloadInfo>;
  /**
   * With the page's service worker in control (not timed), adds the magnet and plays its
   * media file in a `<video>` through that worker; once playing, seeks ahead.
   */
  stream(peer: Peer, seed: SeedInfo, announce: string, options: StreamOptions): Promise<StreamInfo>;
  /**
   * As a viewer in a swarm: adds `magnet` (which may name web seeds) and plays its media file
   * from the start through the page's worker, telling the engine where playback is as the
   * app's player does; resolves once it played `watchS` seconds and the download is complete.
   */
  watch(
    peer: Peer,
    magnet: string,
    infoHash: string,
    announce: string,
    options: WatchOptions,
  ): Promise<WatchInfo>;
  uploadedBytes(peer: Peer, infoHash: string): Promise<number>;
  /** Reloads the page and waits until the torrent seeds again from what it kept. */
  reloadToSeeding(
    peer: Peer,
    seed: SeedInfo,
    kept: DownloadInfo,
    announce: string,
    timeoutMs: number,
  ): Promise<ReloadInfo>;
}

// ---- Shoal -----------------------------------------------------------------------------

/** The parts of the app's store and engine the bench reads (see src/store, src/engine). */
interface ShoalSnapshot {
  readonly infoHash: string;
  readonly magnetURI: string;
  readonly state: string;
  readonly lengthBytes: number | null;
  readonly uploadedBytes: number;
  readonly receivedBytes: number;
  readonly errorMessage: string | null;
}
interface ShoalEngine {
  snapshots(): ShoalSnapshot[];
  persisted(
    infoHash: string,
  ): { bitfield: Uint8Array | null; torrentFile: Uint8Array | null } | null;
  on(event: 'persist' | 'change', listener: (infoHash: string) => void): () => void;
  on(
    event: 'notice',
    listener: (n: { level: string; message: string; infoHash?: string }) => void,
  ): () => void;
}
interface ShoalStore {
  addText(text: string): Promise<{ ok: true; infoHash: string } | { ok: false; message: string }>;
  seed(files: File[]): Promise<{ ok: true; infoHash: string } | { ok: false; message: string }>;
  /** What the app's player calls on each media event (src/engine/types.ts PlaybackReport). */
  playback(report: {
    infoHash: string;
    path: string;
    positionS: number;
    durationS: number;
    bufferedAheadS: number;
    playing: boolean;
    event: string;
  }): void;
  /** Private in TypeScript; its public Engine interface is what the store itself calls. */
  readonly engine: ShoalEngine;
}
interface ShoalWindow {
  shoal?: { store: ShoalStore };
  benchFile?: File;
  /**
   * A muted `<video>` for a file of a torrent, once the app's worker controls the page, its
   * events reported to the engine as shoal-player reports them (see `ready`).
   */
  benchVideo?: (infoHash: string, path: string) => Promise<HTMLVideoElement>;
}

export function shoalDriver(appOrigin: string): Driver {
  return {
    variant: 'shoal',
    url: `${appOrigin}/`,
    async ready(peer) {
      await peer.page.waitForFunction(() => (window as ShoalWindow).shoal !== undefined);
      // The worker precaches the shell on install: let that finish before anything is timed.
      await peer.page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      // What src/ui/shoal-player reports on each media event (its shoal-playback event): the
      // engine's web seed, emergency and piece order follow it.
      await peer.page.evaluate(() => {
        const w = window as ShoalWindow;
        const reportPlayback = (video: HTMLVideoElement, infoHash: string, path: string): void => {
          const store = w.shoal?.store;
          const report = (event: Event): void => {
            const now = video.currentTime;
            let aheadS = 0;
            // One snapshot: each read of `buffered` is a new one, and ranges merge between them.
            const ranges = video.buffered;
            for (let i = 0; i < ranges.length; i++)
              if (ranges.start(i) <= now + 0.1 && ranges.end(i) > now) aheadS = ranges.end(i) - now;
            store?.playback({
              infoHash,
              path,
              positionS: now,
              durationS: video.duration,
              bufferedAheadS: aheadS,
              playing: !video.paused,
              event: event.type,
            });
          };
          for (const type of [
            'loadstart',
            'loadedmetadata',
            'play',
            'playing',
            'waiting',
            'seeking',
            'seeked',
            'timeupdate',
            'progress',
            'pause',
            'ended',
          ])
            video.addEventListener(type, report);
        };
        w.benchVideo = async (infoHash, path) => {
          const sw = navigator.serviceWorker;
          await sw.ready;
          if (!sw.controller)
            await new Promise((r) => {
              sw.addEventListener('controllerchange', r, { once: true });
            });
          const video = document.createElement('video');
          video.muted = true;
          reportPlayback(video, infoHash, path);
          return video;
        };
      });
    },
    loadFixture(peer, name, staticOrigin) {
      return peer.page.evaluate(
        async ([name, origin]) => {
          const blob = await (await fetch(`${origin}/fixtures/${name}`)).blob();
          const file = new File([blob], name);
          (window as ShoalWindow).benchFile = file;
          return file.size;
        },
        [name, staticOrigin] as const,
      );
    },
    seed(peer) {
      return peer.page.evaluate(async () => {
        const w = window as ShoalWindow;
        const store = w.shoal?.store;
        const file = w.benchFile;
        if (!store || !file) throw new Error('no store or no fixture');
        const now = (): number => performance.timeOrigin + performance.now();
        const startMs = now();
        // Resolves once every piece is in the store: the app then shows the magnet.
        const result = await store.seed([file]);
        const doneMs = now();
        if (!result.ok) throw new Error(result.message);
        const engine = store.engine;
        const snapshot = engine.snapshots().find((t) => t.infoHash === result.infoHash);
        const kept = engine.persisted(result.infoHash);
        if (!snapshot || !kept?.torrentFile || !kept.bitfield)
          throw new Error('seeded torrent not found');
        const pieces = kept.bitfield.length * 8;
        return {
          startMs,
          doneMs,
          magnet: snapshot.magnetURI,
          infoHash: result.infoHash,
          torrentFile: [...kept.torrentFile],
          pieceLength: Math.ceil((snapshot.lengthBytes ?? 0) / pieces),
          pieces,
        };
      });
    },
    rawSha1Ms(peer, pieceLength) {
      return peer.page.evaluate(async (pieceLength) => {
        const file = (window as ShoalWindow).benchFile;
        if (!file) throw new Error('no fixture');
        const data = new Uint8Array(await file.arrayBuffer());
        const startMs = performance.now();
        for (let offset = 0; offset < data.length; offset += pieceLength) {
          await crypto.subtle.digest('SHA-1', data.subarray(offset, offset + pieceLength));
        }
        return performance.now() - startMs;
      }, pieceLength);
    },
    download(peer, seed, _announce, timeoutMs) {
      return peer.page.evaluate(
        ([magnet, infoHash, timeoutMs]) => {
          const store = (window as ShoalWindow).shoal?.store;
          if (!store) throw new Error('no store');
          const engine = store.engine;
          const now = (): number => performance.timeOrigin + performance.now();
          const startMs = now();
          let metadataMs: number | null = null;
          let firstPieceMs: number | null = null;
          return new Promise<DownloadInfo>((resolve, reject) => {
            const offs: (() => void)[] = [];
            const finish = (err: Error | null, snapshot?: ShoalSnapshot): void => {
              const doneMs = now();
              for (const off of offs) off();
              clearTimeout(timer);
              clearInterval(poll);
              if (err || !snapshot) reject(err ?? new Error('no snapshot'));
              else
                resolve({
                  startMs,
                  metadataMs,
                  firstPieceMs,
                  doneMs,
                  receivedBytes: snapshot.receivedBytes,
                });
            };
            const check = (): void => {
              const s = engine.snapshots().find((t) => t.infoHash === infoHash);
              if (!s) return;
              if (metadataMs === null && s.lengthBytes !== null) metadataMs = now();
              if (s.state === 'seeding') finish(null, s);
              else if (s.state === 'error') finish(new Error(s.errorMessage ?? 'error'));
            };
            const timer = setTimeout(() => {
              finish(new Error('download timed out'));
            }, timeoutMs);
            // A safety net only: 'change' fires on metadata, ready and done.
            const poll = setInterval(check, 200);
            const offPersist = engine.on('persist', (h) => {
              if (h !== infoHash) return;
              const bitfield = engine.persisted(h)?.bitfield;
              if (bitfield?.some((b) => b !== 0)) {
                firstPieceMs = now();
                offPersist();
              }
            });
            offs.push(offPersist);
            offs.push(
              engine.on('change', (h) => {
                if (h === infoHash) check();
              }),
            );
            offs.push(
              engine.on('notice', (n) => {
                if (n.level === 'error' && (n.infoHash === undefined || n.infoHash === infoHash))
                  finish(new Error(n.message));
              }),
            );
            void store.addText(magnet).then((result) => {
              if (result.ok) check();
              else finish(new Error(result.message));
            });
          });
        },
        [seed.magnet, seed.infoHash, timeoutMs] as const,
      );
    },
    stream(peer, seed, _announce, options) {
      return peer.page.evaluate(
        async ([magnet, infoHash, { fileName, seekToS, timeoutMs }]) => {
          const w = window as ShoalWindow;
          const store = w.shoal?.store;
          if (!store || !w.benchVideo) throw new Error('no store');
          const now = (): number => performance.timeOrigin + performance.now();
          const video = await w.benchVideo(infoHash, fileName);
          const event = (name: string): Promise<number> =>
            new Promise((resolve, reject) => {
              const timer = setTimeout(() => {
                reject(new Error(`no '${name}' in time`));
              }, timeoutMs);
              video.addEventListener(
                name,
                () => {
                  clearTimeout(timer);
                  resolve(now());
                },
                { once: true },
              );
              video.addEventListener(
                'error',
                () => {
                  clearTimeout(timer);
                  reject(new Error(`media error ${String(video.error?.code)}`));
                },
                { once: true },
              );
            });
          try {
            const startMs = now();
            const added = await store.addText(magnet);
            if (!added.ok) throw new Error(added.message);
            // What the app's player does: the stream URL at once, the worker waits for metadata.
            video.src = `/stream/${infoHash}/${encodeURIComponent(fileName)}`;
            document.body.append(video);
            const playing = event('playing');
            void video.play().catch(() => undefined);
            const playingMs = await playing;
            const seeked = event('seeked');
            const seekStartMs = now();
            video.currentTime = seekToS;
            const seekedMs = await seeked;
            return { startMs, playingMs, seekStartMs, seekedMs };
          } finally {
            video.pause();
            video.removeAttribute('src');
            video.load();
            video.remove();
          }
        },
        [seed.magnet, seed.infoHash, options] as const,
      );
    },
    watch(peer, magnet, infoHash, _announce, options) {
      return peer.page.evaluate(
        async ([magnet, infoHash, { fileName, watchS, timeoutMs }]) => {
          const w = window as ShoalWindow;
          const store = w.shoal?.store;
          if (!store || !w.benchVideo) throw new Error('no store');
          const now = (): number => performance.timeOrigin + performance.now();
          const video = await w.benchVideo(infoHash, fileName);
          let playingMs: number | null = null;
          let stalls = 0;
          let stalledMs = 0;
          let stalledAtMs: number | null = null;
          const stallLog: string[] = [];
          const ahead = (): number => {
            const b = video.buffered;
            for (let i = 0; i < b.length; i++)
              if (b.start(i) <= video.currentTime + 0.05 && b.end(i) >= video.currentTime)
                return b.end(i) - video.currentTime;
            return 0;
          };
          video.addEventListener('playing', () => {
            playingMs ??= now();
            if (stalledAtMs !== null) {
              stalledMs += now() - stalledAtMs;
              stallLog.push(`${stallLog.pop() ?? ''} for ${(now() - stalledAtMs).toFixed(0)} ms`);
            }
            stalledAtMs = null;
          });
          video.addEventListener('waiting', () => {
            if (playingMs === null || video.seeking || stalledAtMs !== null) return;
            stalls++;
            stalledAtMs = now();
            stallLog.push(
              `+${((now() - playingMs) / 1000).toFixed(2)} s at ${video.currentTime.toFixed(2)} s, ${ahead().toFixed(2)} s ahead`,
            );
          });
          const startMs = now();
          try {
            const added = await store.addText(magnet);
            if (!added.ok) throw new Error(added.message);
            video.src = `/stream/${infoHash}/${encodeURIComponent(fileName)}`;
            document.body.append(video);
            void video.play().catch(() => undefined);
            return await new Promise<WatchInfo>((resolve, reject) => {
              let doneMs: number | null = null;
              const end = (err: Error | null, info?: WatchInfo): void => {
                clearInterval(poll);
                clearTimeout(timer);
                if (info) resolve(info);
                else reject(err ?? new Error('no result'));
              };
              const timer = setTimeout(() => {
                end(
                  new Error(`not watched and complete in time (at ${String(video.currentTime)} s)`),
                );
              }, timeoutMs);
              const poll = setInterval(() => {
                const s = store.engine.snapshots().find((t) => t.infoHash === infoHash);
                if (s?.state === 'seeding') doneMs ??= now();
                if (s?.state === 'error') end(new Error(s.errorMessage ?? 'error'));
                if (video.error) end(new Error(`media error ${String(video.error.code)}`));
                if (doneMs !== null && playingMs !== null && video.currentTime >= watchS)
                  end(null, {
                    startMs,
                    playingMs,
                    doneMs,
                    stalls,
                    stalledMs: stalledMs + (stalledAtMs === null ? 0 : now() - stalledAtMs),
                    receivedBytes: s?.receivedBytes ?? 0,
                    stallLog,
                  });
              }, 100);
            });
          } finally {
            video.pause();
            video.removeAttribute('src');
            video.load();
            video.remove();
          }
        },
        [magnet, infoHash, options] as const,
      );
    },
    uploadedBytes(peer, infoHash) {
      return peer.page.evaluate(
        (infoHash) =>
          (window as ShoalWindow).shoal?.store.engine
            .snapshots()
            .find((t) => t.infoHash === infoHash)?.uploadedBytes ?? 0,
        infoHash,
      );
    },
    async reloadToSeeding(peer, seed, _kept, _announce, timeoutMs) {
      await peer.page.reload({ waitUntil: 'commit' });
      return peer.page.evaluate(
        ([infoHash, timeoutMs]) =>
          new Promise<ReloadInfo>((resolve, reject) => {
            const deadline = performance.now() + timeoutMs;
            const poll = setInterval(() => {
              const s = (window as ShoalWindow).shoal?.store.engine
                .snapshots()
                .find((t) => t.infoHash === infoHash);
              if (s?.state === 'seeding') {
                clearInterval(poll);
                resolve({
                  seedingMs: performance.timeOrigin + performance.now(),
                  receivedBytes: s.receivedBytes,
                });
              } else if (s?.state === 'error' || performance.now() > deadline) {
                clearInterval(poll);
                reject(new Error(s?.errorMessage ?? 'not seeding again in time'));
              }
            }, 10);
          }),
        [seed.infoHash, timeoutMs] as const,
      );
    },
  };
}

// ---- stock WebTorrent ------------------------------------------------------------------

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
