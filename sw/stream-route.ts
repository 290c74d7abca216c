/// <reference lib="webworker" />
// Answers /stream/<infoHash>/<path> from the tab that holds the torrent: one MessageChannel
// per request, bytes pulled as the media element reads them, cancelled when it aborts.
import type { HasRequest, PortToTab, PortToWorker, StreamRequest } from '../src/stream/protocol.ts';
import { parseStreamPath } from '../src/stream/stream-path.ts';
import { PortReader } from './port-reader.ts';

/** How long a tab may take to say whether it holds a torrent (a frozen tab says nothing). */
const HAS_TIMEOUT_MS = 1500;

const text = (status: number, message: string): Response =>
  new Response(message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });

function ask(client: Client, infoHash: string): Promise<boolean> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => {
      channel.port1.close();
      resolve(false);
    }, HAS_TIMEOUT_MS);
    channel.port1.onmessage = (event: MessageEvent<PortToWorker>) => {
      clearTimeout(timer);
      channel.port1.close();
      resolve(event.data.type === 'has' && event.data.has);
    };
    const message: HasRequest = { type: 'shoal-has', infoHash };
    client.postMessage(message, [channel.port2]);
  });
}

/** The window that holds the torrent, the requesting one first. */
async function findHolder(
  worker: ServiceWorkerGlobalScope,
  infoHash: string,
  requesterId: string,
): Promise<Client | null> {
  const windows = await worker.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const ordered = [...windows].sort(
    (a, b) => Number(b.id === requesterId) - Number(a.id === requesterId),
  );
  const answers = await Promise.all(ordered.map((client) => ask(client, infoHash)));
  return ordered[answers.indexOf(true)] ?? null;
}

export async function handleStream(
  worker: ServiceWorkerGlobalScope,
  event: FetchEvent,
): Promise<Response> {
  const url = new URL(event.request.url);
  const target = parseStreamPath(url.pathname);
  if (!target) return text(404, 'Not a stream address: /stream/<info-hash>/<file path>.');
  const holder = await findHolder(
    worker,
    target.infoHash,
    event.clientId || event.resultingClientId,
  );
  if (!holder) {
    return text(404, `No open Shoal tab holds torrent ${target.infoHash}: open it in Shoal first.`);
  }
  const channel = new MessageChannel();
  const port = channel.port1;
  const reader = new PortReader<PortToWorker>(port);
  const request: StreamRequest = {
    type: 'shoal-stream',
    infoHash: target.infoHash,
    filePath: target.filePath,
    rangeHeader: event.request.headers.get('Range'),
  };
  holder.postMessage(request, [channel.port2]);
  const head = await reader.next();
  if (head.type === 'error') {
    port.close();
    return text(head.status, head.message);
  }
  if (head.type !== 'head') {
    port.close();
    return text(500, 'The tab answered out of order.');
  }
  const send = (message: PortToTab): void => {
    port.postMessage(message);
  };
  const body =
    head.status === 416 || event.request.method === 'HEAD'
      ? null
      : new ReadableStream<Uint8Array>(
          {
            async pull(controller) {
              send({ type: 'pull' });
              const message = await reader.next();
              if (message.type === 'chunk') {
                controller.enqueue(message.bytes);
              } else if (message.type === 'end') {
                controller.close();
                port.close();
              } else {
                controller.error(
                  new Error(message.type === 'fail' ? message.message : 'stream broken'),
                );
                port.close();
              }
            },
            cancel() {
              send({ type: 'cancel' });
              port.close();
            },
          },
          { highWaterMark: 1 },
        );
  if (body === null) send({ type: 'cancel' });
  return new Response(body, { status: head.status, headers: head.headers });
}
