/**
 * Bounds on the download rate webtorrent sizes its request pipeline by.
 *
 * webtorrent keeps `2 + rate × 0.5 s ÷ 16 KiB` block requests outstanding per peer, with the
 * rate measured over the last seconds: a new connection starts with two blocks in flight and
 * grows only as fast as those two make its measured rate grow. Over a data channel whose
 * other end answers in tens of milliseconds (a busy seeding tab), that is ~1 MB/s for the
 * first seconds, exactly when a stream needs its first megabyte. Reporting at least
 * `floorBytesPerS` to the pipeline sizing (as TCP starts with an initial window rather than one
 * segment) lets the first requests fill the channel; a peer that is really faster is measured
 * as it is. The meter itself (what the UI shows) is not touched.
 *
 * A ceiling too: at the rate one data channel between two tabs moves (5–7 MB/s here),
 * webtorrent's second of outstanding requests is 300–400 blocks. A peer answers requests in
 * order, so a seek's first block arrived behind every block the old position had asked for
 * (traced in `npm run bench -- --only stream`: 134–235 blocks, cancelled too late to stop the
 * sender, 0.3–0.5 s), and the blocks in flight queued as tasks on the receiving tab's main
 * thread ahead of its service worker's messages (the seek's range request reached the tab
 * 300–450 ms after the worker sent it). Bounded at 50 blocks (800 KiB) outstanding, the
 * sender stays as busy (the request round refills the pipeline at every block), and a
 * play or a seek waits behind at most that much.
 */

/** 512 KiB/s: 18 blocks (288 KiB) outstanding at first, 34 at most, until measured higher. */
export const DEFAULT_PIPELINE_FLOOR_BYTES_PER_S = 512 * 1024;

/** 768 KiB/s: never more than 50 blocks (800 KiB) outstanding, refilled below 26. */
export const DEFAULT_PIPELINE_CEILING_BYTES_PER_S = 768 * 1024;

/** bittorrent-protocol's meter: called with bytes it records them, without it reads the rate. */
export type RateMeter = (delta?: number) => number;

export function withRateBounds(
  meter: RateMeter,
  floorBytesPerS: number,
  ceilingBytesPerS = Infinity,
): RateMeter {
  return (delta?: number) =>
    delta === undefined
      ? Math.min(ceilingBytesPerS, Math.max(meter(), floorBytesPerS))
      : meter(delta);
}

/** The meters as they were, for the decisions that need the real rate (choking). */
const measured = new WeakMap<object, RateMeter>();

/** Wraps a wire's download meter (once). */
export function boundPipeline(
  wire: { downloadSpeed: RateMeter; type?: string },
  floorBytesPerS = DEFAULT_PIPELINE_FLOOR_BYTES_PER_S,
  ceilingBytesPerS = DEFAULT_PIPELINE_CEILING_BYTES_PER_S,
): void {
  // Web seeds are sized in whole pieces by webtorrent and gated by our own policy.
  if (wire.type === 'webSeed' || measured.has(wire)) return;
  measured.set(wire, wire.downloadSpeed);
  wire.downloadSpeed = withRateBounds(wire.downloadSpeed, floorBytesPerS, ceilingBytesPerS);
}

/** The rate this wire really delivers at (bytes/s), without the pipeline's bounds. */
export function measuredDownloadRate(wire: { downloadSpeed: RateMeter }): number {
  return (measured.get(wire) ?? wire.downloadSpeed)();
}
