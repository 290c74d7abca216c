// Without OPFS (launch/capabilities.ts) the engine keeps downloads in the page's memory: the
// same stores over a MemoryBackend, shares read from the user's files with nothing copied, and
// no torrent kept across a reload (nothing persisted, nothing restored).
import { expect, waitUntil } from '@open-wc/testing';
import { ShoalEngine } from '../../src/engine/engine.ts';
import { MemoryBackend } from '../../src/engine/storage/memory-backend.ts';
import { OpfsChunkStore } from '../../src/engine/storage/opfs-chunk-store.ts';
import { storeRegistry } from '../../src/engine/storage/store-registry.ts';
import type { Notice, PersistedTorrent } from '../../src/engine/types.ts';
import { TorrentPersistence } from '../../src/store/persistence.ts';
import type { TorrentDb } from '../../src/store/torrent-db.ts';
import { parseTorrentFile } from '../../src/engine/torrent-input.ts';
import { bencode } from './support/bencode.ts';

const KiB = 1024;
const infoHash = 'c'.repeat(40);

function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let at = 0; at < length; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return bytes;
}

const readAll = async (stream: ReadableStream<Uint8Array>): Promise<Uint8Array> =>
  new Uint8Array(await new Response(stream).arrayBuffer());

function get(store: OpfsChunkStore, index: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    store.get(index, null, (err, bytes) => {
      if (err) reject(err);
      else resolve(bytes);
    });
  });
}

const done = (run: (cb: (err: Error | null) => void) => void): Promise<void> =>
  new Promise((resolve, reject) => {
    run((err) => {
      if (err) reject(err);
      else resolve();
    });
  });

const newEngine = (storage: 'opfs' | 'memory', memoryBudgetBytes?: number): ShoalEngine =>
  new ShoalEngine({
    announce: [],
    iceServers: [],
    maxConns: 10,
    storage,
    tickMs: 50,
    ...(memoryBudgetBytes === undefined ? {} : { memoryBudgetBytes }),
  });

