import type { TorrentSnapshot } from '../engine/types.ts';

export const APP_TITLE = 'Shoal';

/** Rounded down, so that 100% means done. */
const percent = (progress: number): string =>
  `${String(Math.floor(Math.min(Math.max(progress, 0), 1) * 100))}%`;

/**
 * The page title: what downloads, so that a background tab shows it. One download:
 * "42% · name — Shoal"; several: "2 downloading · 57% — Shoal" (their bytes together);
 * nothing downloading: "Shoal". A torrent still fetching its metadata counts as downloading,
 * as on the app badge.
 */
export function pageTitle(torrents: readonly TorrentSnapshot[]): string {
  const active = torrents.filter((t) => t.state === 'downloading' || t.state === 'metadata');
  const [only] = active;
  if (only === undefined) return APP_TITLE;
  if (active.length === 1) return `${percent(only.progress)} · ${only.name} — ${APP_TITLE}`;
  const sized = active.filter((t) => t.lengthBytes !== null && t.lengthBytes > 0);
  const totalBytes = sized.reduce((sum, t) => sum + (t.lengthBytes ?? 0), 0);
  const progress =
    totalBytes > 0
      ? sized.reduce((sum, t) => sum + t.progress * (t.lengthBytes ?? 0), 0) / totalBytes
      : 0;
  return `${String(active.length)} downloading · ${percent(progress)} — ${APP_TITLE}`;
}
