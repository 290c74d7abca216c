import { expect, waitUntil } from '@open-wc/testing';
import type { Engine, FileReadable } from '../../src/engine/types.ts';
import type { PortToWorker, StreamRequest } from '../../src/stream/protocol.ts';
import { STREAM_AHEAD_CHUNKS, StreamHost } from '../../src/stream/stream-host.ts';
import { WorkerKeepAlive, type IntervalTimers } from '../../src/stream/keep-alive.ts';

const infoHash = 'ab'.repeat(20);
const CHUNK = 1000;
const CHUNKS = 10;

/** A file of 10 chunks of 1000 bytes (chunk i filled with i), counting the chunks read. */
function fileOf(): {
  file: FileReadable;
  reads: () => number;
  cancelled: () => boolean;
  handed: Uint8Array[];
} {
  let reads = 0;
  const handed: Uint8Array[] = [];
  let cancelled = false;
  const file: FileReadable = {
    name: 'a.mp4',
    lengthBytes: CHUNK * CHUNKS,
    mimeType: 'video/mp4',
    stream: () => {
      let next = 0;
      return new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            if (next === CHUNKS) {
              controller.close();
              return;
            }
            reads++;
            const chunk = new Uint8Array(CHUNK).fill(next++);
            handed.push(chunk);
            controller.enqueue(chunk);
          },
          cancel() {
            cancelled = true;
          },
        },
        { highWaterMark: 0 },
      );
    },
  };
  return { file, reads: () => reads, cancelled: () => cancelled, handed };
}

/** The tab's StreamHost over a fake engine, asked for the file as the worker asks. */
function hostFor(file: FileReadable) {
  const container = new EventTarget() as EventTarget & { startMessages(): void };
  container.startMessages = () => undefined;
  const engine = {
    has: (hash: string) => hash === infoHash,
    openFile: () => Promise.resolve(file),
  } as unknown as Engine;
  // Counts whether the worker is being kept alive, with no real timer.
  let running = false;
  const timers: IntervalTimers = {
    setInterval: () => {
      running = true;
      return 1;
    },
    clearInterval: () => {
      running = false;
    },
  };
  const keepAlive = new WorkerKeepAlive(() => undefined, timers);
  const host = new StreamHost(engine, container as unknown as ServiceWorkerContainer, keepAlive);
  const channel = new MessageChannel();
  const got: PortToWorker[] = [];
  channel.port1.onmessage = (event: MessageEvent<PortToWorker>) => {
    got.push(event.data);
  };
  const request: StreamRequest = {
    type: 'shoal-stream',
    infoHash,
    filePath: 'a.mp4',
    rangeHeader: null,
  };
  container.dispatchEvent(new MessageEvent('message', { data: request, ports: [channel.port2] }));
  const chunks = () => got.filter((m) => m.type === 'chunk').length;
  return { host, got, chunks, worker: channel.port1, keptAlive: () => running };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('the tab answering a stream (StreamHost)', () => {
  it('sends a few chunks ahead of the worker’s asking, then one more per pull, then the end', async () => {
    const { file, reads } = fileOf();
    const { host, got, chunks, worker } = hostFor(file);
    await waitUntil(() => chunks() === STREAM_AHEAD_CHUNKS, 'no chunks ahead');
    await settle();
    // Ahead, not all of it: the rest waits for the worker.
    expect(got[0]?.type).to.equal('head');
    expect(chunks()).to.equal(STREAM_AHEAD_CHUNKS);
    expect(reads()).to.equal(STREAM_AHEAD_CHUNKS);
    worker.postMessage({ type: 'pull' });
    await waitUntil(() => chunks() === STREAM_AHEAD_CHUNKS + 1, 'no chunk for the pull');
    await settle();
    expect(chunks()).to.equal(STREAM_AHEAD_CHUNKS + 1);
    for (let i = 0; i < CHUNKS; i++) worker.postMessage({ type: 'pull' });
    await waitUntil(() => got.at(-1)?.type === 'end', 'never ended');
    const bytes = got.flatMap((m) => (m.type === 'chunk' ? [...m.bytes] : []));
    expect(bytes.length).to.equal(CHUNK * CHUNKS);
    expect(bytes.filter((b, i) => b !== Math.floor(i / CHUNK))).to.deep.equal([]);
    expect(host.activeStreams).to.equal(0);
  });

  it('moves each chunk to the worker as it is, without a copy', async () => {
    const { file, handed } = fileOf();
    const { got, chunks } = hostFor(file);
    await waitUntil(() => chunks() === STREAM_AHEAD_CHUNKS, 'no chunks ahead');
    // Transferred: the tab's own view of each chunk sent is now empty.
    expect(handed.slice(0, STREAM_AHEAD_CHUNKS).map((c) => c.byteLength)).to.deep.equal(
      new Array<number>(STREAM_AHEAD_CHUNKS).fill(0),
    );
    const first = got.find((m) => m.type === 'chunk');
    expect(first?.type === 'chunk' ? [...new Set(first.bytes)] : null).to.deep.equal([0]);
  });

  it('stops reading when the worker cancels', async () => {
    const { file, reads, cancelled } = fileOf();
    const { host, chunks, worker } = hostFor(file);
    await waitUntil(() => chunks() === STREAM_AHEAD_CHUNKS, 'no chunks ahead');
    worker.postMessage({ type: 'cancel' });
    await waitUntil(() => cancelled(), 'the read was not cancelled');
    for (let i = 0; i < 3; i++) worker.postMessage({ type: 'pull' });
    await settle();
    expect(reads()).to.equal(STREAM_AHEAD_CHUNKS);
    expect(host.activeStreams).to.equal(0);
  });

  it('keeps the worker alive while the stream is open, and lets it go when it ends or is cancelled', async () => {
    const whole = hostFor(fileOf().file);
    await waitUntil(() => whole.chunks() === STREAM_AHEAD_CHUNKS, 'no chunks ahead');
    expect(whole.keptAlive()).to.equal(true);
    for (let i = 0; i < CHUNKS; i++) whole.worker.postMessage({ type: 'pull' });
    await waitUntil(() => whole.got.at(-1)?.type === 'end', 'never ended');
    expect(whole.keptAlive()).to.equal(false);

    const cancelled = hostFor(fileOf().file);
    await waitUntil(() => cancelled.chunks() === STREAM_AHEAD_CHUNKS, 'no chunks ahead');
    expect(cancelled.keptAlive()).to.equal(true);
    cancelled.worker.postMessage({ type: 'cancel' });
    await waitUntil(() => !cancelled.keptAlive(), 'still kept alive after a cancel');
  });
});
