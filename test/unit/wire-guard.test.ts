// A connection whose messages no honest peer sends is cut off (wire-guard.ts), on a real
// bittorrent-protocol wire (the one webtorrent uses) fed the bytes a hostile peer would send.
import { expect } from '@open-wc/testing';
import Wire from 'bittorrent-protocol';
import { guardWire } from '../../src/engine/swarm/patches/wire-guard.ts';
import { WIRE_LIMITS, type CutOffReason } from '../../src/engine/policy/trust.ts';
import type { WtWire } from 'webtorrent/dist/webtorrent.min.js';

const INFO_HASH = new Uint8Array(20).fill(7);

function handshake(): Uint8Array {
  const pstr = new TextEncoder().encode('BitTorrent protocol');
  const out = new Uint8Array(68);
  out[0] = 19;
  out.set(pstr, 1);
  out.set(INFO_HASH, 28);
  out.set(new Uint8Array(20).fill(9), 48);
  return out;
}

/** A message: its length, its id, then 32-bit fields and a payload. */
function message(id: number, fields: number[], payload = new Uint8Array()): Uint8Array {
  const out = new Uint8Array(4 + 1 + fields.length * 4 + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, out.length - 4);
  out[4] = id;
  fields.forEach((f, i) => {
    view.setUint32(5 + i * 4, f);
  });
  out.set(payload, 5 + fields.length * 4);
  return out;
}

const LIMITS = { ...WIRE_LIMITS, maxQueuedRequests: 10, maxUnrequestedBytes: 32 * 1024 };
const torrent = { pieceCount: 8, pieceBytes: () => 64 * 1024 };

interface TestWire {
  readonly destroyed: boolean;
  readonly peerRequests: readonly unknown[];
  write(data: Uint8Array): boolean;
  unchoke(): void;
  request(
    index: number,
    offset: number,
    length: number,
    cb: (err: Error | null, b?: Uint8Array) => void,
  ): void;
  on(event: string, cb: (...args: unknown[]) => void): void;
}

/** Our end of a connection, guarded, that has heard the other end's handshake. */
async function guarded(): Promise<{ wire: TestWire; cut: CutOffReason[]; requests: number[] }> {
  const wire = new Wire() as unknown as TestWire;
  const cut: CutOffReason[] = [];
  const requests: number[] = [];
  guardWire(
    wire as unknown as WtWire,
    () => torrent,
    (reason) => {
      cut.push(reason);
      (wire as unknown as { destroy(): void }).destroy();
    },
    LIMITS,
  );
  wire.on('request', (index) => requests.push(index as number));
  const shaken = new Promise((resolve) => {
    wire.on('handshake', resolve);
  });
  wire.write(handshake());
  await shaken;
  return { wire, cut, requests };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('wire guard: what a hostile peer sends', () => {
  it('answers an honest peer’s requests, and cuts off none', async () => {
    const { wire, cut, requests } = await guarded();
    wire.unchoke();
    for (let i = 0; i < 8; i++) wire.write(message(6, [i, 0, 16384]));
    await settle();
    expect(requests).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(cut).to.deep.equal([]);
    expect(wire.destroyed).to.equal(false);
  });

  it('cuts off a peer that floods requests beyond any pipeline, and answers none past the limit', async () => {
    const { wire, cut, requests } = await guarded();
    wire.unchoke();
    for (let i = 0; i < 50; i++) wire.write(message(6, [0, 0, 16384]));
    await settle();
    expect(cut).to.deep.equal(['flooded us with requests']);
    expect(requests.length).to.equal(LIMITS.maxQueuedRequests);
    expect(wire.destroyed).to.equal(true);
  });

  it('cuts off a peer that keeps asking while we choke it', async () => {
    const { wire, cut, requests } = await guarded();
    for (let i = 0; i < 50; i++) wire.write(message(6, [0, 0, 16384]));
    await settle();
    expect(cut).to.deep.equal(['flooded us with requests']);
    expect(requests).to.deep.equal([]);
  });

  it('cuts off a request for a block that cannot exist', async () => {
    const { wire, cut } = await guarded();
    wire.unchoke();
    wire.write(message(6, [8, 0, 16384]));
    await settle();
    expect(cut).to.deep.equal(['sent a malformed message']);
  });

  it('cuts off a message announced bigger than any real one, before buffering it', async () => {
    const { wire, cut } = await guarded();
    const header = new Uint8Array(5);
    new DataView(header.buffer).setUint32(0, 64 * 1024 * 1024);
    header[4] = 7;
    wire.write(header);
    await settle();
    expect(cut).to.deep.equal(['sent a malformed message']);
    expect(wire.destroyed).to.equal(true);
  });

  it('takes the blocks it asked for, and cuts off a peer that streams data nobody asked for', async () => {
    const { wire, cut } = await guarded();
    const block = new Uint8Array(16384).fill(1);
    wire.write(message(1, [])); // unchoke us
    await settle();
    const got = new Promise<Uint8Array | undefined>((resolve) => {
      wire.request(0, 0, 16384, (_err, b) => {
        resolve(b);
      });
    });
    wire.write(message(7, [0, 0], block));
    expect((await got)?.length).to.equal(16384);
    expect(cut).to.deep.equal([]);
    for (let i = 1; i <= 3; i++) wire.write(message(7, [i, 0], block));
    await settle();
    expect(cut).to.deep.equal(['sent data we never asked for']);
  });
});
