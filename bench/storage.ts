// The piece storage's rows, Shoal only (stock has no store of its own to call): the write
// rate of a real store against the raw OPFS limit, in the built app page, and the leecher's
// write lag (put → on disk) over a download. Read through the app's `window.shoal.probes()`
// (src/engine/storage/write-probe.ts).
import { PeerGroup, type Peer } from './browser.ts';
import type { Driver } from './drivers.ts';
import { MiB, label } from './fixtures.ts';
import type { Context, Values } from './scenarios.ts';
import { timeoutFor } from './scenarios.ts';

interface WriteRate {
  readonly bytes: number;
  readonly ms: number;
}
/** What the bench reads of src/engine/storage/write-probe.ts. */
interface Probes {
  storeWriteRate(totalBytes: number, pieceBytes: number): Promise<WriteRate>;
  rawWriteRate(totalBytes: number, chunkBytes: number): Promise<WriteRate>;
  readonly writeLag: { pieces: number; totalMs: number; maxMs: number };
}
interface ProbeWindow {
  shoal?: { probes(): Promise<Probes> };
}

/** Rejects once `ms` have passed: a stuck page fails its measurement instead of the run. */
function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what} timed out`));
    }, ms);
  });
  return Promise.race([work, late]).finally(() => {
    clearTimeout(timer);
  });
}

/**
 * In one Shoal page: `bytes` written as `pieceBytes` pieces through a real store, and the
 * same through one raw sync access handle in a worker (the limit), in MiB/s. `rawFirst`
 * swaps the order (the run alternates it by round).
 */
export async function storeWrite(
  ctx: Context,
  driver: Driver,
  bytes: number,
  pieceBytes: number,
  rawFirst: boolean,
): Promise<Values> {
  const group = new PeerGroup(ctx.browser);
  try {
    const peer = await group.open(`${driver.variant} store write`, driver.url);
    await driver.ready(peer);
    const measure = (kind: 'store' | 'raw'): Promise<WriteRate> =>
      within(
        timeoutFor(bytes),
        `${kind} write`,
        peer.page.evaluate(
          async ([kind, bytes, pieceBytes]) => {
            const probes = await (window as ProbeWindow).shoal?.probes();
            if (!probes) throw new Error('no window.shoal.probes');
            return kind === 'store'
              ? probes.storeWriteRate(bytes, pieceBytes)
              : probes.rawWriteRate(bytes, pieceBytes);
          },
          [kind, bytes, pieceBytes] as const,
        ),
      );
    const order = rawFirst ? (['raw', 'store'] as const) : (['store', 'raw'] as const);
    const rates: Partial<Record<'store' | 'raw', number>> = {};
    for (const kind of order) {
      const { bytes: written, ms } = await measure(kind);
      rates[kind] = written / MiB / (ms / 1000);
    }
    group.check();
    return {
      [`store.${label(bytes)}.MiBps`]: rates.store ?? Number.NaN,
      [`limit.opfs.${label(bytes)}.MiBps`]: rates.raw ?? Number.NaN,
    };
  } finally {
    await group.close();
  }
}

/** Zeroes the page's write lag (before a download). */
export async function resetWriteLag(peer: Peer): Promise<void> {
  await peer.page.evaluate(async () => {
    const probes = await (window as ProbeWindow).shoal?.probes();
    if (!probes) throw new Error('no window.shoal.probes');
    Object.assign(probes.writeLag, { pieces: 0, totalMs: 0, maxMs: 0 });
  });
}

/** The page's write lag since the reset, under `lag.<size>.*`, and how many pieces it covers. */
export async function readWriteLag(peer: Peer, lengthBytes: number): Promise<Values> {
  const lag = await peer.page.evaluate(async () => {
    const probes = await (window as ProbeWindow).shoal?.probes();
    if (!probes) throw new Error('no window.shoal.probes');
    return { ...probes.writeLag };
  });
  const L = label(lengthBytes);
  return {
    [`lag.${L}.pieces`]: lag.pieces,
    [`lag.${L}.maxMs`]: lag.maxMs,
    [`lag.${L}.meanMs`]: lag.pieces > 0 ? lag.totalMs / lag.pieces : Number.NaN,
  };
}
