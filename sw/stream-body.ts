// The body of a /stream/ response, pulled from the tab one chunk at a time as the media
// element reads. It never ends "successfully" short of its Content-Length: if the tab's
// stream ends early, or breaks, the body errors, so that the element asks again from where it
// stopped instead of taking short data as the whole. `done` settles once the body is over,
// whichever way: the fetch event waits on it (waitUntil), which keeps the worker alive while
// bytes are still to come (Firefox ends a worker's pending work after 30 s idle otherwise,
// and with it the response, cut short but whole-looking).
import type { PortToTab, PortToWorker } from '../src/stream/protocol.ts';

export interface StreamBody {
  readonly body: ReadableStream<Uint8Array>;
  readonly done: Promise<void>;
}

/** The bytes a response's headers promise, or null if they do not say. */
export function promisedBytes(headers: Record<string, string>): number | null {
  const value = headers['Content-Length'];
  if (value === undefined || !/^\d+$/.test(value)) return null;
  return Number(value);
}

export function streamBody(
  next: () => Promise<PortToWorker>,
  send: (message: PortToTab) => void,
  close: () => void,
  expectedBytes: number | null,
): StreamBody {
  let sentBytes = 0;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const end = (): void => {
    close();
    finish();
  };
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        send({ type: 'pull' });
        const message = await next();
        if (message.type === 'chunk') {
          sentBytes += message.bytes.byteLength;
          controller.enqueue(message.bytes);
        } else if (message.type === 'end') {
          if (expectedBytes !== null && sentBytes < expectedBytes) {
            controller.error(
              new Error(
                `The stream ended at ${String(sentBytes)} of ${String(expectedBytes)} bytes`,
              ),
            );
          } else controller.close();
          end();
        } else {
          controller.error(new Error(message.type === 'fail' ? message.message : 'stream broken'));
          end();
        }
      },
      cancel() {
        send({ type: 'cancel' });
        end();
      },
    },
    { highWaterMark: 1 },
  );
  return { body, done };
}
