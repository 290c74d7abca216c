// Shoal's playback in the bench: a muted `<video>` playing a torrent's file through the app's
// service worker, its events reported to the engine as src/ui/shoal-player reports them.
// Shoal's driver (shoal-driver.ts) streams and watches with these.
import type { Peer } from './browser.ts';
import type { Driver, WatchInfo } from './drivers.ts';
import type { ShoalWindow } from './shoal-window.ts';

/** Gives the page `benchVideo` (see shoal-window.ts). */
export async function installBenchVideo(peer: Peer): Promise<void> {
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
}

export const shoalStream: Driver['stream'] = (peer, seed, _announce, options) => {
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
};

export const shoalWatch: Driver['watch'] = (peer, magnet, infoHash, _announce, options) => {
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
            end(new Error(`not watched and complete in time (at ${String(video.currentTime)} s)`));
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
};
