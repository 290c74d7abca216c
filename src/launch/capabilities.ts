/**
 * What this browser lacks of what Shoal is built on, said in plain words with what still
 * works, instead of the errors the missing part would cause later (a tracker that "cannot be
 * reached" when the browser has no WebRTC, "free space" when it has no OPFS).
 */
import prettyBytes from 'pretty-bytes';
import type { DeviceMemory } from '../engine/policy/memory-budget.ts';

export interface Capabilities {
  /** RTCPeerConnection: connections to other browsers. */
  readonly webrtc: boolean;
  /** The origin private file system: where downloads are kept. */
  readonly opfs: boolean;
  /** Service workers: streaming to the player, and working offline. */
  readonly serviceWorker: boolean;
}

/** What the page can do here. */
export function probeCapabilities(scope: {
  readonly RTCPeerConnection?: unknown;
  readonly navigator: Navigator;
}): Capabilities {
  const storage = 'storage' in scope.navigator ? scope.navigator.storage : undefined;
  return {
    webrtc: typeof scope.RTCPeerConnection === 'function',
    opfs: typeof storage?.getDirectory === 'function',
    serviceWorker: 'serviceWorker' in scope.navigator,
  };
}

/**
 * What the browser says of the device's memory, for the budget of downloads held in memory
 * (engine/policy/memory-budget.ts): both figures are Chromium's only, and absent elsewhere.
 */
export function deviceMemoryOf(scope: {
  readonly navigator: Navigator;
  readonly performance?: Performance;
}): DeviceMemory {
  const device = (scope.navigator as { deviceMemory?: unknown }).deviceMemory;
  const heap = (scope.performance as { memory?: { jsHeapSizeLimit?: unknown } } | undefined)?.memory
    ?.jsHeapSizeLimit;
  return {
    deviceMemoryGiB: typeof device === 'number' ? device : null,
    jsHeapSizeLimitBytes: typeof heap === 'number' ? heap : null,
  };
}

/**
 * One message per missing capability: what is missing, and what still works. Without OPFS,
 * `memoryBudgetBytes` is how much of downloads the page will hold (said when given).
 */
export function missingCapabilities(c: Capabilities, memoryBudgetBytes?: number): string[] {
  const out: string[] = [];
  if (!c.webrtc)
    out.push(
      'This browser has no WebRTC (it may be turned off, or a privacy mode may hide it): Shoal cannot connect to other browsers here. Torrents with a web seed still download from it; to share or fetch from peers, open Shoal in a browser with WebRTC.',
    );
  if (!c.opfs)
    out.push(
      "This browser gives Shoal no private file storage (OPFS): downloads are held in this page's memory only, so they and your list of torrents are lost when the page closes. Downloading, playing and sharing still work; Save files as soon as they are complete." +
        (memoryBudgetBytes === undefined
          ? ' Keep downloads well within the memory this device can spare.'
          : ` This device can spare about ${prettyBytes(memoryBudgetBytes, { binary: true, maximumFractionDigits: 1 })} for them: a larger download is paused before it fills the tab's memory.`),
    );
  if (!c.serviceWorker)
    out.push(
      'This browser does not run service workers here (a private window may turn them off): files cannot play while they download, and Shoal does not work offline. Downloads and saving still work.',
    );
  return out;
}
