/**
 * The cache of streamed torrents, after Spotify's client: a budget of 10 % of the space the
 * browser offers, at most 10 GB and at least 50 MB, filled by torrents that were only
 * streamed and emptied whole, least recently used first. Torrents the user chose to keep
 * (downloaded or shared on purpose) never count against it and are never evicted.
 */

export const CACHE_DEFAULTS = {
  /** Share of the browser's quota the cache may use. */
  quotaShare: 0.1,
  maxBytes: 10 * 1000 ** 3,
  minBytes: 50 * 1000 ** 2,
} as const;

/**
 * The cache budget in bytes. `setting` (bytes) is the user's own figure and wins when set;
 * otherwise Spotify's rule applies to the quota the browser reports.
 */
export function cacheBudgetBytes(quotaBytes: number, setting: number | null = null): number {
  if (setting !== null && Number.isFinite(setting) && setting >= 0) return Math.floor(setting);
  const share = Math.max(0, quotaBytes) * CACHE_DEFAULTS.quotaShare;
  return Math.floor(Math.min(CACHE_DEFAULTS.maxBytes, Math.max(CACHE_DEFAULTS.minBytes, share)));
}

export interface CacheEntry {
  readonly infoHash: string;
  /** Bytes it holds in storage now. */
  readonly sizeBytes: number;
  /** When the user last added, opened or played it. */
  readonly lastUsedMs: number;
  /** Kept on purpose: never evicted, not part of the cache. */
  readonly kept: boolean;
  /** Open or playing right now: not evicted while in use. */
  readonly inUse: boolean;
}

/** What the cache holds: the torrents that are not kept. */
export function cacheUsageBytes(entries: readonly CacheEntry[]): number {
  return entries.filter((e) => !e.kept).reduce((sum, e) => sum + e.sizeBytes, 0);
}

/**
 * Which cached torrents to remove, whole, so that the cache (plus `incomingBytes` about to
 * be written) fits the budget: least recently used first, never a kept one or one in use.
 * Returns info-hashes in eviction order; empty when everything fits. If evicting every
 * candidate is still not enough, they are all returned, and the caller says the rest does
 * not fit.
 */
export function chooseEvictions(
  entries: readonly CacheEntry[],
  budgetBytes: number,
  incomingBytes = 0,
): string[] {
  let usage = cacheUsageBytes(entries) + incomingBytes;
  if (usage <= budgetBytes) return [];
  const candidates = entries
    .filter((e) => !e.kept && !e.inUse)
    .sort((a, b) => a.lastUsedMs - b.lastUsedMs || a.infoHash.localeCompare(b.infoHash));
  const evict: string[] = [];
  for (const entry of candidates) {
    if (usage <= budgetBytes) break;
    evict.push(entry.infoHash);
    usage -= entry.sizeBytes;
  }
  return evict;
}

export interface StorageTorrent extends CacheEntry {
  /** Bytes still to download (0 when complete or unknown). */
  readonly remainingBytes: number;
  /** Downloading now (not paused, not done). */
  readonly downloading: boolean;
}

export interface StoragePlan {
  /** Cached torrents to remove whole, in this order. */
  readonly evict: readonly string[];
  /** Downloads that cannot fit even after evicting: pause them and say why. */
  readonly tooBig: readonly { infoHash: string; neededBytes: number; freeBytes: number }[];
  readonly cacheUsageBytes: number;
  readonly budgetBytes: number;
}

/**
 * One look at storage: keep the cache within its budget, and make room for running downloads
 * out of the cache (least recently used first) when the browser's quota would not hold them.
 * A download that still does not fit is reported, so it can be paused with a clear message
 * before a write fails halfway.
 */
export function planStorage(input: {
  readonly torrents: readonly StorageTorrent[];
  readonly usageBytes: number;
  readonly quotaBytes: number;
  readonly budgetSetting: number | null;
}): StoragePlan {
  const budgetBytes = cacheBudgetBytes(input.quotaBytes, input.budgetSetting);
  const evict = chooseEvictions(input.torrents, budgetBytes);
  const gone = new Set(evict);
  let freeBytes =
    input.quotaBytes -
    input.usageBytes +
    input.torrents.filter((t) => gone.has(t.infoHash)).reduce((sum, t) => sum + t.sizeBytes, 0);
  const tooBig: { infoHash: string; neededBytes: number; freeBytes: number }[] = [];
  const running = input.torrents.filter((t) => t.downloading && t.remainingBytes > 0);
  for (const download of running) {
    if (download.remainingBytes <= freeBytes) {
      freeBytes -= download.remainingBytes;
      continue;
    }
    // Room from the cache, oldest first, never the download itself or what is in use.
    const more = input.torrents
      .filter(
        (t) => !t.kept && !t.inUse && !gone.has(t.infoHash) && t.infoHash !== download.infoHash,
      )
      .sort((a, b) => a.lastUsedMs - b.lastUsedMs);
    for (const candidate of more) {
      if (download.remainingBytes <= freeBytes) break;
      evict.push(candidate.infoHash);
      gone.add(candidate.infoHash);
      freeBytes += candidate.sizeBytes;
    }
    if (download.remainingBytes <= freeBytes) freeBytes -= download.remainingBytes;
    else
      tooBig.push({ infoHash: download.infoHash, neededBytes: download.remainingBytes, freeBytes });
  }
  return {
    evict,
    tooBig,
    cacheUsageBytes: cacheUsageBytes(input.torrents.filter((t) => !gone.has(t.infoHash))),
    budgetBytes,
  };
}