/** A .torrent of `lengthBytes` nobody has (its piece hashes are made up): its size is known. */
async function sizedTorrent(name: string, lengthBytes: number) {
  const pieceLength = 256 * KiB;
  const pieces = 'p'.repeat(20 * Math.ceil(lengthBytes / pieceLength));
  const info = { name, length: lengthBytes, 'piece length': pieceLength, pieces };
  const parsed = await parseTorrentFile(new TextEncoder().encode(bencode({ info })), name);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

/** A torrent database that counts what it is asked. */
function countingDb(): { db: TorrentDb; calls: string[] } {
  const calls: string[] = [];
  const db = {
    all: () => (calls.push('all'), Promise.resolve([] as PersistedTorrent[])),
    put: () => (calls.push('put'), Promise.resolve()),
    delete: () => (calls.push('delete'), Promise.resolve()),
  };
  return { db: db as unknown as TorrentDb, calls };
}

describe('downloads in memory (storage/memory-backend.ts)', () => {
  it('a torrent removed with its data while no store of it is open is gone from memory', async () => {
    const backend = new MemoryBackend();
    await backend.write(infoHash, 0, randomBytes(16 * KiB));
    expect((await backend.open(infoHash)).held).to.deep.equal([0]);
    // As the engine removes a paused torrent with its data: from the backend its stores use.
    await storeRegistry.destroyFor(infoHash, backend);
    expect((await backend.open(infoHash)).held).to.deep.equal([]);
  });

  it('keeps a piece for the next store of its torrent while the page lives, until removed', async () => {
    const backend = new MemoryBackend();
    const opts = { length: 40 * KiB, torrent: { infoHash }, backend };
    const first = new OpfsChunkStore(16 * KiB, opts);
    const piece = randomBytes(16 * KiB);
    await done((cb) => {
      first.put(1, piece, cb);
    });
    await first.flush();
    expect(storeRegistry.unwritten(infoHash).size).to.equal(0);
    // A pause closes the store; the resume's store finds the piece.
    await done((cb) => {
      first.close(cb);
    });
    const second = new OpfsChunkStore(16 * KiB, opts);
    expect([...(await second.storedPieces())]).to.deep.equal([1]);
    expect(await get(second, 1)).to.deep.equal(piece);
    // Read as a copy: a reader that transfers its buffer leaves the piece whole.
    const read = await backend.read(infoHash, 1, 0, null);
    structuredClone(read.buffer, { transfer: [read.buffer] });
    expect(await backend.read(infoHash, 1, 16, 4)).to.deep.equal(piece.slice(16, 20));
    await done((cb) => {
      second.destroy(cb);
    });
    expect((await backend.open(infoHash)).held).to.deep.equal([]);
  });

  it('is what an engine without OPFS uses: it keeps no torrent across a reload', async () => {
    const engine = newEngine('memory');
    const onDisk = newEngine('opfs');
    try {
      expect(engine.keepsTorrents).to.equal(false);
      expect(onDisk.keepsTorrents).to.equal(true);
      const saved: PersistedTorrent = {
        infoHash,
        name: 'x',
        magnetURI: `magnet:?xt=urn:btih:${infoHash}`,
        torrentFile: null,
        bitfield: null,
        paused: false,
        addedAtMs: 0,
        summary: null,
      };
      const refused = await engine.restore(saved).catch((err: unknown) => err);
      expect(String(refused)).to.contain('not kept');
      expect(engine.has(infoHash)).to.equal(false);
    } finally {
      await Promise.all([engine.destroy(), onDisk.destroy()]);
    }
  });

  it('pauses a download larger than the memory it may hold, saying the sizes; a smaller one runs', async () => {
    const engine = newEngine('memory', 1024 * KiB);
    const notices: Notice[] = [];
    engine.on('notice', (notice) => notices.push(notice));
    try {
      const big = await sizedTorrent('big.iso', 4096 * KiB);
      await engine.add(big);
      const small = await sizedTorrent('small.bin', 512 * KiB);
      await engine.add(small);
      const state = (hash: string) => engine.snapshots().find((t) => t.infoHash === hash);
      await waitUntil(() => state(big.infoHash)?.state === 'paused', 'the big one is paused');
      const said = 'Paused: it is 4 MiB, and this browser gives Shoal no file storage';
      expect(state(big.infoHash)?.warning).to.contain(said);
      expect(state(big.infoHash)?.warning).to.contain('this device can spare about 1 MiB.');
      expect(notices.map((n) => n.message)).to.deep.equal([
        `"big.iso": ${String(state(big.infoHash)?.warning)}`,
      ]);
      // Long enough for more ticks: the small one, added after, still fits and runs.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(state(small.infoHash)?.state).to.equal('downloading');
      // Resumed, it still does not fit: paused again, and said again.
      await engine.resume(big.infoHash);
      await waitUntil(() => state(big.infoHash)?.state === 'paused', 'paused again');
      expect(notices).to.have.length(2);
    } finally {
      await engine.destroy();
    }
  });

  it('with OPFS there is no memory budget: a download of any size runs', async () => {
    const engine = newEngine('opfs', 1024 * KiB);
    try {
      const big = await sizedTorrent('big-on-disk.iso', 4096 * KiB);
      await engine.add(big);
      await waitUntil(() => engine.snapshots()[0]?.state === 'downloading', 'it runs');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(engine.snapshots()[0]?.state).to.equal('downloading');
      await engine.remove(big.infoHash, { deleteData: true });
    } finally {
      await engine.destroy();
    }
  });

  it('shares picked files from the files themselves: nothing copied to disk, no notice', async () => {
    const engine = newEngine('memory');
    const notices: Notice[] = [];
    engine.on('notice', (notice) => notices.push(notice));
    const { db, calls } = countingDb();
    const persistence = new TorrentPersistence(engine, db, { debounceMs: 0 });
    let shared: string | null = null;
    try {
      expect(await persistence.restoreAll()).to.equal(0);
      const bytes = randomBytes(300 * KiB + 5);
      const snapshot = await engine.seed([new File([bytes], 'talk.webm')]);
      shared = snapshot.infoHash;
      expect(snapshot.state).to.equal('seeding');
      expect(await readAll(engine.readFile(snapshot.infoHash, 'talk.webm').stream())).to.deep.equal(
        bytes,
      );
      // Long enough for a copy to have begun, and a debounced write to have run.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(engine.persisted(snapshot.infoHash)).to.equal(null);
      await persistence.flush();
      await engine.remove(snapshot.infoHash, { deleteData: true });
      await persistence.flush();
      expect(calls).to.deep.equal([]);
      expect(notices).to.deep.equal([]);
      await waitUntil(() => !engine.has(snapshot.infoHash));
    } finally {
      persistence.dispose();
      await engine.destroy();
    }
    // The pack on disk was never written (listing it makes an empty one: removed after).
    expect((await storeRegistry.storedPieces(shared)).size).to.equal(0);
    await storeRegistry.destroyFor(shared);
  });
});
