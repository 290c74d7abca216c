/**
 * How much a browser without OPFS may hold of downloads in the page's memory, and which
 * downloads go past it. Without a disk, every verified piece stays in the tab; a download
 * larger than the device can spare ends in a crashed tab, with everything lost. So the budget
 * is set from what the browser says of the device, with no setting: a quarter of its memory
 * (`navigator.deviceMemory`, GiB, Chromium only), half of the page's JavaScript heap limit
 * (`performance.memory.jsHeapSizeLimit`, Chromium only), the smaller of those known, within
 * 128 MiB–2 GiB; a browser that tells neither (Firefox, Safari) gets 512 MiB, which phones
 * that run them can spare. A download that would go past the budget is paused before it
 * fills memory, oldest downloads first served, and the user is told the sizes.
 */

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const MEMORY_BUDGET = {
  /** Share of the device's memory downloads may fill. */
  deviceShare: 0.25,
  /** Share of the page's JavaScript heap limit. */
  heapShare: 0.5,
  /** When the browser tells nothing about the device. */
  fallbackBytes: 512 * MiB,
  minBytes: 128 * MiB,
  /** Past this a tab is at risk on any device, and 32-bit builds cannot address it. */
  maxBytes: 2 * GiB,
} as const;

/** What the browser says of the device (null: it does not say). */
export interface DeviceMemory {
  readonly deviceMemoryGiB: number | null;
  readonly jsHeapSizeLimitBytes: number | null;
}

const known = (n: number | null): n is number => n !== null && Number.isFinite(n) && n > 0;

/** Bytes of downloads the page may keep in memory on this device. */
export function memoryBudgetBytes(device: DeviceMemory): number {
  const limits: number[] = [];
  if (known(device.deviceMemoryGiB))
    limits.push(device.deviceMemoryGiB * GiB * MEMORY_BUDGET.deviceShare);
  if (known(device.jsHeapSizeLimitBytes))
    limits.push(device.jsHeapSizeLimitBytes * MEMORY_BUDGET.heapShare);
  const chosen = limits.length > 0 ? Math.min(...limits) : MEMORY_BUDGET.fallbackBytes;
  return Math.floor(Math.min(MEMORY_BUDGET.maxBytes, Math.max(MEMORY_BUDGET.minBytes, chosen)));
}

/** One torrent held in memory, as the budget sees it. */
export interface MemoryTorrent {
  readonly infoHash: string;
  /** Its whole size; null while its metadata is unknown. */
  readonly lengthBytes: number | null;
  /** Bytes of it in memory now. */
  readonly heldBytes: number;
  /** Running: it will hold all of `lengthBytes` once done. */
  readonly running: boolean;
}

export interface OverBudget {
  readonly infoHash: string;
  readonly lengthBytes: number;
  /** What the budget still had for it after the torrents before it. */
  readonly spareBytes: number;
}

/**
 * The running downloads to pause, in the order given (the order they were added: the first
 * ones keep their room). A running torrent counts for its whole size, since it will hold all
 * of it; any other for what it holds now, which stays in memory while the page lives. One
 * that would take the total past `budgetBytes` is over, and counts for what it holds.
 */
export function overMemoryBudget(
  torrents: readonly MemoryTorrent[],
  budgetBytes: number,
): OverBudget[] {
  const over: OverBudget[] = [];
  let committed = 0;
  for (const t of torrents) {
    const whole = t.running && t.lengthBytes !== null ? Math.max(t.lengthBytes, t.heldBytes) : null;
    if (whole !== null && committed + whole > budgetBytes) {
      over.push({
        infoHash: t.infoHash,
        lengthBytes: whole,
        spareBytes: Math.max(0, budgetBytes - committed),
      });
      committed += t.heldBytes;
    } else committed += whole ?? t.heldBytes;
  }
  return over;
}
