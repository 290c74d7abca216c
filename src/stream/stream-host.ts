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
export class StreamHost {
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
    const reader = file.stream(head.range).getReader();
    port.onmessage = (event: MessageEvent<PortToTab>) => {
      if (event.data.type === 'cancel') {
        void reader.cancel();
        port.close();
        return;
      }
      reader.read().then(
        ({ value, done }) => {
          if (done) {
            send({ type: 'end' });
            port.close();
          } else {
            // A copy the tab no longer needs: hand its buffer over instead of cloning it.
            const bytes = value.slice();
            send({ type: 'chunk', bytes }, [bytes.buffer]);
          }
        },
        (err: unknown) => {
          send({ type: 'fail', message: err instanceof Error ? err.message : String(err) });
          port.close();
        },
      );
    };
  }
}
