// What the bench reads and calls of Shoal's app page (see src/store, src/engine): the
// page's `window.shoal`, and what the bench itself puts on the page.
/** The parts of the app's store and engine the bench reads (see src/store, src/engine). */
export interface ShoalSnapshot {
  readonly infoHash: string;
  readonly magnetURI: string;
  readonly state: string;
  readonly lengthBytes: number | null;
  readonly uploadedBytes: number;
  readonly receivedBytes: number;
  readonly errorMessage: string | null;
}
export interface ShoalEngine {
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
export interface ShoalStore {
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
export interface ShoalWindow {
  shoal?: { store: ShoalStore };
  benchFile?: File;
  /**
   * A muted `<video>` for a file of a torrent, once the app's worker controls the page, its
   * events reported to the engine as shoal-player reports them (see `ready`).
   */
  benchVideo?: (infoHash: string, path: string) => Promise<HTMLVideoElement>;
}
