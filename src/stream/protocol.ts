/**
 * Messages between the service worker and the tab that holds a torrent. The worker asks
 * over a MessageChannel of its own per request; the tab answers on that port.
 */
export interface HasRequest {
  readonly type: 'shoal-has';
  readonly infoHash: string;
}

export interface StreamRequest {
  readonly type: 'shoal-stream';
  readonly infoHash: string;
  readonly filePath: string;
  readonly rangeHeader: string | null;
  /**
   * Epoch ms at which the worker had the fetch and sent this on: how long a tab took to see
   * a request shows in `npm run bench -- --trace`.
   */
  readonly timing?: { readonly fetchMs: number; readonly postMs: number };
}

export type WorkerToTab = HasRequest | StreamRequest;

/** Tab → worker: every torrent this tab holds (sent again whenever that changes). */
export interface HoldsMessage {
  readonly type: 'shoal-holds';
  readonly infoHashes: readonly string[];
}

export function isHoldsMessage(data: unknown): data is HoldsMessage {
  const message = data as Partial<HoldsMessage> | null;
  return (
    message?.type === 'shoal-holds' &&
    Array.isArray(message.infoHashes) &&
    message.infoHashes.every((h) => typeof h === 'string')
  );
}

/** Tab → worker while the tab serves a stream: an event that keeps the worker running. */
export interface KeepAliveMessage {
  readonly type: 'shoal-keep-alive';
}

/** Worker → tab, on a stream's port. */
export type PortToTab = { readonly type: 'pull' } | { readonly type: 'cancel' };

/** Tab → worker, on a stream's port. */
export type PortToWorker =
  | { readonly type: 'has'; readonly has: boolean }
  | {
      readonly type: 'head';
      readonly status: number;
      readonly headers: Record<string, string>;
    }
  | { readonly type: 'error'; readonly status: number; readonly message: string }
  | { readonly type: 'chunk'; readonly bytes: Uint8Array }
  | { readonly type: 'end' }
  | { readonly type: 'fail'; readonly message: string };

export function isWorkerToTab(data: unknown): data is WorkerToTab {
  const type = (data as { type?: unknown } | null)?.type;
  return type === 'shoal-has' || type === 'shoal-stream';
}
