// What the overlay section reads and drives inside the pages (split from overlay.ts): the
// tracker messages a page sends, Shoal's neighbour overlay figures, and a two-track playlist
// (each track a torrent of its own) played by Shoal's app page and by the stock page.
import type { Peer } from './browser.ts';
import type { SeedInfo } from './drivers.ts';
import { sleep } from './scenarios.ts';

/** One frame a page sent to the tracker: when, its action, and the torrent it is about. */
export interface TrackerSend {
  readonly atMs: number;
  readonly action: string;
  /** An announce's event (started, completed, stopped), '' for none. */
  readonly event: string;
  /** Hex info-hash of the frame's `info_hash` ('' when it names none, or several). */
  readonly infoHash: string;
  /** WebRTC offers the frame carried (an announce looking for peers). */
  readonly offers: number;
  /** Whether it carried an answer (to another peer's offer). */
  readonly answer: boolean;
}

/**
 * An init script (PeerGroup.open's `init`) that records every frame the page sends on a
 * WebSocket to the tracker at `trackerUrl`: `WebSocket.prototype.send` is wrapped before the
 * page's own scripts run (Shoal's warm start subclasses the native WebSocket, so its sockets
 * send through it too).
 */
export function trackerSendCounter(trackerUrl: string): { script: string } {
  const install = (host: string): void => {
    const sends: TrackerSend[] = [];
    (window as unknown as { benchTrackerSends: TrackerSend[] }).benchTrackerSends = sends;
    type Send = (this: WebSocket, data: string | ArrayBuffer | Blob | ArrayBufferView) => void;
    const send = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'send')?.value as Send;
    // The tracker protocol's info_hash: 20 bytes as a string of 20 code units.
    const hex = (s: string): string =>
      Array.from({ length: s.length }, (_, i) =>
        s.charCodeAt(i).toString(16).padStart(2, '0'),
      ).join('');
    WebSocket.prototype.send = function (this: WebSocket, data: Parameters<Send>[0]): void {
      let host_ = '';
      try {
        host_ = new URL(this.url).host;
      } catch {
        // not a URL: not the tracker's
      }
      if (host_ === host) {
        let frame: Record<string, unknown> = {};
        try {
          if (typeof data === 'string') frame = JSON.parse(data) as Record<string, unknown>;
        } catch {
          // not JSON: counted, without details
        }
        const infoHash = frame.info_hash;
        sends.push({
          atMs: performance.timeOrigin + performance.now(),
          action: typeof frame.action === 'string' ? frame.action : '?',
          event: typeof frame.event === 'string' ? frame.event : '',
          infoHash: typeof infoHash === 'string' ? hex(infoHash) : '',
          offers: Array.isArray(frame.offers) ? frame.offers.length : 0,
          answer: frame.answer !== undefined,
        });
      }
      send.call(this, data);
    };
  };
  return { script: `(${install.toString()})(${JSON.stringify(new URL(trackerUrl).host)});` };
}

/**
 * The frames the page sent to the tracker from `fromMs` (epoch ms, the page's clock) for
 * `windowMs`; waits in the page until that window has passed.
 */
export function trackerSendsWithin(
  peer: Peer,
  fromMs: number,
  windowMs: number,
): Promise<TrackerSend[]> {
  return peer.page.evaluate(
    async ([fromMs, windowMs]) => {
      const now = (): number => performance.timeOrigin + performance.now();
      const left = fromMs + windowMs - now();
      if (left > 0) await new Promise((r) => setTimeout(r, left));
      const sends = (window as unknown as { benchTrackerSends?: TrackerSend[] }).benchTrackerSends;
      if (!sends) throw new Error('no tracker counter in the page');
      return sends.filter((s) => s.atMs >= fromMs && s.atMs <= fromMs + windowMs);
    },
    [fromMs, windowMs] as const,
  );
}

/** `window.shoal.engine.overlayStats()` (src/engine/overlay/overlay.ts). */
export type OverlayStats = Record<string, number> & {
  readonly neighbours: number;
  readonly wires: number;
};

export function overlayStats(peer: Peer): Promise<OverlayStats> {
  return peer.page.evaluate(() => {
    const engine = (
      window as unknown as { shoal?: { engine?: { overlayStats?: () => OverlayStats } } }
    ).shoal?.engine;
    if (!engine?.overlayStats) throw new Error('the engine has no overlayStats()');
    return engine.overlayStats();
  });
}

/** How many peers a torrent has in the page (Shoal's snapshot, stock's numPeers). */
export function torrentPeers(peer: Peer, shoal: boolean, infoHash: string): Promise<number> {
  interface Page {
    shoal?: { engine: { snapshots(): { infoHash: string; peers: number }[] } };
    bench?: { stats(infoHash: string): { peers?: number } };
  }
  return peer.page.evaluate(
    ([shoal, infoHash]) => {
      const w = window as unknown as Page;
      const peers = shoal
        ? w.shoal?.engine.snapshots().find((t) => t.infoHash === infoHash)?.peers
        : w.bench?.stats(infoHash).peers;
      return peers ?? Number.NaN;
    },
    [shoal, infoHash] as const,
  );
}

