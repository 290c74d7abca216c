/// <reference lib="webworker" />
// Answers /stream/<infoHash>/<path> from the tab that holds the torrent: one MessageChannel
// per request, bytes pulled as the media element reads them, cancelled when it aborts.
import type { HasRequest, PortToTab, PortToWorker, StreamRequest } from '../src/stream/protocol.ts';
import { parseStreamPath } from '../src/stream/stream-path.ts';
import { PortReader } from './port-reader.ts';
import { promisedBytes, streamBody } from './stream-body.ts';

/** How long a tab may take to say whether it holds a torrent (a frozen tab says nothing). */
const HAS_TIMEOUT_MS = 1500;
/** How often a stream waiting on its tab checks that the tab is still open. */
const HOLDER_CHECK_MS = 3000;

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

/**
 * The window that holds the torrent: the requesting one if it does, else the first other
 * window to say so (a frozen window never delays the answer of one that holds it).
 */
async function findHolder(
  worker: ServiceWorkerGlobalScope,
  infoHash: string,
  requesterId: string,
): Promise<Client | null> {
  const windows = await worker.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const requester = windows.find((client) => client.id === requesterId);
  if (requester && (await ask(requester, infoHash))) return requester;
  const others = windows.filter((client) => client !== requester);
  return new Promise((resolve) => {
    let pending = others.length;
    if (pending === 0) resolve(null);
    for (const client of others) {
      void ask(client, infoHash).then((has) => {
        pending -= 1;
        if (has) resolve(client);
        else if (pending === 0) resolve(null);
      });
    }
  });
}

/**
 * The window that last answered for each torrent. A media element opens several requests per
 * play and per seek; asking the tab again before each one cost a round trip through a tab
 * busy downloading (hundreds of ms per seek under load).
 */
const holders = new Map<string, string>();

/** A window says which torrents it holds: it is their holder, and no longer of any other. */
export function noteHolds(clientId: string, infoHashes: readonly string[]): void {
  const now = new Set(infoHashes);
  for (const [infoHash, id] of holders) {
    if (id === clientId && !now.has(infoHash)) holders.delete(infoHash);
  }
  for (const infoHash of now) holders.set(infoHash, clientId);
}

async function holderOf(
  worker: ServiceWorkerGlobalScope,
  infoHash: string,
  requesterId: string,
): Promise<Client | null> {
  const knownId = holders.get(infoHash);
  const known = knownId === undefined ? undefined : await worker.clients.get(knownId);
  if (known) return known;
  holders.delete(infoHash);
  const found = await findHolder(worker, infoHash, requesterId);
  if (found) holders.set(infoHash, found.id);
  return found;
}

/** The tab's next message, or a failure once that tab has been closed. */
async function nextFrom(
  worker: ServiceWorkerGlobalScope,
  reader: PortReader<PortToWorker>,
  holderId: string,
): Promise<PortToWorker> {
  const next = reader.next();
  for (;;) {
    const message = await Promise.race([
      next,
      new Promise<null>((resolve) => {
        setTimeout(() => {
          resolve(null);
        }, HOLDER_CHECK_MS);
      }),
    ]);
    if (message !== null) return message;
    if (!(await worker.clients.get(holderId))) {
      return { type: 'fail', message: 'The tab that holds this torrent was closed.' };
    }
  }
}

export async function handleStream(
  worker: ServiceWorkerGlobalScope,
  event: FetchEvent,
): Promise<Response> {
  const fetchMs = performance.timeOrigin + performance.now();
  const url = new URL(event.request.url);
  const target = parseStreamPath(url.pathname);
  if (!target) return text(404, 'Not a stream address: /stream/<info-hash>/<file path>.');
  const holder = await holderOf(worker, target.infoHash, event.clientId || event.resultingClientId);
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
    timing: { fetchMs, postMs: performance.timeOrigin + performance.now() },
  };
  holder.postMessage(request, [channel.port2]);
  const send = (message: PortToTab): void => {
    port.postMessage(message);
  };
  const head = await nextFrom(worker, reader, holder.id);
  if (head.type === 'error') {
    // It may have let the torrent go: ask around again next time.
    holders.delete(target.infoHash);
    port.close();
    return text(head.status, head.message);
  }
  if (head.type !== 'head') {
    port.close();
    return text(502, head.type === 'fail' ? head.message : 'The tab answered out of order.');
  }
  // Nothing to send, or aborted while the tab was answering (a quick seek): release its read.
  if (head.status === 416 || event.request.signal.aborted) {
    send({ type: 'cancel' });
    port.close();
    return new Response(null, { status: head.status, headers: head.headers });
  }
  const { body, done } = streamBody(
    () => nextFrom(worker, reader, holder.id),
    send,
    () => {
      port.close();
    },
    promisedBytes(head.headers),
  );
  // The worker stays alive while the body is being read (see stream-body.ts).
  event.waitUntil(done);
  return new Response(body, { status: head.status, headers: head.headers });
}
