import type { Engine, FileReadable } from '../engine/types.ts';
import {
  isWorkerToTab,
  type PortToTab,
  type PortToWorker,
  type StreamRequest,
} from './protocol.ts';
import { parseRange, rangeResponseHead } from './range.ts';
import { pingWorker, WorkerKeepAlive } from './keep-alive.ts';

/**
 * The tab's side of streaming: answers the service worker's requests for torrents this
 * tab holds, pulling bytes from the engine as fast as the worker asks for them, a few
 * chunks ahead.
 */
/**
 * A stream whose worker has not asked for bytes for this long is given up: a safety net for a
 * worker that was stopped mid-stream (a paused player also stops asking, so it is long).
 */
const STREAM_IDLE_MS = 10 * 60_000;

/** Chunks a stream sends before the worker asks for them (the worker holds them). */
export const STREAM_AHEAD_CHUNKS = 4;

export class StreamHost {
  /** Streams with a reader open on the engine: each holds read priority on its pieces. */
  private readonly active = new Set<MessagePort>();

  private readonly onMessage = (event: MessageEvent): void => {
    const port = event.ports[0];
    if (!port || !isWorkerToTab(event.data)) return;
    if (event.data.type === 'shoal-has') {
      const reply: PortToWorker = { type: 'has', has: this.engine.has(event.data.infoHash) };
      port.postMessage(reply);
      port.close();
      return;
    }
    void this.serve(event.data, port);
  };

  constructor(
    private readonly engine: Engine,
    private readonly container: ServiceWorkerContainer,
    /** Keeps the worker running while a stream is open (see keep-alive.ts). */
    private readonly keepAlive = new WorkerKeepAlive(pingWorker(container)),
  ) {
    container.addEventListener('message', this.onMessage);
    // Messages queue until the page says it is ready for them.
    container.startMessages();
  }

  /** How many streams are being read now (0 once every request has ended or aborted). */
  get activeStreams(): number {
    return this.active.size;
  }

  dispose(): void {
    this.container.removeEventListener('message', this.onMessage);
  }

  private async serve(request: StreamRequest, port: MessagePort): Promise<void> {
    const send = (message: PortToWorker, transfer: Transferable[] = []): void => {
      port.postMessage(message, transfer);
    };
    if (!this.engine.has(request.infoHash)) {
      send({
        type: 'error',
        status: 404,
        message: 'No torrent with that info-hash is open in Shoal.',
      });
      port.close();
      return;
    }
    let file: FileReadable;
    try {
      file = await this.engine.openFile(request.infoHash, request.filePath);
    } catch (err) {
      send({
        type: 'error',
        status: 404,
        message: err instanceof Error ? err.message : String(err),
      });
      port.close();
      return;
    }
    const head = rangeResponseHead(
      parseRange(request.rangeHeader, file.lengthBytes),
      file.lengthBytes,
      file.mimeType,
    );
    send({ type: 'head', status: head.status, headers: head.headers });
    if (head.range === null) {
      send({ type: 'end' });
      port.close();
      return;
    }
    const { start, end } = head.range;
    let remaining = end - start + 1;
    const reader = file.stream(head.range).getReader();
    this.active.add(port);
    const release = this.keepAlive.hold();
    let idle: ReturnType<typeof setTimeout> | undefined;
    /** Ended, failed, cancelled or given up: nothing more is read or sent. */
    let over = false;
    const finish = (): void => {
      over = true;
      clearTimeout(idle);
      release();
      this.active.delete(port);
      port.close();
    };
    // A worker that stops asking (it was stopped, or lost the request) releases the read.
    const armIdle = (): void => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        void reader.cancel();
        finish();
      }, STREAM_IDLE_MS);
    };
    armIdle();
    // Chunks go ahead of the worker's asking, up to STREAM_AHEAD_CHUNKS: each of its pulls asks
    // for one more. A pull that had to cross this tab's main thread, busy with arriving
    // pieces, reached it 10–200 ms late in traced seeks, with the bytes it asked for already
    // verified; now they go as soon as they are, and wait in the worker for the element.
    let credit = STREAM_AHEAD_CHUNKS;
    let reading = false;
    const stop = (message: PortToWorker | null): void => {
      if (message) send(message);
      finish();
    };
    const pump = (): void => {
      if (reading || over || credit <= 0) return;
      reading = true;
      reader.read().then(
        ({ value, done }) => {
          reading = false;
          if (over) return;
          if (done) {
            // The engine ends a read early when the store fails: say so, never a short body.
            stop(remaining === 0 ? { type: 'end' } : { type: 'fail', message: 'read ended early' });
            return;
          }
          // Never more than the range: the engine may read on past its end. A chunk within it
          // is sent as it is (the engine's chunks are the reader's own), not copied.
          const whole = value.byteOffset === 0 && value.byteLength === value.buffer.byteLength;
          const bytes = whole && value.byteLength <= remaining ? value : value.slice(0, remaining);
          remaining -= bytes.length;
          credit -= 1;
          send({ type: 'chunk', bytes }, [bytes.buffer]);
          if (remaining === 0) {
            void reader.cancel();
            stop({ type: 'end' });
            return;
          }
          pump();
        },
        (err: unknown) => {
          reading = false;
          if (!over)
            stop({ type: 'fail', message: err instanceof Error ? err.message : String(err) });
        },
      );
    };
    port.onmessage = (event: MessageEvent<PortToTab>) => {
      armIdle();
      if (event.data.type === 'cancel') {
        void reader.cancel();
        stop(null);
        return;
      }
      credit += 1;
      pump();
    };
    pump();
  }
}
