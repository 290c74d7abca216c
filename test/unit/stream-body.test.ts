// A /stream/ response's body (sw/stream-body.ts) against a tab that answers its pulls: it
// never ends as if whole when the tab's stream stops short, and says when it is over.
import { expect } from '@open-wc/testing';
import { promisedBytes, streamBody } from '../../sw/stream-body.ts';
import type { PortToTab, PortToWorker } from '../../src/stream/protocol.ts';

/** A tab that answers each pull with the next of `answers`. */
function tab(answers: PortToWorker[]): {
  next: () => Promise<PortToWorker>;
  sent: PortToTab[];
} {
  return {
    next: () => Promise.resolve(answers.shift() ?? { type: 'end' }),
    sent: [],
  };
}

const chunk = (n: number): PortToWorker => ({ type: 'chunk', bytes: new Uint8Array(n).fill(7) });

async function read(body: ReadableStream<Uint8Array>): Promise<number> {
  let bytes = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return bytes;
    bytes += value.byteLength;
  }
}

describe('a /stream/ response body (sw/stream-body.ts)', () => {
  it('reads the promised length from the headers', () => {
    expect(promisedBytes({ 'Content-Length': '4194304' })).to.equal(4194304);
    expect(promisedBytes({})).to.equal(null);
    expect(promisedBytes({ 'Content-Length': '-1' })).to.equal(null);
  });

  it('ends whole when the tab sends every promised byte, and is then over', async () => {
    const t = tab([chunk(3), chunk(2), { type: 'end' }]);
    let closes = 0;
    const { body, done } = streamBody(
      t.next,
      (m) => t.sent.push(m),
      () => closes++,
      5,
    );
    expect(await read(body)).to.equal(5);
    await done;
    expect(closes).to.equal(1);
    expect(t.sent.every((m) => m.type === 'pull')).to.equal(true);
  });

  it('errors, never ends as if whole, when the tab stops short of the promised length', async () => {
    const t = tab([chunk(3), { type: 'end' }]);
    const { body, done } = streamBody(
      t.next,
      (m) => t.sent.push(m),
      () => undefined,
      5,
    );
    let error: unknown = null;
    await read(body).catch((err: unknown) => (error = err));
    expect(String(error)).to.contain('ended at 3 of 5 bytes');
    await done;
  });

  it('errors with the tab’s reason when its read fails', async () => {
    const t = tab([
      chunk(1),
      { type: 'fail', message: 'The tab that holds this torrent was closed.' },
    ]);
    const { body } = streamBody(
      t.next,
      () => undefined,
      () => undefined,
      null,
    );
    let error: unknown = null;
    await read(body).catch((err: unknown) => (error = err));
    expect(String(error)).to.contain('was closed');
  });

  it('tells the tab when the element stops reading, and is then over', async () => {
    const t = tab([chunk(1), chunk(1), chunk(1)]);
    const { body, done } = streamBody(
      t.next,
      (m) => t.sent.push(m),
      () => undefined,
      3,
    );
    const reader = body.getReader();
    await reader.read();
    await reader.cancel();
    await done;
    expect(t.sent.at(-1)).to.deep.equal({ type: 'cancel' });
  });
});
