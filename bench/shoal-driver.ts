// Shoal's bench driver: its built app page, driven through its store as the UI calls it.
import type { Driver, DownloadInfo, ReloadInfo } from './drivers.ts';
import { installBenchVideo, shoalStream, shoalWatch } from './shoal-playback.ts';
import type { ShoalSnapshot, ShoalWindow } from './shoal-window.ts';

export function shoalDriver(appOrigin: string): Driver {
  return {
    variant: 'shoal',
    url: `${appOrigin}/`,
    async ready(peer) {
      await peer.page.waitForFunction(() => (window as ShoalWindow).shoal !== undefined);
      // The worker precaches the shell on install: let that finish before anything is timed.
      await peer.page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      await installBenchVideo(peer);
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
    stream: shoalStream,
    watch: shoalWatch,
    uploadedBytes(peer, infoHash) {
      return peer.page.evaluate(
        (infoHash) =>
          (window as ShoalWindow).shoal?.store.engine
            .snapshots()
            .find((t) => t.infoHash === infoHash)?.uploadedBytes ?? 0,
        infoHash,
      );
    },
    receivedBytes(peer, infoHash) {
      return peer.page.evaluate(
        (infoHash) =>
          (window as ShoalWindow).shoal?.store.engine
            .snapshots()
            .find((t) => t.infoHash === infoHash)?.receivedBytes ?? 0,
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
