import { expect } from '@open-wc/testing';
import {
  DEFAULT_PIECE_STREAM,
  pieceStream,
  type PieceSource,
} from '../../src/engine/swarm/piece-stream.ts';

/** A torrent of `data` in pieces of `pieceLength`, with the pieces in `have` verified. */
class FakeTorrent implements PieceSource {
  destroyed = false;
  readonly have = new Set<number>();
  readonly criticalCalls: [number, number][] = [];
  readonly selections: string[] = [];
  readonly reads: number[] = [];
  private readonly listeners = new Map<string, Set<(...args: never[]) => void>>();
  readonly bitfield = { get: (i: number): boolean => this.have.has(i) };
  readonly store = {
    get: (
      index: number,
      opts: { offset: number; length: number },
      cb: (err: Error | null, value?: Uint8Array) => void,
    ): void => {
      this.reads.push(index);
      const at = index * this.pieceLength + opts.offset;
      setTimeout(() => {
        cb(null, this.data.slice(at, at + opts.length));
      }, 1);
    },
  };

  constructor(
    readonly data: Uint8Array,
    readonly pieceLength: number,
  ) {}

  _select(from: number, to: number): void {
    this.selections.push(`${String(from)}-${String(to)}`);
  }
  _deselect(from: number, to: number): void {
    const i = this.selections.indexOf(`${String(from)}-${String(to)}`);
    if (i >= 0) this.selections.splice(i, 1);
  }
  critical(from: number, to: number): void {
    this.criticalCalls.push([from, to]);
  }
  on(event: string, cb: (...args: never[]) => void): void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(cb);
    this.listeners.set(event, set);
  }
  removeListener(event: string, cb: (...args: never[]) => void): void {
    this.listeners.get(event)?.delete(cb);
  }
  verify(index: number): void {
    this.have.add(index);
    for (const cb of this.listeners.get('verified') ?? [])
      (cb as unknown as (i: number) => void)(index);
  }
  close(): void {
    this.destroyed = true;
    for (const cb of this.listeners.get('close') ?? []) cb();
  }
  listenerCount(): number {
    return [...this.listeners.values()].reduce((n, s) => n + s.size, 0);
  }
}
const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7) % 251);

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

const joined = (chunks: Uint8Array[]): number[] => chunks.flatMap((c) => [...c]);

describe('pieceStream', () => {
  it('hands over every verified piece from the position on in one chunk, exactly the range', async () => {
    const data = bytes(1000);
    const t = new FakeTorrent(data, 100);
    for (let i = 0; i < 10; i++) t.have.add(i);
    // A file at byte 50 of the torrent, 900 bytes long; bytes 120…749 of it.
    const chunks = await readAll(
      pieceStream(t, { offset: 50, length: 900 }, { start: 120, end: 749 }),
    );
    expect(joined(chunks)).to.deep.equal([...data.slice(170, 800)]);
    expect(chunks).to.have.length(1);
    expect(t.selections).to.deep.equal([]);
  });

  it('hands over chunks of their own, never a buffer the store keeps (the reader transfers them)', async () => {
    const data = bytes(300);
    const t = new FakeTorrent(data, 100);
    const kept: Uint8Array[] = [];
    // A store that hands out the very buffer it keeps, as a memory cache may.
    t.store.get = (index, _opts, cb) => {
      const piece = data.subarray(index * 100, index * 100 + 100);
      kept.push(piece);
      setTimeout(() => {
        cb(null, piece);
      }, 1);
    };
    t.have.add(0);
    const chunks = await readAll(pieceStream(t, { offset: 0, length: 300 }, { start: 0, end: 99 }));
    expect(chunks).to.have.length(1);
    const [chunk] = chunks;
    expect(chunk?.buffer).to.not.equal(data.buffer);
    expect(chunk?.byteLength).to.equal(chunk?.buffer.byteLength);
    expect([...(chunk ?? [])]).to.deep.equal([...data.slice(0, 100)]);
  });

  it('splits at the chunk limit', async () => {
    const t = new FakeTorrent(bytes(1000), 100);
    for (let i = 0; i < 10; i++) t.have.add(i);
    const chunks = await readAll(
      pieceStream(t, { offset: 0, length: 1000 }, undefined, {
        maxChunkBytes: 300,
        parallelReads: 4,
      }),
    );
    expect(chunks.map((c) => c.byteLength)).to.deep.equal([300, 300, 300, 100]);
  });

  it('waits for a missing piece, marks it critical, and goes on once it is verified', async () => {
    const data = bytes(400);
    const t = new FakeTorrent(data, 100);
    t.have.add(0);
    const reader = pieceStream(t, { offset: 0, length: 400 }, undefined).getReader();
    expect([...((await reader.read()).value ?? [])]).to.deep.equal([...data.slice(0, 100)]);
    expect(t.selections).to.deep.equal(['0-3']);
    const next = reader.read();
    await new Promise((r) => setTimeout(r, 20));
    expect(t.criticalCalls.map(([a]) => a)).to.include(1);
    t.have.add(2);
    t.verify(1);
    expect([...((await next).value ?? [])]).to.deep.equal([...data.slice(100, 300)]);
    await reader.cancel();
    expect(t.selections).to.deep.equal([]);
    expect(t.listenerCount()).to.equal(0);
  });

  it('a read that is not urgent waits for a missing piece without marking it critical', async () => {
    const data = bytes(300);
    const t = new FakeTorrent(data, 100);
    let urgent = false;
    const reader = pieceStream(t, { offset: 0, length: 300 }, undefined, {
      ...DEFAULT_PIECE_STREAM,
      urgent: () => urgent,
    }).getReader();
    const first = reader.read();
    await new Promise((r) => setTimeout(r, 20));
    expect(t.criticalCalls).to.deep.equal([]);
    t.verify(0);
    expect([...((await first).value ?? [])]).to.deep.equal([...data.slice(0, 100)]);
    // Once it is the read played from, what it waits for is critical again.
    urgent = true;
    const second = reader.read();
    await new Promise((r) => setTimeout(r, 20));
    expect(t.criticalCalls.map(([a]) => a)).to.deep.equal([1]);
    t.verify(1);
    expect([...((await second).value ?? [])]).to.deep.equal([...data.slice(100, 200)]);
    await reader.cancel();
  });

  it('fails, and lets go of the torrent, when the torrent closes while waiting', async () => {
    const t = new FakeTorrent(bytes(200), 100);
    const reader = pieceStream(t, { offset: 0, length: 200 }, undefined).getReader();
    const pending = reader.read();
    await new Promise((r) => setTimeout(r, 10));
    t.close();
    let message = '';
    await pending.catch((err: unknown) => {
      message = String(err);
    });
    expect(message).to.contain('closed');
    expect(t.listenerCount()).to.equal(0);
  });
});
