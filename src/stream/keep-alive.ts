// Firefox stops a service worker 30 s after its last event, and 30 s later still if work is
// pending (waitUntil); a /stream/ response still waiting for pieces (or for a paused player)
// then ends as if whole, short of its Content-Length, with no error for the element to act on.
// Every message a tab sends the worker is an event that restarts that clock. So while a tab
// serves at least one stream, it sends the worker a message every KEEP_ALIVE_MS, well inside
// the 30 s; with none open it sends nothing, and the worker may stop as usual.
import type { KeepAliveMessage } from './protocol.ts';

/** Well inside Firefox's 30 s idle timeout (dom.serviceWorkers.idle_timeout). */
export const KEEP_ALIVE_MS = 10_000;

export interface IntervalTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(id: unknown): void;
}

const realTimers: IntervalTimers = {
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (id) => {
    clearInterval(id as ReturnType<typeof setInterval>);
  },
};

/** Pings while held: `hold()` once per open stream, and call what it returns when it ends. */
export class WorkerKeepAlive {
  private holds = 0;
  private timer: unknown = null;

  constructor(
    private readonly ping: () => void,
    private readonly timers: IntervalTimers = realTimers,
    private readonly everyMs = KEEP_ALIVE_MS,
  ) {}

  /** Holds the worker alive until the returned release is called (once counts; more do not). */
  hold(): () => void {
    this.holds += 1;
    if (this.timer === null) this.timer = this.timers.setInterval(this.ping, this.everyMs);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds -= 1;
      if (this.holds === 0 && this.timer !== null) {
        this.timers.clearInterval(this.timer);
        this.timer = null;
      }
    };
  }
}

/** Pings the worker that serves this page's registration (the one answering its streams). */
export function pingWorker(container: ServiceWorkerContainer): () => void {
  const message: KeepAliveMessage = { type: 'shoal-keep-alive' };
  return () => {
    void container.ready.then((registration) => {
      registration.active?.postMessage(message);
    });
  };
}
