/**
 * A floor under the download rate webtorrent sizes its request pipeline by.
 *
 * webtorrent keeps `2 + rate × 0.5 s ÷ 16 KiB` block requests outstanding per peer, with the
 * rate measured over the last seconds: a new connection starts with two blocks in flight and
 * grows only as fast as those two make its measured rate grow. Over a data channel whose
 * other end answers in tens of milliseconds (a busy seeding tab), that is ~1 MB/s for the
 * first seconds, exactly when a stream needs its first megabyte. Reporting at least
 * `floorBytesPerS` to the pipeline sizing (as TCP starts with an initial window rather than one
 * segment) lets the first requests fill the channel; a peer that is really faster is measured
 * as it is. The meter itself (what the UI shows) is not touched.
 */

/** 512 KiB/s: 18 blocks (288 KiB) outstanding at first, 34 at most, until measured higher. */
export const DEFAULT_PIPELINE_FLOOR_BYTES_PER_S = 512 * 1024;

/** bittorrent-protocol's meter: called with bytes it records them, without it reads the rate. */
export type RateMeter = (delta?: number) => number;

export function withRateFloor(meter: RateMeter, floorBytesPerS: number): RateMeter {
  return (delta?: number) =>
    delta === undefined ? Math.max(meter(), floorBytesPerS) : meter(delta);
}

/** The meters as they were, for the decisions that need the real rate (choking). */
const measured = new WeakMap<object, RateMeter>();

/** Wraps a wire's download meter (once). */
export function raisePipelineFloor(
  wire: { downloadSpeed: RateMeter; type?: string },
  floorBytesPerS = DEFAULT_PIPELINE_FLOOR_BYTES_PER_S,
): void {
  // Web seeds are sized in whole pieces by webtorrent and gated by our own policy.
  if (wire.type === 'webSeed' || measured.has(wire)) return;
  measured.set(wire, wire.downloadSpeed);
  wire.downloadSpeed = withRateFloor(wire.downloadSpeed, floorBytesPerS);
}

/** The rate this wire really delivers at (bytes/s), without the pipeline's floor. */
export function measuredDownloadRate(wire: { downloadSpeed: RateMeter }): number {
  return (measured.get(wire) ?? wire.downloadSpeed)();
}