/** Waits until every page has `n` neighbours; throws with what they have after `timeoutMs`. */
export async function waitNeighbours(
  peers: readonly Peer[],
  n: number,
  timeoutMs: number,
): Promise<number> {
  const startMs = Date.now();
  for (;;) {
    const stats = await Promise.all(peers.map(overlayStats));
    if (stats.every((s) => s.neighbours === n)) return Date.now() - startMs;
    if (Date.now() - startMs > timeoutMs)
      throw new Error(
        `not ${String(n)} neighbour(s) ${String(timeoutMs / 1000)} s after the first torrent was ` +
          `done: ${peers.map((p, i) => `${p.label} ${String(stats[i]?.neighbours)}`).join(', ')}`,
      );
    await sleep(50);
  }
}

/** One track of a playlist: a torrent of its own, with one media file. */
export interface Track {
  readonly magnet: string;
  readonly infoHash: string;
  readonly fileName: string;
}

export const track = (seed: SeedInfo, fileName: string): Track => ({
  magnet: seed.magnet,
  infoHash: seed.infoHash,
  fileName,
});

/** Epoch ms (page clock) of a two-track playlist, and Shoal's overlay around the switch. */
export interface PlaylistInfo {
  readonly startMs: number;
  readonly playing1Ms: number;
  readonly ended1Ms: number;
  readonly playing2Ms: number;
  /** Shoal: neighbours at track 1's end, and overlay wires before it and once track 2 played. */
  readonly neighboursAtEnd?: number;
  readonly wiresBefore?: number;
  readonly wiresAfter?: number;
}

/**
 * Shoal: track 1's magnet added and played from `/stream/` (as the stream rows do) to its
 * `ended`; there and then track 2's magnet is added and its file played in a second video,
 * until `playing`. Both videos report playback to the engine as shoal-player does (the
 * driver's `benchVideo`, set up before the clock).
 */
export function shoalPlaylist(
  peer: Peer,
  tracks: readonly [Track, Track],
  timeoutMs: number,
): Promise<PlaylistInfo> {
  interface Page {
    shoal?: {
      store: { addText(text: string): Promise<{ ok: true } | { ok: false; message: string }> };
      engine: { overlayStats(): OverlayStats };
    };
    benchVideo?: (infoHash: string, path: string) => Promise<HTMLVideoElement>;
  }
  return peer.page.evaluate(
    async ([[one, two], timeoutMs]) => {
      const w = window as unknown as Page;
      const shoal = w.shoal;
      if (!shoal || !w.benchVideo) throw new Error('no store');
      const { store, engine } = shoal;
      const now = (): number => performance.timeOrigin + performance.now();
      const videos = [
        await w.benchVideo(one.infoHash, one.fileName),
        await w.benchVideo(two.infoHash, two.fileName),
      ] as const;
      const event = (video: HTMLVideoElement, name: string): Promise<number> =>
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
      const play = async (video: HTMLVideoElement, t: typeof one): Promise<void> => {
        const added = await store.addText(t.magnet);
        if (!added.ok) throw new Error(added.message);
        video.src = `/stream/${t.infoHash}/${encodeURIComponent(t.fileName)}`;
        document.body.append(video);
        void video.play().catch(() => undefined);
      };
      try {
        const wiresBefore = engine.overlayStats().wires;
        const startMs = now();
        const playing1 = event(videos[0], 'playing');
        const ended1 = event(videos[0], 'ended');
        // Track 2 starts in the `ended` handler itself, as a playlist moves on.
        let neighboursAtEnd = Number.NaN;
        const second = new Promise<number>((resolve, reject) => {
          videos[0].addEventListener(
            'ended',
            () => {
              neighboursAtEnd = engine.overlayStats().neighbours;
              const playing2 = event(videos[1], 'playing');
              play(videos[1], two).catch(reject);
              playing2.then(resolve, reject);
            },
            { once: true },
          );
        });
        second.catch(() => undefined); // awaited below, after track 1's own events
        await play(videos[0], one);
        const playing1Ms = await playing1;
        const ended1Ms = await ended1;
        const playing2Ms = await second;
        return {
          startMs,
          playing1Ms,
          ended1Ms,
          playing2Ms,
          neighboursAtEnd,
          wiresBefore,
          wiresAfter: engine.overlayStats().wires,
        };
      } finally {
        for (const video of videos) {
          video.pause();
          video.removeAttribute('src');
          video.load();
          video.remove();
        }
      }
    },
    [tracks, timeoutMs] as const,
  );
}

/** Stock: the same playlist in bench/pages/stock.html (`bench.playlist`, file.streamTo). */
export function stockPlaylist(
  peer: Peer,
  tracks: readonly [Track, Track],
  announce: string,
  timeoutMs: number,
): Promise<PlaylistInfo> {
  interface Page {
    bench?: {
      playlist(opts: {
        tracks: readonly Track[];
        announce: string[];
        timeoutMs: number;
      }): Promise<PlaylistInfo>;
    };
  }
  return peer.page.evaluate(
    (opts) =>
      (window as unknown as Page).bench?.playlist(opts) ?? Promise.reject(new Error('no page')),
    { tracks, announce: [announce], timeoutMs },
  );
}
