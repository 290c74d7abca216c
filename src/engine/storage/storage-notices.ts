/** What the user is told when storage gets in the way of keeping a torrent. */
import type { SeedCopy } from './file-backed-store.ts';
import { isStorageFull } from './opfs-chunk-store.ts';
import type { Notice } from '../types.ts';

const FREE_SPACE =
  'Free space (Clear cache under Storage, or remove torrents with their data), then resume it.';

/** A torrent whose piece could not be written: it is paused, nothing else is touched. */
export const pausedForSpace = {
  /** Shown on the torrent. */
  warning: `Paused: the browser storage for this site is full. ${FREE_SPACE}`,
  /** Shown among the notices. */
  notice: (name: string): string =>
    `Paused "${name}": the browser storage for this site is full. ${FREE_SPACE}`,
};

/** A seed whose copy into this device's storage stopped before the end. */
export function copyStoppedWarning(copiedCount: number, pieceCount: number, err: Error): string {
  const kept = `${String(copiedCount)} of ${String(pieceCount)} pieces are copied to this device`;
  const reason = isStorageFull(err)
    ? 'the browser storage for this site is full'
    : `the files could not be read (${err.message})`;
  return `Not copied to this device: ${reason}. ${kept}; it is still shared from your files while this page is open, but will not come back complete after a reload. Free space, then pause and resume it to copy the rest.`;
}

/**
 * When a seed's copy has stopped: puts the warning on its torrent and returns the notice
 * to show, once per new warning.
 */
export function copyStopped(
  copy: SeedCopy,
  target: { readonly infoHash: string; readonly name: string | null; warning: string | null },
): Notice | null {
  if (!copy.error) return null;
  const warning = copyStoppedWarning(copy.copiedCount, copy.pieceCount, copy.error);
  if (target.warning === warning) return null;
  target.warning = warning;
  const message = `${target.name ?? target.infoHash}: ${warning}`;
  return { level: 'warning', message, infoHash: target.infoHash };
}

/** After a reload: a seed whose copy had not finished before the page went away. */
export const unfinishedCopyWarning = (copied: number, pieceCount: number): string =>
  `The copy of your shared files had not finished before the page closed: ${String(copied)} of ${String(pieceCount)} pieces are on this device. Share the same files again to finish it; otherwise the rest is fetched from peers.`;
