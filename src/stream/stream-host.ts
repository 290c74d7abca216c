import type { Engine, FileReadable } from '../engine/types.ts';
import {
  isWorkerToTab,
  type PortToTab,
  type PortToWorker,
  type StreamRequest,
} from './protocol.ts';
import { parseRange, rangeResponseHead } from './range.ts';

/**
 * The tab's side of streaming: answers the service worker's requests for torrents this
 * tab holds, pulling bytes from the engine only as fast as the worker asks for them.
 */
/**
 * A stream whose worker has not asked for bytes for this long is given up: a safety net for a
 * worker that was stopped mid-stream (a paused player also stops asking, so it is long).
 */
const STREAM_IDLE_MS = 10 * 60_000;

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
    let idle: ReturnType<typeof setTimeout> | undefined;
    const finish = (): void => {
      clearTimeout(idle);
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
    port.onmessage = (event: MessageEvent<PortToTab>) => {
      armIdle();
      if (event.data.type === 'cancel') {
        void reader.cancel();
        finish();
        return;
      }
      reader.read().then(
        ({ value, done }) => {
          if (done) {
            // The engine ends a read early when the store fails: say so, never a short body.
            send(remaining === 0 ? { type: 'end' } : { type: 'fail', message: 'read ended early' });
            finish();
            return;
          }
          // Never more than the range: the engine may read on past its end.
          const bytes = value.slice(0, remaining);
          remaining -= bytes.length;
          send({ type: 'chunk', bytes }, [bytes.buffer]);
          if (remaining === 0) {
            void reader.cancel();
            send({ type: 'end' });
            finish();
          }
        },
        (err: unknown) => {
          send({ type: 'fail', message: err instanceof Error ? err.message : String(err) });
          finish();
        },
      );
    };
  }
}
